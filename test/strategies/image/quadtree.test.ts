// Exact leaves, values, coords, covers, caps and checks of the quadtree strategy on hand-made images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { DETAIL, decompose, quadtree, type QuadtreeParams } from '../../../strategies/image/quadtree.js';

/** An image whose intensities are the given numerators over 32 (exact in float32). */
function image(height: number, width: number, channels: number, numerators: number[]): ImageSample {
  return { height, width, channels, pixels: Float32Array.from(numerators, (v) => v / 32) };
}

const numerators = (values: Float32Array) => Array.from(values, (v) => v * 32);
const params = (written: Partial<QuadtreeParams>) => quadtree.params.parse(written);
const rects = (image: ImageSample, written: Partial<QuadtreeParams>) => decompose(image, params(written)).leaves.map(({ row, col, height, width }) => [row, col, height, width]);
const create = (written: Partial<QuadtreeParams>, sample: ImageSample) => quadtree.create(params(written), { height: sample.height, width: sample.width, channels: sample.channels });

// 4 × 4 grey, left half flat at 16, right half textured:
//   16 16  1  2
//   16 16  3  4
//   16 16  5  6
//   16 16  7  8
const halfFlat = image(4, 4, 1, [16, 16, 1, 2, 16, 16, 3, 4, 16, 16, 5, 6, 16, 16, 7, 8]);

test('a 4×4 image with a flat half splits into its two flat quadrants and eight single pixels', () => {
  // The 4×4 tile is not flat → four 2×2 quadrants; the left two are flat (variance 0, not > 0) and stay
  // whole, the right two each split into four 1×1 leaves. Raster order of the top-left corners.
  const s = create({ min_size: 1, max_size: 4, threshold: 0 }, halfFlat);
  const t = s.encode(halfFlat);
  assert.equal(t.length, 10);
  assert.deepEqual(Array.from(t.coords), [
    0, 0, 2, 2,
    0, 2, 1, 1, 0, 3, 1, 1,
    1, 2, 1, 1, 1, 3, 1, 1,
    2, 0, 2, 2,
    2, 2, 1, 1, 2, 3, 1, 1,
    3, 2, 1, 1, 3, 3, 1, 1,
  ]);
  assert.deepEqual(numerators(t.values), [16, 1, 2, 3, 4, 16, 5, 6, 7, 8]);
  assert.equal(s.label(t, 0), 'leaf(0,0,2×2)');
  assert.equal(s.label(t, 9), 'leaf(3,3,1×1)');
  assert.deepEqual(Array.from(s.covers(t, 0)), [0, 1, 4, 5]);
  assert.deepEqual(Array.from(s.covers(t, 5)), [8, 9, 12, 13]);
  assert.deepEqual(Array.from(s.covers(t, 4)), [7]);
  assert.deepEqual(s.decode(t), halfFlat);
  assert.deepEqual(t.extent, [4, 4, 1]);
  assert.deepEqual(t.ids, new Int32Array(0));
  assert.equal(t.dropped, 0);
});

test('with min_size 2 the same image stops at its four quadrants, each carried at full resolution', () => {
  // A 2×2 block cannot be halved into sides of at least 2, so the textured quadrants stay whole.
  const s = create({ min_size: 2, max_size: 4, threshold: 0 }, halfFlat);
  const t = s.encode(halfFlat);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 2, 0, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(numerators(t.values), [16, 16, 16, 16, 1, 2, 3, 4, 16, 16, 16, 16, 5, 6, 7, 8]);
  assert.deepEqual(s.decode(t), halfFlat);
});

// Four 2×2 tiles (max_size 2) of a 4×4 image, whose details are worked out below:
//   A = 0 0 | B = 2 4
//       1 1 |     6 8
//   C = 0 0 | D = 16 16
//      32 32|     16 16
const tiles = image(4, 4, 1, [0, 0, 2, 4, 1, 1, 6, 8, 0, 0, 16, 16, 32, 32, 16, 16]);

