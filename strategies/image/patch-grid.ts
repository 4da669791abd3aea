// Cutting an image into square patch vectors every `stride` pixels in raster order (ViT's patchify, Dosovitskiy et al. 2021) and
// pasting patch vectors back as the per-pixel mean of the patches covering it; shared by the patch-based strategies.
import type { ImageSample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Tokens } from '../types.js';
import { inside, WINDOW_COORDS, windowCount } from './windows.js';

/** An image cut into patches: `values` holds one size·size·C vector per patch, rows of the patch in order, channels last. */
export interface PatchCut {
  readonly length: number;
  readonly values: Float32Array;
  /** 1 where a value is a real pixel, 0 where it pads a patch past the image's edge; undefined when no patch overhangs. */
  readonly realValues: Uint8Array | undefined;
  /** length × WINDOW_COORDS: top row, left column and side of each patch. */
  readonly coords: Float32Array;
}

/**
 * The `size` × `size` patches of an image of `channels` channels, every `stride` pixels (windows.ts), zero-padded
 * where they overhang the bottom or right edge; `owner` names the strategy in error messages.
 */
export function cutPatches(sample: ImageSample, size: number, stride: number, channels: number, owner: string): PatchCut {
  const { height, width, pixels } = sample;
  if (sample.channels !== channels) {
    throw new TokbenchError('input', `${owner} expects images with ${channels} channel(s), as the dataset declares; got a sample with ${sample.channels}`);
  }
  if (pixels.length !== height * width * channels) {
    throw new TokbenchError('input', `${owner} got an image of ${height}×${width}×${channels} with ${pixels.length} intensities instead of ${height * width * channels}`);
  }
  const valueDim = size * size * channels;
  const rows = windowCount(height, size, stride);
  const cols = windowCount(width, size, stride);
  const length = rows * cols;
  const values = new Float32Array(length * valueDim);
  const coords = new Float32Array(length * WINDOW_COORDS);
  // Only a grid whose last patches overhang the image has padding to keep out of the pre-training loss.
  const overhangs = (count: number, extent: number) => (count - 1) * stride + size > extent;
  const realValues = overhangs(rows, height) || overhangs(cols, width) ? new Uint8Array(length * valueDim) : undefined;
  for (let gr = 0; gr < rows; gr++) {
    for (let gc = 0; gc < cols; gc++) {
      const t = gr * cols + gc;
      const y0 = gr * stride;
      const x0 = gc * stride;
      coords.set([y0, x0, size], t * WINDOW_COORDS);
      const h = inside(y0, size, height);
      const w = inside(x0, size, width);
      // Rows of a patch are contiguous runs of w·C floats in both layouts; padding stays 0.
      for (let dy = 0; dy < h; dy++) {
        const from = ((y0 + dy) * width + x0) * channels;
        const to = t * valueDim + dy * size * channels;
        values.set(pixels.subarray(from, from + w * channels), to);
        realValues?.fill(1, to, to + w * channels);
      }
    }
  }
  return { length, values, realValues, coords };
}

/**
 * The image of `tokens.extent` rebuilt from one size·size·C vector per token (`values`) at the tokens' coordinates:
 * each pixel is the mean of the patches covering it (the one patch of a non-overlapping grid), padding cropped.
 */
export function pastePatches(values: Float32Array, tokens: Pick<Tokens, 'length' | 'coords' | 'extent'>, size: number, channels: number): ImageSample {
  const [height, width] = tokens.extent;
  const valueDim = size * size * channels;
  const sums = new Float64Array(height * width * channels);
  const counts = new Uint32Array(height * width);
  for (let t = 0; t < tokens.length; t++) {
    const y0 = tokens.coords[t * WINDOW_COORDS];
    const x0 = tokens.coords[t * WINDOW_COORDS + 1];
    const h = inside(y0, size, height);
    const w = inside(x0, size, width);
    for (let dy = 0; dy < h; dy++) {
      for (let dx = 0; dx < w; dx++) {
        const pixel = (y0 + dy) * width + x0 + dx;
        const from = t * valueDim + (dy * size + dx) * channels;
        counts[pixel]++;
        for (let c = 0; c < channels; c++) sums[pixel * channels + c] += values[from + c];
      }
    }
  }
  const pixels = Float32Array.from(sums, (sum, e) => {
    const count = counts[Math.floor(e / channels)];
    return count > 0 ? sum / count : 0;
  });
  return { height, width, channels, pixels };
}
