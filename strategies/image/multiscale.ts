// The image cut into square patches at several sizes at once, coarse to fine (several patch sizes, as CrossViT's branches,
// Chen et al. 2021), every patch area-averaged to the finest size as mixed-resolution tokenization resizes its patches (Ronen et al. 2023).
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { paintRect, resampleRect, type Rect } from './resample.js';
import { WINDOW_COORDS, windowCount, windowCovers, windowLabel } from './windows.js';

const params = z.strictObject({
  scales: z
    .array(z.int().min(1))
    .min(1)
    .refine((scales) => new Set(scales).size === scales.length, { message: 'expected distinct patch sizes' })
    .default([4, 2])
    .describe('Patch sides in pixels, each at most the image side, distinct, in any order: [14, 7] gives 4 + 16 tokens for a 28×28 image, each with 7×7×C values.'),
});

export type MultiscaleParams = z.infer<typeof params>;

/** The scales coarsest first: tokens are listed in this order whatever order the params give. */
const coarseToFine = (scales: readonly number[]) => [...scales].sort((a, b) => b - a);

/** Token i's patch: a square of its scale's side at its top-left corner. */
function rectOf(tokens: Tokens, i: number): Rect {
  const c = tokens.coords;
  const side = c[i * WINDOW_COORDS + 2];
  return { row: c[i * WINDOW_COORDS], col: c[i * WINDOW_COORDS + 1], height: side, width: side };
}

/**
 * Each scale S is a patch grid with stride S (windows.ts: ⌈H/S⌉ × ⌈W/S⌉ patches, in raster order), coarsest
 * scale first, with coordinates (row, col, S) in pixels as the patch strategy's. Every patch reaches the model
 * as s × s × C values, s the finest scale, by exact area averaging (resample.ts): plain (S/s)² block means
 * when s divides S, area-weighted means of the overlapped pixels otherwise, and the finest scale's own pixels
 * unchanged. A patch overhanging the bottom or right edge averages its in-image pixels only; its cells that
 * lie wholly past the edge are 0 and marked as padding in `realValues`. Decode paints tokens coarse to fine,
 * so each pixel takes its finest covering token: the finest scale covers every pixel and carries it exactly.
 */
function createMultiscale(p: MultiscaleParams, info: InfoOf['image']): Strategy<'image'> {
  const scales = coarseToFine(p.scales);
  const finest = scales[scales.length - 1];
  const channels = info.channels;
  const valueDim = finest * finest * channels;

  return {
    layout: { idChannels: 0, vocabSizes: [], valueDim, coordDim: WINDOW_COORDS, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote: `Each pixel is rebuilt from the finest token covering it, the ${finest}×${finest} patch that carries it exactly; coarser tokens, and their predictions when masked, never change a pixel a finer token covers (with every token present, none), so only finest-scale predictions enter the reconstruction scores.`,

    encode(sample: ImageSample): Tokens {
      const { height, width, pixels } = sample;
      if (sample.channels !== channels) {
        throw new TokbenchError('input', `multiscale expects images with ${channels} channel(s), as the dataset declares; got a sample with ${sample.channels}`);
      }
      if (pixels.length !== height * width * channels) {
        throw new TokbenchError('input', `multiscale got an image of ${height}×${width}×${channels} with ${pixels.length} intensities instead of ${height * width * channels}`);
      }
      const grids = scales.map((side) => ({ side, rows: windowCount(height, side, side), cols: windowCount(width, side, side) }));
      const length = grids.reduce((n, g) => n + g.rows * g.cols, 0);
      const values = new Float32Array(length * valueDim);
      const coords = new Float32Array(length * WINDOW_COORDS);
      // Only a scale that overhangs the image has padding cells to keep out of the pre-training loss.
      const realValues = scales.some((side) => height % side !== 0 || width % side !== 0) ? new Uint8Array(length * valueDim) : undefined;
      let t = 0;
      for (const { side, rows, cols } of grids) {
        for (let gr = 0; gr < rows; gr++) {
          for (let gc = 0; gc < cols; gc++, t++) {
            coords.set([gr * side, gc * side, side], t * WINDOW_COORDS);
            resampleRect(sample, { row: gr * side, col: gc * side, height: side, width: side }, finest, values, t * valueDim, realValues);
          }
        }
      }
      return { length, ids: new Int32Array(0), values, realValues, coords, extent: [height, width, channels], dropped: 0 };
    },

    decode(tokens: Tokens): ImageSample {
      const [height, width] = tokens.extent;
      const image = { height, width, channels, pixels: new Float32Array(height * width * channels) };
      const side = (t: number) => tokens.coords[t * WINDOW_COORDS + 2];
      const order = Array.from({ length: tokens.length }, (_, t) => t).sort((a, b) => side(b) - side(a) || a - b);
      for (const t of order) paintRect(tokens.values, t * valueDim, finest, image, rectOf(tokens, t));
      return image;
    },

    covers: windowCovers,
    label: windowLabel,
  };
}

/** A scale larger than the image would be mostly padding. */
function checkMultiscale(p: MultiscaleParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.min(info.height, info.width);
  return p.scales.flatMap((scale, i) =>
    scale > side ? [{ path: ['scales', i], message: `found scale ${scale} for ${info.height}×${info.width} images; expected at most ${side}` }] : [],
  );
}

export const multiscale: StrategyDefinition<'image', MultiscaleParams> = {
  name: 'multiscale',
  modality: 'image',
  description: 'Square patches at several sizes at once, coarse to fine, each area-averaged to the finest size; coords (row, col, size) in pixels (CrossViT patch sizes, Chen et al. 2021; mixed-resolution tokens, Ronen et al. 2023)',
  params,
  create: createMultiscale,
  check: checkMultiscale,
  tokensPerSample: (p, info) => p.scales.reduce((n, side) => n + windowCount(info.height, side, side) * windowCount(info.width, side, side), 0),
};