test('criteria: population variance, range and 16-bin entropy in bits of one channel', () => {
  const of = (n: number[]) => Float32Array.from(n, (v) => v / 32);
  // A: mean 1/64, every deviation ±1/64 → variance 1/4096; range 1/32; all four in bin 0 → 0 bits.
  assert.equal(DETAIL.variance(of([0, 0, 1, 1])), 1 / 4096);
  assert.equal(DETAIL.range(of([0, 0, 1, 1])), 1 / 32);
  assert.equal(DETAIL.entropy(of([0, 0, 1, 1])), 0);
  // B: mean 5/32, deviations −3, −1, 1, 3 (/32) → (9 + 1 + 1 + 9)/4/1024 = 5/1024; range 6/32; bins 1, 2, 3, 4 → 2 bits.
  assert.equal(DETAIL.variance(of([2, 4, 6, 8])), 5 / 1024);
  assert.equal(DETAIL.range(of([2, 4, 6, 8])), 6 / 32);
  assert.equal(DETAIL.entropy(of([2, 4, 6, 8])), 2);
  // C: 0, 0, 1, 1 → variance 1/4, range 1, bins 0, 0, 15, 15 (1 falls in the last bin) → 1 bit.
  assert.equal(DETAIL.variance(of([0, 0, 32, 32])), 1 / 4);
  assert.equal(DETAIL.range(of([0, 0, 32, 32])), 1);
  assert.equal(DETAIL.entropy(of([0, 0, 32, 32])), 1);
  // D is flat: 0 under every criterion.
  for (const detail of Object.values(DETAIL)) assert.equal(detail(of([16, 16, 16, 16])), 0);
});

test('each criterion splits exactly the tiles whose detail is strictly greater than the threshold', () => {
  const ones = (row: number, col: number) => [[row, col, 1, 1], [row, col + 1, 1, 1], [row + 1, col, 1, 1], [row + 1, col + 1, 1, 1]];
  const A = [[0, 0, 2, 2]];
  const B = [[0, 2, 2, 2]];
  const C = [[2, 0, 2, 2]];
  const D = [[2, 2, 2, 2]];
  const raster = (leaves: number[][]) => leaves.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const base = { min_size: 1, max_size: 2 };
  // variance 0.001: B (0.0049) and C (0.25) split, A (0.00024) and D (0) do not.
  assert.deepEqual(rects(tiles, { ...base, criterion: 'variance', threshold: 0.001 }), raster([...A, ...ones(0, 2), ...ones(2, 0), ...D]));
  // variance 0: every tile that is not flat splits.
  assert.deepEqual(rects(tiles, { ...base, criterion: 'variance', threshold: 0 }), raster([...ones(0, 0), ...ones(0, 2), ...ones(2, 0), ...D]));
  // range 0.5: only C (1) splits; B's 0.1875 does not exceed it.
  assert.deepEqual(rects(tiles, { ...base, criterion: 'range', threshold: 0.5 }), raster([...A, ...B, ...ones(2, 0), ...D]));
  // entropy 1: B (2 bits) splits; C has exactly 1 bit, which does not exceed 1.
  assert.deepEqual(rects(tiles, { ...base, criterion: 'entropy', threshold: 1 }), raster([...A, ...ones(0, 2), ...C, ...D]));
  // entropy 0 leaves A whole though it is not flat: its intensities share one bin.
  assert.deepEqual(rects(tiles, { ...base, criterion: 'entropy', threshold: 0 }), raster([...A, ...ones(0, 2), ...ones(2, 0), ...D]));
});

test("min_size's own example: a 25-pixel side with max_size 8 ends in a 1-pixel edge tile, resampled up to min_size²", () => {
  // 2 × 25, numerators x mod 8 + 8y: tiles 8, 8, 8 and 1 wide; at threshold 1 nothing splits. The last tile is
  // column 24: (0, 24) = 0 and (1, 24) = 8, each 2×2 cell half of one pixel's width.
  const strip = image(2, 25, 1, Array.from({ length: 50 }, (_, f) => ((f % 25) % 8) + 8 * Math.floor(f / 25)));
  const t = create({ min_size: 2, max_size: 8, threshold: 1 }, strip).encode(strip);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 8, 0, 8, 2, 8, 0, 16, 2, 8, 0, 24, 2, 1]);
  assert.deepEqual(numerators(t.values.subarray(12)), [0, 0, 8, 8]);
});

