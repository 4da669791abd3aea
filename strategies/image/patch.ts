// Square pixel patches in raster order: non-overlapping as in ViT (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words"),
// or overlapping with a stride below the patch size, as T2T-ViT's soft split (Yuan et al. 2021).
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { cutPatches, pastePatches } from './patch-grid.js';
import { WINDOW_COORDS, windowCount, windowCovers, windowLabel } from './windows.js';

const params = z.strictObject({
  patch_size: z.int().min(1).default(4).describe('Side of each square patch, in pixels.'),
  // Optional rather than a default, because its default is another param's value.
  stride: z
    .int()
    .min(1)
    .optional()
    .describe('Step between patch origins, in pixels, at most patch_size; default: patch_size (non-overlapping). A smaller stride gives overlapping patches (e.g. patch_size 8, stride 4).'),
});

export type PatchParams = z.infer<typeof params>;

/**
 * Patches start at 0, stride, 2·stride, … along each axis up to the first that reaches the image's last row
 * (column) (windows.ts), so every pixel is in some patch and, with stride = patch_size, the grid is ⌈H/p⌉ × ⌈W/p⌉
 * as in ViT. A patch that overhangs the bottom or right edge is zero-padded (as timm's PatchEmbed does with
 * `dynamic_img_pad`); padded pixels belong to no token's `covers`, are marked as padding in `realValues` so
 * pre-training does not learn to predict them, and `decode` crops them away. Each pixel decodes to the mean of
 * the tokens covering it: one token without overlap, so decode is exact; with overlap, predicted patches are
 * blended, and the encoder's own tokens, which agree, still decode exactly. Coordinates are pixels rather than
 * grid cells so tokens of other sizes and strides (multiscale) share one coordinate system.
 */
function createPatch(p: PatchParams, info: InfoOf['image']): Strategy<'image'> {
  const skipping = strideProblem(p);
  if (skipping !== undefined) throw new TokbenchError('invalid-param', skipping.message, skipping.path);
  const size = p.patch_size;
  const stride = p.stride ?? size;
  const channels = info.channels;
  const valueDim = size * size * channels;

  return {
    layout: { idChannels: 0, vocabSizes: [], valueDim, coordDim: WINDOW_COORDS, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote:
      stride < size
        ? `Patches overlap (stride ${stride} < patch_size ${size}): each pixel is the mean of every patch covering it, so overlapping predicted patches are blended; the encoder's own tokens decode exactly.`
        : '',

    encode(sample: ImageSample): Tokens {
      const { length, values, realValues, coords } = cutPatches(sample, size, stride, channels, 'patch');
      return { length, ids: new Int32Array(0), values, realValues, coords, extent: [sample.height, sample.width, channels], dropped: 0 };
    },

    decode(tokens: Tokens): ImageSample {
      return pastePatches(tokens.values, tokens, size, channels);
    },

    covers: windowCovers,
    label: windowLabel,
  };
}

/** A stride longer than the patch would leave pixels out of every patch: refused whatever the data. */
function strideProblem(p: PatchParams): ParamProblem | undefined {
  if (p.stride === undefined || p.stride <= p.patch_size) return undefined;
  return { path: ['stride'], message: `found stride ${p.stride} with patch_size ${p.patch_size}; expected at most ${p.patch_size} (the patch_size), since a longer step would leave pixels out of every patch` };
}

/** A patch or stride larger than the image would be mostly padding; a stride larger than the patch would skip pixels. */
function checkPatch(p: PatchParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.min(info.height, info.width);
  const tooLarge = (param: 'patch_size' | 'stride', value: number | undefined): ParamProblem[] =>
    value !== undefined && value > side ? [{ path: [param], message: `found ${param} ${value} for ${info.height}×${info.width} images; expected at most ${side}` }] : [];
  const skipping = strideProblem(p);
  return [...tooLarge('patch_size', p.patch_size), ...tooLarge('stride', p.stride), ...(skipping === undefined ? [] : [skipping])];
}

export const patch: StrategyDefinition<'image', PatchParams> = {
  name: 'patch',
  modality: 'image',
  description: 'Square p×p pixel patches in raster order, non-overlapping (ViT, Dosovitskiy et al. 2021) or every `stride` pixels (T2T-ViT soft split, Yuan et al. 2021); values = raw pixels',
  params,
  create: createPatch,
  check: checkPatch,
  tokensPerSample: (p, info) => windowCount(info.height, p.patch_size, p.stride ?? p.patch_size) * windowCount(info.width, p.patch_size, p.stride ?? p.patch_size),
};
