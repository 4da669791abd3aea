// Exact tokens, coordinates, area-averaged values, padding, covers, decode and checks of the multiscale strategy on hand-made images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { multiscale } from '../../../strategies/image/multiscale.js';
import { patch } from '../../../strategies/image/patch.js';

/** An image whose intensities are the given numerators over 16 (exact in float32). */
function image(height: number, width: number, channels: number, sixteenths: number[]): ImageSample {
  return { height, width, channels, pixels: Float32Array.from(sixteenths, (v) => v / 16) };
}

const sixteenths = (values: Float32Array) => Array.from(values, (v) => v * 16);

// 4 × 4 grey image, numerators row-major:
//    1  2  3  4
//    5  6  7  8
//    9 10 11 12
//   13 14 15 16
const grey44 = image(4, 4, 1, Array.from({ length: 16 }, (_, f) => f + 1));

test('scales [4, 2] on a 4×4 image: the 4-patch first as its four 2×2 block means, then the four 2-patches as they are', () => {
  const s = multiscale.create({ scales: [4, 2] }, { height: 4, width: 4, channels: 1 });
  assert.deepEqual(s.layout, { idChannels: 0, vocabSizes: [], valueDim: 4, coordDim: 3, target: { kind: 'values' }, maskSpan: 1 });
  const t = s.encode(grey44);
  assert.equal(t.length, 5);
  assert.deepEqual(sixteenths(t.values), [
    3.5, 5.5, 11.5, 13.5, // (0,0,4): (1+2+5+6)/4, (3+4+7+8)/4, (9+10+13+14)/4, (11+12+15+16)/4
    1, 2, 5, 6, // (0,0,2)
    3, 4, 7, 8, // (0,2,2)
    9, 10, 13, 14, // (2,0,2)
    11, 12, 15, 16, // (2,2,2)
  ]);
  assert.deepEqual(Array.from(t.coords), [0, 0, 4, 0, 0, 2, 0, 2, 2, 2, 0, 2, 2, 2, 2]);
  assert.equal(t.realValues, undefined);
  assert.deepEqual(t.extent, [4, 4, 1]);
  assert.equal(t.dropped, 0);
  assert.deepEqual(Array.from({ length: 5 }, (_, i) => s.label(t, i)), ['patch(0,0,4)', 'patch(0,0,2)', 'patch(0,2,2)', 'patch(2,0,2)', 'patch(2,2,2)']);
  assert.deepEqual(Array.from(s.covers(t, 0)), Array.from({ length: 16 }, (_, e) => e));
  assert.deepEqual(Array.from(s.covers(t, 4)), [10, 11, 14, 15]);
  assert.deepEqual(s.decode(t), grey44);
});

test('the order of scales does not matter: tokens always go coarse to fine', () => {
  const info = { height: 4, width: 4, channels: 1 };
  assert.deepEqual(multiscale.create({ scales: [2, 4] }, info).encode(grey44), multiscale.create({ scales: [4, 2] }, info).encode(grey44));
});

test('decode takes each pixel from its finest covering token: coarse predictions change nothing while a fine token covers the pixel', () => {
  const s = multiscale.create({ scales: [4, 2] }, { height: 4, width: 4, channels: 1 });
  const t = s.encode(grey44);
  const coarsePredicted = t.values.slice();
  coarsePredicted.fill(0, 0, 4);
  assert.deepEqual(s.decode({ ...t, values: coarsePredicted }), grey44);
  const finePredicted = t.values.slice();
  finePredicted.set([0, 1, 2, 3].map((v) => v / 16), 4 * 4); // token 4, (2,2,2)
  assert.deepEqual(sixteenths(s.decode({ ...t, values: finePredicted }).pixels), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 13, 14, 2, 3]);
  // Without the last fine token, its pixels come from the coarse token's bottom-right block mean, 13.5.
  const withoutLast = { ...t, length: 4, values: t.values.subarray(0, 16), coords: t.coords.subarray(0, 12) };
  assert.deepEqual(sixteenths(s.decode(withoutLast).pixels), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13.5, 13.5, 13, 14, 13.5, 13.5]);
  assert.equal(
    s.decodeNote,
    'Each pixel is rebuilt from the finest token covering it, the 2×2 patch that carries it exactly; coarser tokens, and their predictions when masked, never change a pixel a finer token covers (with every token present, none), so only finest-scale predictions enter the reconstruction scores.',
  );
});