test('threshold 0 with min_size 1 is lossless on a random 5×7×3 image under variance and range', () => {
  const rng = createRng(7);
  const random: ImageSample = { height: 5, width: 7, channels: 3, pixels: Float32Array.from({ length: 105 }, () => rng.uniform()) };
  for (const criterion of ['variance', 'range'] as const) {
    for (const max_size of [4, 8]) {
      const s = create({ criterion, threshold: 0, min_size: 1, max_size }, random);
      assert.equal(s.decodeNote, '');
      const t = s.encode(random);
      // No two neighbouring pixels are equal, so every leaf is a single pixel.
      assert.equal(t.length, 35);
      assert.deepEqual(s.decode(t), random);
    }
  }
  // Entropy cannot promise it: values that share a bin look flat.
  assert.notEqual(create({ criterion: 'entropy', threshold: 0, min_size: 1 }, random).decodeNote, '');
});

// 5 × 6 grey image, numerators 6y + x + 1:
//    1  2  3  4  5  6
//    7  8  9 10 11 12
//   13 14 15 16 17 18
//   19 20 21 22 23 24
//   25 26 27 28 29 30
const ramp = image(5, 6, 1, Array.from({ length: 30 }, (_, f) => f + 1));

test('max_size 4 tiles a 5×6 image from the top left with the right and bottom tiles cropped', () => {
  // Variance of [0, 1] intensities is at most 1/4, so threshold 1 never splits: the leaves are the tiles.
  const s = create({ min_size: 2, max_size: 4, threshold: 1 }, ramp);
  const t = s.encode(ramp);
  assert.equal(t.length, 4);
  assert.deepEqual(Array.from(t.coords), [0, 0, 4, 4, 0, 4, 4, 2, 4, 0, 1, 4, 4, 4, 1, 2]);
  assert.deepEqual(numerators(t.values), [
    // 4×4 → 2×2 block means: (1+2+7+8)/4, (3+4+9+10)/4, (13+14+19+20)/4, (15+16+21+22)/4
    4.5, 6.5, 16.5, 18.5,
    // 4×2 → 2×2, each cell two rows of one column: (5+11)/2, (6+12)/2, (17+23)/2, (18+24)/2
    8, 9, 20, 21,
    // 1×4 → 2×2, each cell half the row and two columns: (25+26)/2, (27+28)/2, twice
    25.5, 27.5, 25.5, 27.5,
    // 1×2 → 2×2, each cell half of one pixel
    29, 30, 29, 30,
  ]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [4, 5, 10, 11, 16, 17, 22, 23]);
  assert.deepEqual(Array.from(s.covers(t, 3)), [28, 29]);
  // Each pixel gets the cell(s) it was averaged into; the 1-row tiles get back what they gave.
  assert.deepEqual(numerators(s.decode(t).pixels), [
    4.5, 4.5, 6.5, 6.5, 8, 9,
    4.5, 4.5, 6.5, 6.5, 8, 9,
    16.5, 16.5, 18.5, 18.5, 20, 21,
    16.5, 16.5, 18.5, 18.5, 20, 21,
    25.5, 25.5, 27.5, 27.5, 29, 30,
  ]);
  assert.equal(t.dropped, 0);
});

test('odd sides split with the extra pixel in the first half', () => {
  // 3 × 5 image (one tile, max_size 5, cropped to 3 rows): rows split 2 + 1, columns 3 + 2. Each letter
  // is a flat region; only the top-left 2×3 block is textured, and it splits again: rows 1 + 1, columns 2 + 1.
  //   a a e b b        a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7
  //   f f g b b
  //   c c c d d
  const odd = image(3, 5, 1, [1, 1, 5, 2, 2, 6, 6, 7, 2, 2, 3, 3, 3, 4, 4]);
  const s = create({ min_size: 1, max_size: 5, threshold: 0 }, odd);
  const t = s.encode(odd);
  assert.deepEqual(Array.from(t.coords), [0, 0, 1, 2, 0, 2, 1, 1, 0, 3, 2, 2, 1, 0, 1, 2, 1, 2, 1, 1, 2, 0, 1, 3, 2, 3, 1, 2]);
  assert.deepEqual(numerators(t.values), [1, 5, 2, 6, 7, 3, 4]);
  assert.deepEqual(s.decode(t), odd);
});

