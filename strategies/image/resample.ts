// Exact area-weighted resampling of an image rectangle to a fixed side × side × C block (a box filter, as OpenCV's
// INTER_AREA resize), painting such a block back over the rectangle with the same weights (its adjoint), and the
// canonical elements a rectangle holds.
import type { ImageSample } from '../../datasets/types.js';

/** A rectangle of an image in pixels; it may reach past the bottom or right edge, where its pixels are padding. */
export interface Rect {
  readonly row: number;
  readonly col: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Canonical element indices (flat (y·W + x)·C + c) of the in-image pixels of `rect` in an image of `extent`
 * [H, W, C], row by row, channels innermost: what a token standing for that rectangle covers.
 */
export function rectElements(rect: Rect, extent: readonly number[]): Int32Array {
  const [height, width, channels] = extent;
  const top = Math.max(0, rect.row);
  const left = Math.max(0, rect.col);
  const rows = Math.max(0, Math.min(height, rect.row + rect.height) - top);
  const rowLength = Math.max(0, Math.min(width, rect.col + rect.width) - left) * channels;
  const out = new Int32Array(rows * rowLength);
  for (let dy = 0; dy < rows; dy++) {
    const start = ((top + dy) * width + left) * channels;
    for (let j = 0; j < rowLength; j++) out[dy * rowLength + j] = start + j;
  }
  return out;
}

/** One output cell along an axis: the in-image source pixels it overlaps and by how much. */
interface CellSpan {
  readonly pixels: readonly number[];
  /** Overlap of the cell with each pixel, in units of 1/side pixel: integers, so every weight is exact. */
  readonly weights: readonly number[];
  readonly total: number;
}

/**
 * The `side` cells along one axis of a rectangle starting at `origin`, `length` pixels long, in an image
 * `extent` pixels long. Cell i spans [i·length, (i+1)·length) and pixel p spans [p·side, (p+1)·side), both
 * in units of 1/side pixel from the origin; pixels past the image's edge are left out.
 */
function cellSpans(origin: number, length: number, side: number, extent: number): CellSpan[] {
  return Array.from({ length: side }, (_, i) => {
    const start = i * length;
    const end = start + length;
    const pixels: number[] = [];
    const weights: number[] = [];
    const last = Math.min(Math.ceil(end / side), extent - origin);
    for (let p = Math.floor(start / side); p < last; p++) {
      const overlap = Math.min(end, (p + 1) * side) - Math.max(start, p * side);
      if (overlap <= 0) continue;
      pixels.push(origin + p);
      weights.push(overlap);
    }
    return { pixels, weights, total: weights.reduce((sum, w) => sum + w, 0) };
  });
}

/**
 * Writes the side × side × C area averages of `rect` into `out` from `offset` (row-major, channels last): each
 * output cell covers (height/side) × (width/side) source pixels, fractions included, and averages the image
 * pixels it overlaps weighted by the overlapped area. A side dividing the rectangle's height and width gives
 * plain block means; a rectangle of side × side is copied exactly. Only the part inside the image is
 * averaged, so padding never dilutes a mean; a cell wholly past the edge is 0, and `real` (indexed like
 * `out`), when given, gets 1 at every cell that overlaps the image and 0 at the others.
 */
export function resampleRect(image: ImageSample, rect: Rect, side: number, out: Float32Array, offset: number, real?: Uint8Array): void {
  const { width, channels, pixels } = image;
  const rows = cellSpans(rect.row, rect.height, side, image.height);
  const cols = cellSpans(rect.col, rect.width, side, width);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const at = offset + (i * side + j) * channels;
      const area = rows[i].total * cols[j].total;
      real?.fill(area > 0 ? 1 : 0, at, at + channels);
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        rows[i].pixels.forEach((y, a) => {
          cols[j].pixels.forEach((x, b) => {
            sum += rows[i].weights[a] * cols[j].weights[b] * pixels[(y * width + x) * channels + c];
          });
        });
        out[at + c] = area > 0 ? sum / area : 0;
      }
    }
  }
}

/**
 * Paints the side × side × C block at `offset` of `values` over the in-image pixels of `rect` in `image`,
 * replacing what they held: each pixel gets the mean of the cells it overlaps, weighted by the overlapped
 * area (one cell's value when cells are unions of whole pixels). This is the adjoint of resampleRect's area
 * average, so painting the average of a block of a side dividing the rectangle's sides gives each cell's
 * pixels their mean, and painting the exact copy of a side × side rectangle gives it back unchanged. Cells
 * wholly past the image's edge overlap no pixel, so whatever they hold is never painted.
 */
export function paintRect(values: Float32Array, offset: number, side: number, image: ImageSample, rect: Rect): void {
  const { width, channels, pixels } = image;
  const rows = cellSpans(rect.row, rect.height, side, image.height);
  const cols = cellSpans(rect.col, rect.width, side, width);
  const height = Math.max(0, Math.min(rect.height, image.height - rect.row));
  const span = Math.max(0, Math.min(rect.width, width - rect.col));
  // Overlap-weighted sums per in-image pixel of the rectangle; every pixel's overlaps add up to side × side.
  const sums = new Float64Array(height * span * channels);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const at = offset + (i * side + j) * channels;
      rows[i].pixels.forEach((y, a) => {
        cols[j].pixels.forEach((x, b) => {
          const weight = rows[i].weights[a] * cols[j].weights[b];
          const to = ((y - rect.row) * span + x - rect.col) * channels;
          for (let c = 0; c < channels; c++) sums[to + c] += weight * values[at + c];
        });
      });
    }
  }
  const area = side * side;
  for (let dy = 0; dy < height; dy++) {
    for (let dx = 0; dx < span; dx++) {
      const from = (dy * span + dx) * channels;
      const to = ((rect.row + dy) * width + rect.col + dx) * channels;
      for (let c = 0; c < channels; c++) pixels[to + c] = sums[from + c] / area;
    }
  }
}
