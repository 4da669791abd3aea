// Square windows of an image in pixel coordinates (top row, left column, side): where a grid of them starts, the
// pixels each holds and its label; shared by the patch and multiscale strategies so their tokens share one coordinate system.
import type { Tokens } from '../types.js';
import { rectElements } from './resample.js';

/** Coordinates per window token: top-left row, top-left column and side, all in pixels of the source image. */
export const WINDOW_COORDS = 3;

/**
 * Windows of `size` pixels every `stride` pixels along an axis of `extent` pixels: they start at 0, stride,
 * 2·stride, … up to the first window that reaches the axis's last pixel, as PyTorch's pooling windows with
 * `ceil_mode` do. With stride ≤ size every pixel is in a window and no window only repeats pixels others hold;
 * with stride = size this is ⌈extent/size⌉ windows. Always at least one, however long the window.
 */
export function windowCount(extent: number, size: number, stride: number): number {
  return 1 + Math.max(0, Math.ceil((extent - size) / stride));
}

/** Pixels of a window of `size` starting at `origin` that lie inside an axis of `extent` pixels; the rest is padding. */
export function inside(origin: number, size: number, extent: number): number {
  return Math.max(0, Math.min(size, extent - origin));
}

/** Canonical element indices of the in-image pixels of token i's window (rectElements). */
export function windowCovers(tokens: Tokens, i: number): Int32Array {
  const [row, col, size] = tokens.coords.subarray(i * WINDOW_COORDS, (i + 1) * WINDOW_COORDS);
  return rectElements({ row, col, height: size, width: size }, tokens.extent);
}

/** `patch(row,col,side)` of token i. */
export function windowLabel(tokens: Tokens, i: number): string {
  const c = tokens.coords;
  return `patch(${c[i * WINDOW_COORDS]},${c[i * WINDOW_COORDS + 1]},${c[i * WINDOW_COORDS + 2]})`;
}