test('a block halves along the only side that can be halved: a 4×3 tile at min_size 2 splits into top and bottom', () => {
  // Height 4 halves into 2 + 2; width 3 would leave a 1-pixel half, smaller than min_size 2.
  const tall = image(4, 3, 1, [0, 3, 6, 0, 3, 6, 6, 3, 0, 6, 3, 0]);
  assert.deepEqual(rects(tall, { min_size: 2, max_size: 4, threshold: 0 }), [[0, 0, 2, 3], [2, 0, 2, 3]]);
  // Neither side of a 3×3 block halves at min_size 2, however detailed it is.
  assert.deepEqual(rects(image(3, 3, 1, [0, 32, 0, 32, 0, 32, 0, 32, 0]), { min_size: 2, max_size: 3, threshold: 0 }), [[0, 0, 3, 3]]);
});

test('max_len splits the most detailed leaves first and stops at the first split that does not fit', () => {
  // Tiles A, B, C, D of `tiles` have variance 1/4096, 5/1024, 1/4, 0: uncapped, A, B and C split (13 tokens).
  const base = { min_size: 1, max_size: 2, threshold: 0 };
  assert.equal(rects(tiles, base).length, 13);
  // 7: C splits (4 → 7 tokens); B would make 10.
  const afterC = [[0, 0, 2, 2], [0, 2, 2, 2], [2, 0, 1, 1], [2, 1, 1, 1], [2, 2, 2, 2], [3, 0, 1, 1], [3, 1, 1, 1]];
  assert.deepEqual(rects(tiles, { ...base, max_len: 7 }), afterC);
  // 9: still 7, as B's split needs three more tokens and A's, smaller in detail, waits behind it.
  assert.deepEqual(rects(tiles, { ...base, max_len: 9 }), afterC);
  // 10: C, then B.
  assert.deepEqual(rects(tiles, { ...base, max_len: 10 }), [
    [0, 0, 2, 2], [0, 2, 1, 1], [0, 3, 1, 1], [1, 2, 1, 1], [1, 3, 1, 1], [2, 0, 1, 1], [2, 1, 1, 1], [2, 2, 2, 2], [3, 0, 1, 1], [3, 1, 1, 1],
  ]);
  // A cheaper split behind a costlier one waits too. 2 × 3 image, max_size 2: tile (0,0) = 0 32 / 32 0 (variance 1/4)
  // needs 3 more tokens; tile (0,2) = 8 / 9 (variance 1/4096) is one pixel wide, so it halves into top and bottom for 1 more.
  const pair = image(2, 3, 1, [0, 32, 8, 32, 0, 9]);
  assert.deepEqual(rects(pair, { ...base, max_len: 4 }), [[0, 0, 2, 2], [0, 2, 2, 1]]);
  assert.deepEqual(rects(pair, { ...base, max_len: 5 }), [[0, 0, 1, 1], [0, 1, 1, 1], [0, 2, 2, 1], [1, 0, 1, 1], [1, 1, 1, 1]]);
  assert.deepEqual(rects(pair, { ...base, max_len: 6 }), [[0, 0, 1, 1], [0, 1, 1, 1], [0, 2, 1, 1], [1, 0, 1, 1], [1, 1, 1, 1], [1, 2, 1, 1]]);
  const s = create({ ...base, max_len: 10 }, tiles);
  assert.equal(s.encode(tiles).length, 10);
  assert.equal(s.encode(tiles).dropped, 0);
  assert.match(s.decodeNote, /pixels of tiles that max_len dropped are 0/);
  assert.doesNotMatch(create({ min_size: 2 }, tiles).decodeNote, /max_len/);
});

test('equal detail splits in raster order under a cap', () => {
  // Tiles (0,0) and (2,2) are both 0 0 / 1 1 (variance 1/4); the other two are flat. max_len 7 allows one split.
  const twins = image(4, 4, 1, [0, 0, 8, 8, 32, 32, 8, 8, 8, 8, 0, 0, 8, 8, 32, 32]);
  assert.deepEqual(rects(twins, { min_size: 1, max_size: 2, threshold: 0, max_len: 7 }), [
    [0, 0, 1, 1], [0, 1, 1, 1], [0, 2, 2, 2], [1, 0, 1, 1], [1, 1, 1, 1], [2, 0, 2, 2], [2, 2, 2, 2],
  ]);
});

