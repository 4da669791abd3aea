// Non-overlapping square pixel patches in raster order, as in ViT (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words").
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';

const params = z.strictObject({
  patch_size: z.int().min(1).default(4).describe('Side of each square patch, in pixels.'),
});

export type PatchParams = z.infer<typeof params>;

/** Coordinates per token: top-left row, top-left column and side, all in pixels of the source image. */
const COORD_DIM = 3;

/**
 * An image whose side is not a multiple of `patch_size` is zero-padded at the bottom and right
 * up to the next multiple, so the grid covers every pixel with whole patches (as timm's PatchEmbed
 * does with `dynamic_img_pad`). Padded pixels belong to no token's `covers`, are marked as padding
 * in `realValues` so pre-training does not learn to predict them, and `decode` crops them away, so
 * decode is exact. Coordinates are pixels rather than grid cells so tokens of
 * other sizes (multiscale, or a future overlapping `stride`) share one coordinate system; a
 * stride would only change the step between patch origins below.
 */
function createPatch(p: PatchParams, info: InfoOf['image']): Strategy<'image'> {
  const size = p.patch_size;
  const channels = info.channels;
  const valueDim = size * size * channels;

  /** Pixel rows/columns of a patch that lie inside an image of side `extent`, starting at `origin`. */
  const inside = (origin: number, extent: number) => Math.max(0, Math.min(size, extent - origin));

  return {
    layout: { idChannels: 0, vocabSizes: [], valueDim, coordDim: COORD_DIM, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote: '',

    encode(sample: ImageSample): Tokens {
      const { height, width, pixels } = sample;
      if (sample.channels !== channels) {
        throw new TokbenchError('input', `patch expects images with ${channels} channel(s), as the dataset declares; got a sample with ${sample.channels}`);
      }
      if (pixels.length !== height * width * channels) {
        throw new TokbenchError('input', `patch got an image of ${height}×${width}×${channels} with ${pixels.length} intensities instead of ${height * width * channels}`);
      }
      const rows = Math.ceil(height / size);
      const cols = Math.ceil(width / size);
      const length = rows * cols;
      const values = new Float32Array(length * valueDim);
      const coords = new Float32Array(length * COORD_DIM);
      // Only a grid that overhangs the image has padding to keep out of the pre-training loss.
      const realValues = height % size !== 0 || width % size !== 0 ? new Uint8Array(length * valueDim) : undefined;
      for (let gr = 0; gr < rows; gr++) {
        for (let gc = 0; gc < cols; gc++) {
          const t = gr * cols + gc;
          const y0 = gr * size;
          const x0 = gc * size;
          coords[t * COORD_DIM] = y0;
          coords[t * COORD_DIM + 1] = x0;
          coords[t * COORD_DIM + 2] = size;
          const h = inside(y0, height);
          const w = inside(x0, width);
          // Rows of a patch are contiguous runs of w·C floats in both layouts; padding stays 0.
          for (let dy = 0; dy < h; dy++) {
            const from = ((y0 + dy) * width + x0) * channels;
            const to = t * valueDim + dy * size * channels;
            values.set(pixels.subarray(from, from + w * channels), to);
            realValues?.fill(1, to, to + w * channels);
          }
        }
      }
      return { length, ids: new Int32Array(0), values, realValues, coords, extent: [height, width, channels], dropped: 0 };
    },

    decode(tokens: Tokens): ImageSample {
      const [height, width] = tokens.extent;
      const pixels = new Float32Array(height * width * channels);
      for (let t = 0; t < tokens.length; t++) {
        const y0 = tokens.coords[t * COORD_DIM];
        const x0 = tokens.coords[t * COORD_DIM + 1];
        const h = inside(y0, height);
        const w = inside(x0, width);
        for (let dy = 0; dy < h; dy++) {
          const from = t * valueDim + dy * size * channels;
          pixels.set(tokens.values.subarray(from, from + w * channels), ((y0 + dy) * width + x0) * channels);
        }
      }
      return { height, width, channels, pixels };
    },

    covers(tokens: Tokens, i: number): Int32Array {
      const [height, width] = tokens.extent;
      const y0 = tokens.coords[i * COORD_DIM];
      const x0 = tokens.coords[i * COORD_DIM + 1];
      const h = inside(y0, height);
      const rowLength = inside(x0, width) * channels;
      const out = new Int32Array(h * rowLength);
      for (let dy = 0; dy < h; dy++) {
        const start = ((y0 + dy) * width + x0) * channels;
        for (let j = 0; j < rowLength; j++) out[dy * rowLength + j] = start + j;
      }
      return out;
    },

    label(tokens: Tokens, i: number): string {
      const c = tokens.coords;
      return `patch(${c[i * COORD_DIM]},${c[i * COORD_DIM + 1]},${c[i * COORD_DIM + 2]})`;
    },
  };
}

/** A patch larger than the image would be mostly padding. */
function checkPatch(p: PatchParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.min(info.height, info.width);
  if (p.patch_size <= side) return [];
  return [{ path: ['patch_size'], message: `found patch_size ${p.patch_size} for ${info.height}×${info.width} images; expected at most ${side}` }];
}

export const patch: StrategyDefinition<'image', PatchParams> = {
  name: 'patch',
  modality: 'image',
  description: 'Non-overlapping p×p pixel patches in raster order, values = raw pixels (ViT, Dosovitskiy et al. 2021)',
  params,
  create: createPatch,
  check: checkPatch,
  tokensPerSample: (p, info) => Math.ceil(info.height / p.patch_size) * Math.ceil(info.width / p.patch_size),
};
