// Exact area averages and painting of image rectangles: block means, fractional cells, offsets, the image's edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { paintRect, resampleRect } from '../../../strategies/image/resample.js';

/** An image whose intensities are the given numerators over 16 (exact in float32). */
function image(height: number, width: number, channels: number, sixteenths: number[]): ImageSample {
  return { height, width, channels, pixels: Float32Array.from(sixteenths, (v) => v / 16) };
}

const sixteenths = (values: ArrayLike<number>) => Array.from(values, (v) => v * 16);

// 4 × 5 grey image, numerators row-major (p(y, x) = 5y + x + 1):
//    1  2  3  4  5
//    6  7  8  9 10
//   11 12 13 14 15
//   16 17 18 19 20
const grey45 = () => image(4, 5, 1, Array.from({ length: 20 }, (_, f) => f + 1));

test('a side × side rectangle is copied exactly, and painting it back changes nothing', () => {
  const source = grey45();
  const out = new Float32Array(4);
  resampleRect(source, { row: 1, col: 2, height: 2, width: 2 }, 2, out, 0);
  assert.deepEqual(sixteenths(out), [8, 9, 13, 14]);
  const target = grey45();
  paintRect(out, 0, 2, target, { row: 1, col: 2, height: 2, width: 2 });
  assert.deepEqual(target, grey45());
});

test('a side dividing the rectangle gives block means, written at the offset', () => {
  const out = new Float32Array(6).fill(99);
  resampleRect(grey45(), { row: 0, col: 0, height: 4, width: 4 }, 2, out, 1);
  // (1+2+6+7)/4, (3+4+8+9)/4, (11+12+16+17)/4, (13+14+18+19)/4; out[0] and out[5] untouched.
  assert.deepEqual(Array.from(out), [99, 4 / 16, 6 / 16, 14 / 16, 16 / 16, 99]);
});

test('3 pixels to 2 cells: each cell averages 1.5 pixels by overlapped area (a linear image gives its value at the cell centroid)', () => {
  const out = new Float32Array(4);
  // Rows and columns 1–3; along each axis cell 0 holds the first pixel and half the second, cell 1 the rest.
  // Cell (0,0) = (4·7 + 2·8 + 2·12 + 1·13)/9 = 81/9 = 9; (0,1) = (2·8 + 4·9 + 1·13 + 2·14)/9 = 93/9;
  // (1,0) = (2·12 + 1·13 + 4·17 + 2·18)/9 = 141/9; (1,1) = (1·13 + 2·14 + 2·18 + 4·19)/9 = 153/9 = 17.
  resampleRect(grey45(), { row: 1, col: 1, height: 3, width: 3 }, 2, out, 0);
  assert.deepEqual(Array.from(out), Array.from(Float32Array.of(81 / 144, 93 / 144, 141 / 144, 153 / 144)));
});

test('painting 2 cells over 3 pixels: a pixel straddling two cells gets their mean, the others their cell\'s value', () => {
  const target = grey45();
  paintRect(Float32Array.from([0, 1, 2, 3, 4, 0], (v) => v / 16), 1, 2, target, { row: 1, col: 1, height: 3, width: 3 });
  // Cells 1 2 / 3 4 over rows and columns 1–3: the middle row and column blend; pixels outside the rectangle stay.
  assert.deepEqual(sixteenths(target.pixels), [
    1, 2, 3, 4, 5,
    6, 1, 1.5, 2, 10,
    11, 2, 2.5, 3, 15,
    16, 3, 3.5, 4, 20,
  ]);
});

test('a rectangle past the image\'s edge averages its in-image pixels only and marks cells wholly outside', () => {
  const out = new Float32Array(8).fill(99);
  const real = new Uint8Array(8).fill(7);
  // Rows 2–5 and columns 3–6 of a 4 × 5 image: only the top-left cell (rows 2–3, columns 3–4) is inside.
  resampleRect(grey45(), { row: 2, col: 3, height: 4, width: 4 }, 2, out, 4, real);
  assert.deepEqual(sixteenths(out.subarray(4)), [17, 0, 0, 0]);
  assert.deepEqual(Array.from(real), [7, 7, 7, 7, 1, 0, 0, 0]);
  // One cell over rows 2–3, columns 4–5: column 4 alone is inside, so (15 + 20)/2, not (15 + 20 + 0 + 0)/4.
  const one = new Float32Array(1);
  resampleRect(grey45(), { row: 2, col: 4, height: 2, width: 2 }, 1, one, 0);
  assert.deepEqual(sixteenths(one), [17.5]);
});

test('painting a rectangle past the edge paints its in-image pixels and never its outside cells', () => {
  const target = grey45();
  paintRect(Float32Array.from([1, 99, 99, 99], (v) => v / 16), 0, 2, target, { row: 2, col: 3, height: 4, width: 4 });
  assert.deepEqual(sixteenths(target.pixels), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1, 1, 16, 17, 18, 1, 1]);
});

test('a rectangle smaller than the block is upsampled by area and painted back exactly', () => {
  const out = new Float32Array(4);
  // One row, two columns to 2 × 2: both cell rows hold half of row 0.
  resampleRect(grey45(), { row: 0, col: 0, height: 1, width: 2 }, 2, out, 0);
  assert.deepEqual(sixteenths(out), [1, 2, 1, 2]);
  const target = image(4, 5, 1, new Array(20).fill(0));
  paintRect(out, 0, 2, target, { row: 0, col: 0, height: 1, width: 2 });
  assert.deepEqual(sixteenths(target.pixels.subarray(0, 3)), [1, 2, 0]);
});

test('channels are averaged and painted each on its own', () => {
  // 2 × 2 × 2: intensity at flat index f is (f + 1)/16.
  const rgb = image(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
  const out = new Float32Array(2);
  resampleRect(rgb, { row: 0, col: 0, height: 2, width: 2 }, 1, out, 0);
  assert.deepEqual(sixteenths(out), [4, 5]);
  const target = image(2, 2, 2, new Array(8).fill(0));
  paintRect(out, 0, 1, target, { row: 0, col: 0, height: 2, width: 2 });
  assert.deepEqual(sixteenths(target.pixels), [4, 5, 4, 5, 4, 5, 4, 5]);
});