test('a cap below the tile count drops the least detailed tiles: their pixels are dropped and decode to 0', () => {
  // max_len 2 keeps C (1/4) and B (5/1024); A and D, 8 of 16 pixels, are dropped.
  const s = create({ min_size: 1, max_size: 2, threshold: 0, max_len: 2 }, tiles);
  const t = s.encode(tiles);
  assert.deepEqual(Array.from(t.coords), [0, 2, 2, 2, 2, 0, 2, 2]);
  // Each kept 2×2 tile averages to one value: (2+4+6+8)/4 and (0+0+32+32)/4.
  assert.deepEqual(numerators(t.values), [5, 16]);
  assert.equal(t.dropped, 0.5);
  assert.deepEqual(Array.from(s.covers(t, 0)), [2, 3, 6, 7]);
  assert.deepEqual(numerators(s.decode(t).pixels), [0, 0, 5, 5, 0, 0, 5, 5, 16, 16, 0, 0, 16, 16, 0, 0]);
  // max_len 3 keeps A (1/4096) too and drops only the flat D: 4 of 16 pixels.
  assert.equal(create({ min_size: 1, max_size: 2, threshold: 0, max_len: 3 }, tiles).encode(tiles).dropped, 0.25);
  // Equal detail: of four flat tiles, max_len 2 keeps the first two in raster order.
  const flat = image(4, 4, 1, new Array<number>(16).fill(8));
  assert.deepEqual(rects(flat, { max_size: 2, max_len: 2 }), [[0, 0, 2, 2], [0, 2, 2, 2]]);
  assert.equal(decompose(flat, params({ max_size: 2, max_len: 2 })).droppedPixels, 8);
});

test('colour: a uniformly coloured block is flat, detail is the most detailed channel, values are channels-last', () => {
  // 2 × 4 × 3: tile (0,0) is one colour (8, 16, 24); tile (0,2) has green 12 everywhere, red 4 8 / 4 8 (variance
  // (2/32)² = 1/256) and blue 0 16 / 0 16 (variance (8/32)² = 1/16). Its detail is blue's 1/16, not the channels'
  // sum 17/256 ≈ 0.066 nor their mean ≈ 0.033.
  const rgb = image(2, 4, 3, [8, 16, 24, 8, 16, 24, 4, 12, 0, 8, 12, 16, 8, 16, 24, 8, 16, 24, 4, 12, 0, 8, 12, 16]);
  const s = create({ min_size: 1, max_size: 2, threshold: 0 }, rgb);
  assert.equal(s.layout.valueDim, 3);
  const t = s.encode(rgb);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 2, 0, 2, 1, 1, 0, 3, 1, 1, 1, 2, 1, 1, 1, 3, 1, 1]);
  assert.deepEqual(numerators(t.values), [8, 16, 24, 4, 12, 0, 8, 12, 16, 4, 12, 0, 8, 12, 16]);
  assert.deepEqual(Array.from(s.covers(t, 0)), [0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17]);
  assert.deepEqual(Array.from(s.covers(t, 2)), [9, 10, 11]);
  assert.deepEqual(s.decode(t), rgb);
  // Just above blue's 1/16 nothing splits; just below, the blue tile does.
  assert.equal(create({ min_size: 1, max_size: 2, threshold: 0.0626 }, rgb).encode(rgb).length, 2);
  assert.equal(create({ min_size: 1, max_size: 2, threshold: 0.0624 }, rgb).encode(rgb).length, 5);
  // min_size 2: a 2×2×3 leaf carries 12 values in the image's own order.
  const whole = create({ min_size: 2, max_size: 2 }, rgb).encode(rgb);
  assert.deepEqual(numerators(whole.values), [8, 16, 24, 8, 16, 24, 8, 16, 24, 8, 16, 24, 4, 12, 0, 8, 12, 16, 4, 12, 0, 8, 12, 16]);
});