// 4 × 5 grey image, numerators row-major:
//    1  2  3  4  5
//    6  7  8  9 10
//   11 12 13 14 15
//   16 17 18 19 20
const grey45 = image(4, 5, 1, Array.from({ length: 20 }, (_, f) => f + 1));

test('a patch past the right edge averages its in-image pixels only; cells wholly past the edge are padding', () => {
  const s = multiscale.create({ scales: [4, 2] }, { height: 4, width: 5, channels: 1 });
  const t = s.encode(grey45);
  // Scale 4: 1 × 2 patches; scale 2: 2 × 3 patches.
  assert.equal(t.length, 8);
  assert.deepEqual(Array.from(t.coords), [0, 0, 4, 0, 4, 4, 0, 0, 2, 0, 2, 2, 0, 4, 2, 2, 0, 2, 2, 2, 2, 2, 4, 2]);
  assert.deepEqual(sixteenths(t.values), [
    4, 6, 14, 16, // (0,0,4): (1+2+6+7)/4, (3+4+8+9)/4, (11+12+16+17)/4, (13+14+18+19)/4
    7.5, 0, 17.5, 0, // (0,4,4): (5+10)/2 from column 4 alone, columns 6-7 wholly past the edge, (15+20)/2, padding
    1, 2, 6, 7,
    3, 4, 8, 9,
    5, 0, 10, 0, // (0,4,2): column 5 is padding
    11, 12, 16, 17,
    13, 14, 18, 19,
    15, 0, 20, 0,
  ]);
  assert.deepEqual(Array.from(t.realValues ?? []), [1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [4, 9, 14, 19]);
  assert.deepEqual(s.decode(t), grey45);
  assert.equal(multiscale.tokensPerSample?.({ scales: [4, 2] }, { height: 4, width: 5, channels: 1 }), 8);
});

test('a single scale gives exactly the patch strategy\'s tokens', () => {
  const info = { height: 4, width: 5, channels: 1 };
  const ours = multiscale.create({ scales: [2] }, info).encode(grey45);
  const theirs = patch.create({ patch_size: 2 }, info).encode(grey45);
  assert.deepEqual([ours.values, ours.coords, ours.realValues], [theirs.values, theirs.coords, theirs.realValues]);
});

// 3 × 3 grey image:
//   1 2 3
//   4 5 6
//   7 8 9
const grey33 = image(3, 3, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

test('a scale the finest does not divide is area-weighted: 3 → 2 makes cells of 1.5 pixels', () => {
  const s = multiscale.create({ scales: [3, 2] }, { height: 3, width: 3, channels: 1 });
  const t = s.encode(grey33);
  assert.equal(t.length, 5);
  // Along each axis cell 0 holds pixel 0 whole and half of pixel 1 (weights 2, 1 in half-pixels), cell 1 the other
  // half of pixel 1 and pixel 2 (1, 2): cell (0,0) = (4·1 + 2·2 + 2·4 + 1·5)/9 = 21/9, (0,1) = (2·2 + 4·3 + 1·5 + 2·6)/9 = 33/9,
  // (1,0) = (2·4 + 1·5 + 4·7 + 2·8)/9 = 57/9, (1,1) = (1·5 + 2·6 + 2·8 + 4·9)/9 = 69/9; their mean is the image's, 5.
  assert.deepEqual(Array.from(t.values.subarray(0, 4)), Array.from(Float32Array.of(21 / 144, 33 / 144, 57 / 144, 69 / 144)));
  assert.deepEqual(sixteenths(t.values.subarray(4)), [1, 2, 4, 5, 3, 0, 6, 0, 7, 8, 0, 0, 9, 0, 0, 0]);
  assert.deepEqual(s.decode(t), grey33);
});

test('finest scale 1: a 2-patch overhanging the corner is the mean of its one to four in-image pixels', () => {
  const s = multiscale.create({ scales: [2, 1] }, { height: 3, width: 3, channels: 1 });
  assert.equal(s.layout.valueDim, 1);
  const t = s.encode(grey33);
  assert.equal(t.length, 4 + 9);
  // (0,0): (1+2+4+5)/4 = 3; (0,2): (3+6)/2 = 4.5, not (3+6+0+0)/4; (2,0): (7+8)/2 = 7.5; (2,2): 9 alone.
  assert.deepEqual(sixteenths(t.values), [3, 4.5, 7.5, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(t.realValues ?? []), new Array(13).fill(1));
  assert.deepEqual(s.decode(t), grey33);
});

test('colour: 2×2 patches of a 2×4×2 image reach scale 1 as per-channel means', () => {
  // Intensity at flat index f = (y·4 + x)·2 + c is (f + 1)/16.
  const rgb = image(2, 4, 2, Array.from({ length: 16 }, (_, f) => f + 1));
  const s = multiscale.create({ scales: [1, 2] }, { height: 2, width: 4, channels: 2 });
  assert.equal(s.layout.valueDim, 2);
  const t = s.encode(rgb);
  assert.equal(t.length, 2 + 8);
  // (0,0,2): channel 0 (1+3+9+11)/4 = 6, channel 1 (2+4+10+12)/4 = 7; (0,2,2): (5+7+13+15)/4 = 10 and 11; then every pixel.
  assert.deepEqual(sixteenths(t.values), [6, 7, 10, 11, ...Array.from({ length: 16 }, (_, f) => f + 1)]);
  assert.deepEqual(Array.from(t.coords.subarray(0, 9)), [0, 0, 2, 0, 2, 2, 0, 0, 1]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [4, 5, 6, 7, 12, 13, 14, 15]);
  assert.deepEqual(Array.from(s.covers(t, 9)), [14, 15]);
  assert.deepEqual(s.decode(t), rgb);
});

test('tokensPerSample sums every scale\'s padded grid, as encode gives', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.equal(multiscale.tokensPerSample?.({ scales: [14, 7] }, mnist), 4 + 16);
  assert.equal(multiscale.tokensPerSample?.({ scales: [7, 14] }, mnist), 20);
  assert.equal(multiscale.tokensPerSample?.({ scales: [4, 2] }, mnist), 49 + 196);
  assert.equal(multiscale.tokensPerSample?.({ scales: [3] }, mnist), 100);
  assert.equal(multiscale.create({ scales: [14, 7] }, mnist).layout.valueDim, 49);
  assert.equal(multiscale.tokensPerSample?.({ scales: [3, 2] }, { height: 3, width: 3, channels: 1 }), multiscale.create({ scales: [3, 2] }, { height: 3, width: 3, channels: 1 }).encode(grey33).length);
});

test('check: a scale larger than the image is a problem at its index', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.deepEqual(multiscale.check?.({ scales: [28, 14, 7] }, mnist), []);
  assert.deepEqual(multiscale.check?.({ scales: [7, 32] }, mnist), [{ path: ['scales', 1], message: 'found scale 32 for 28×28 images; expected at most 28' }]);
  assert.deepEqual(multiscale.check?.({ scales: [4, 2] }, { height: 3, width: 5, channels: 1 }), [{ path: ['scales', 0], message: 'found scale 4 for 3×5 images; expected at most 3' }]);
});

test('params: default [4, 2]; a non-empty list of distinct integers ≥ 1; no unknown keys', () => {
  assert.deepEqual(multiscale.params.parse({}), { scales: [4, 2] });
  assert.deepEqual(multiscale.params.parse({ scales: [7, 14] }), { scales: [7, 14] });
  const repeated = multiscale.params.safeParse({ scales: [7, 7] });
  assert.equal(repeated.success, false);
  assert.deepEqual(repeated.error?.issues.map((i) => [i.path, i.message]), [[['scales'], 'expected distinct patch sizes']]);
  assert.throws(() => multiscale.params.parse({ scales: [] }));
  assert.throws(() => multiscale.params.parse({ scales: [0, 2] }));
  assert.throws(() => multiscale.params.parse({ scales: [2.5] }));
  assert.throws(() => multiscale.params.parse({ scales: [4, 2], stride: 1 }));
});

test('a sample with another channel count than the dataset declares is an input error', () => {
  const s = multiscale.create({ scales: [2, 1] }, { height: 4, width: 4, channels: 3 });
  assert.throws(() => s.encode(grey44), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /3 channel/.test(e.message));
});