test('the mean token count falls as the threshold rises on a fixed set of random images', () => {
  const rng = createRng(11);
  const images = Array.from({ length: 8 }, (): ImageSample => ({ height: 8, width: 8, channels: 1, pixels: Float32Array.from({ length: 64 }, () => rng.uniform()) }));
  const mean = (threshold: number) => images.reduce((n, im) => n + decompose(im, params({ min_size: 1, max_size: 8, threshold })).leaves.length, 0) / images.length;
  const means = [0, 0.02, 0.04, 0.06, 0.08, 0.25].map(mean);
  // Threshold 0: every pixel its own leaf. Threshold 1/4, the largest variance of [0, 1] values: one leaf per image.
  assert.equal(means[0], 64);
  assert.equal(means[means.length - 1], 1);
  for (let i = 1; i < means.length; i++) assert.ok(means[i] < means[i - 1], `mean ${means[i]} at step ${i} is not below ${means[i - 1]}`);
});

test('layout: min_size² · C values, four pixel coordinates, values target', () => {
  const s = quadtree.create(params({}), { height: 28, width: 28, channels: 1 });
  assert.deepEqual(s.layout, { idChannels: 0, vocabSizes: [], valueDim: 4, coordDim: 4, target: { kind: 'values' }, maskSpan: 1 });
  assert.equal(quadtree.create(params({ min_size: 3, max_size: 9 }), { height: 28, width: 28, channels: 3 }).layout.valueDim, 27);
});

test('tokensPerSample is known only when the image cannot change the count', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  // Defaults (8, 2): 16 tiles that can split → depends on the image.
  assert.equal(quadtree.tokensPerSample?.(params({}), mnist), undefined);
  // max_len at or below the 16 tiles: exactly max_len.
  assert.equal(quadtree.tokensPerSample?.(params({ max_len: 16 }), mnist), 16);
  assert.equal(quadtree.tokensPerSample?.(params({ max_len: 5 }), mnist), 5);
  assert.equal(quadtree.tokensPerSample?.(params({ max_len: 17 }), mnist), undefined);
  // 4-pixel tiles at min_size 3 cannot split: one token per tile, ⌈28/4⌉² = 49.
  assert.equal(quadtree.tokensPerSample?.(params({ max_size: 4, min_size: 3 }), mnist), 49);
  // The 5×6 ramp with max_size 4, min_size 3: 4 tiles, as encode gives.
  const info = { height: 5, width: 6, channels: 1 };
  assert.equal(quadtree.tokensPerSample?.(params({ max_size: 4, min_size: 3 }), info), 4);
  assert.equal(create({ max_size: 4, min_size: 3, threshold: 0 }, ramp).encode(ramp).length, 4);
});

test('check: min_size above max_size or the image side; a max_size past the image is fine', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.deepEqual(quadtree.check?.(params({}), mnist), []);
  assert.deepEqual(quadtree.check?.(params({ max_size: 32 }), mnist), []);
  assert.deepEqual(quadtree.check?.(params({ min_size: 4, max_size: 2 }), mnist), [
    { path: ['min_size'], message: 'found min_size 4 with max_size 2; expected at most max_size' },
  ]);
  assert.deepEqual(quadtree.check?.(params({ min_size: 6, max_size: 8 }), { height: 5, width: 6, channels: 1 }), [
    { path: ['min_size'], message: 'found min_size 6 for 5×6 images; expected at most 5' },
  ]);
  assert.throws(() => quadtree.create(params({ min_size: 4, max_size: 2 }), mnist), (e: unknown) => e instanceof TokbenchError && e.code === 'invalid-param' && /min_size 4 with max_size 2/.test(e.message));
});

test('params: defaults, limits, no unknown keys', () => {
  assert.deepEqual(quadtree.params.parse({}), { criterion: 'variance', threshold: 0.01, min_size: 2, max_size: 8 });
  assert.throws(() => quadtree.params.parse({ criterion: 'gradient' }));
  assert.throws(() => quadtree.params.parse({ threshold: -0.1 }));
  assert.throws(() => quadtree.params.parse({ min_size: 0 }));
  assert.throws(() => quadtree.params.parse({ max_len: 0 }));
  assert.throws(() => quadtree.params.parse({ patch_size: 4 }));
});

test('a sample with another channel count than the dataset declares is an input error', () => {
  const s = quadtree.create(params({}), { height: 4, width: 4, channels: 3 });
  assert.throws(() => s.encode(halfFlat), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /found a sample with 1 channel\(s\); expected 3/.test(e.message));
});
