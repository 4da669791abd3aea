// Exact patches, coordinates, labels, covers and decode of the ViT-style patch strategy on hand-made images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { patch } from '../../../strategies/image/patch.js';

/** An image whose intensities are the given numerators over 16 (exact in float32). */
function image(height: number, width: number, channels: number, sixteenths: number[]): ImageSample {
  return { height, width, channels, pixels: Float32Array.from(sixteenths, (v) => v / 16) };
}

const sixteenths = (values: Float32Array) => Array.from(values, (v) => v * 16);

// 3 × 5 grey image, numerators row-major:
//    1  2  3  4  5
//    6  7  8  9 10
//   11 12 13 14 15
const grey = image(3, 5, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

test('2×2 patches of a 3×5 image are zero-padded to 4×6 and listed in raster order', () => {
  const s = patch.create(patch.params.parse({ patch_size: 2 }), { height: 3, width: 5, channels: 1 });
  const t = s.encode(grey);
  assert.equal(t.length, 6);
  assert.deepEqual(sixteenths(t.values), [
    1, 2, 6, 7, // (0,0)
    3, 4, 8, 9, // (0,2)
    5, 0, 10, 0, // (0,4): column 5 is padding
    11, 12, 0, 0, // (2,0): row 3 is padding
    13, 14, 0, 0, // (2,2)
    15, 0, 0, 0, // (2,4)
  ]);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 0, 2, 2, 0, 4, 2, 2, 0, 2, 2, 2, 2, 2, 4, 2]);
  assert.deepEqual(
    Array.from({ length: t.length }, (_, i) => s.label(t, i)),
    ['patch(0,0,2)', 'patch(0,2,2)', 'patch(0,4,2)', 'patch(2,0,2)', 'patch(2,2,2)', 'patch(2,4,2)'],
  );
  assert.deepEqual(t.ids, new Int32Array(0));
  assert.deepEqual(t.extent, [3, 5, 1]);
  assert.equal(t.dropped, 0);
});

test('covers lists only the real pixels of a padded patch', () => {
  const s = patch.create({ patch_size: 2 }, { height: 3, width: 5, channels: 1 });
  const t = s.encode(grey);
  assert.deepEqual(Array.from(s.covers(t, 0)), [0, 1, 5, 6]);
  assert.deepEqual(Array.from(s.covers(t, 2)), [4, 9]);
  assert.deepEqual(Array.from(s.covers(t, 5)), [14]);
});

test('decode is exact and crops the padding, whatever the padded values hold', () => {
  const s = patch.create({ patch_size: 2 }, { height: 3, width: 5, channels: 1 });
  const t = s.encode(grey);
  assert.deepEqual(s.decode(t), grey);
  const values = t.values.slice();
  values[2 * 4 + 1] = 0.5; // padding of patch (0,4)
  values[5 * 4 + 3] = 0.75; // padding of patch (2,4)
  values[0] = 1; // a real pixel: (0,0)
  const decoded = s.decode({ ...t, values });
  assert.deepEqual(sixteenths(decoded.pixels), [16, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
});

test('values are row-major within the patch with channels last', () => {
  // 2 × 4 × 2 image: the intensity at flat index f = (y·4 + x)·2 + c is (f + 1)/16.
  const rgb = image(2, 4, 2, Array.from({ length: 16 }, (_, f) => f + 1));
  const s = patch.create({ patch_size: 2 }, { height: 2, width: 4, channels: 2 });
  assert.equal(s.layout.valueDim, 8);
  const t = s.encode(rgb);
  assert.deepEqual(sixteenths(t.values), [1, 2, 3, 4, 9, 10, 11, 12, 5, 6, 7, 8, 13, 14, 15, 16]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [4, 5, 6, 7, 12, 13, 14, 15]);
  assert.deepEqual(s.decode(t), rgb);
});

test('patch_size 1 gives one token per pixel; patch_size 4 covers a 3×5 image with two padded tokens', () => {
  const one = patch.create({ patch_size: 1 }, { height: 3, width: 5, channels: 1 });
  const t1 = one.encode(grey);
  assert.equal(t1.length, 15);
  assert.deepEqual(sixteenths(t1.values), sixteenths(grey.pixels));
  assert.equal(one.label(t1, 7), 'patch(1,2,1)');
  const big = patch.create({ patch_size: 4 }, { height: 3, width: 5, channels: 1 });
  const t8 = big.encode(grey);
  assert.equal(t8.length, 2);
  assert.deepEqual(Array.from(t8.coords), [0, 0, 4, 0, 4, 4]);
  assert.deepEqual(sixteenths(t8.values.subarray(16)), [5, 0, 0, 0, 10, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(big.decode(t8), grey);
});

test('layout: values target, no ids, pixel coordinates', () => {
  const s = patch.create(patch.params.parse({}), { height: 28, width: 28, channels: 1 });
  assert.deepEqual(s.layout, { idChannels: 0, vocabSizes: [], valueDim: 16, coordDim: 3, target: { kind: 'values' }, maskSpan: 1 });
  assert.equal(s.decodeNote, '');
});

test('check: a patch larger than the image\'s height or width is a problem at patch_size', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.deepEqual(patch.check?.({ patch_size: 28 }, mnist), []);
  assert.deepEqual(patch.check?.({ patch_size: 32 }, mnist), [{ path: ['patch_size'], message: 'found patch_size 32 for 28×28 images; expected at most 28' }]);
  assert.deepEqual(patch.check?.({ patch_size: 4 }, { height: 3, width: 5, channels: 1 }), [
    { path: ['patch_size'], message: 'found patch_size 4 for 3×5 images; expected at most 3' },
  ]);
});

test('tokensPerSample is the padded grid ⌈H/p⌉·⌈W/p⌉, as encode gives', () => {
  const info = { height: 3, width: 5, channels: 1 };
  for (const [size, tokens] of [[1, 15], [2, 6], [3, 2]]) {
    assert.equal(patch.tokensPerSample?.({ patch_size: size }, info), tokens);
    assert.equal(patch.create({ patch_size: size }, info).encode(grey).length, tokens);
  }
  assert.equal(patch.tokensPerSample?.({ patch_size: 4 }, { height: 28, width: 28, channels: 1 }), 49);
});

test('params: default 4, integer ≥ 1, stride an optional integer ≥ 1, no unknown keys', () => {
  assert.deepEqual(patch.params.parse({}), { patch_size: 4 });
  assert.deepEqual(patch.params.parse({ patch_size: 8, stride: 4 }), { patch_size: 8, stride: 4 });
  assert.throws(() => patch.params.parse({ patch_size: 0 }));
  assert.throws(() => patch.params.parse({ patch_size: 2.5 }));
  assert.throws(() => patch.params.parse({ patch_size: 2, stride: 0 }));
  assert.throws(() => patch.params.parse({ patch_size: 2, stride: 1.5 }));
  assert.throws(() => patch.params.parse({ patch_size: 2, padding: 1 }));
});

test('a sample with another channel count than the dataset declares is an input error', () => {
  const s = patch.create({ patch_size: 2 }, { height: 3, width: 5, channels: 3 });
  assert.throws(() => s.encode(grey), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /3 channel/.test(e.message));
});

// 4 × 5 grey image, numerators row-major:
//    1  2  3  4  5
//    6  7  8  9 10
//   11 12 13 14 15
//   16 17 18 19 20
const grey45 = image(4, 5, 1, Array.from({ length: 20 }, (_, f) => f + 1));

test('patch 2 stride 1 on a 4×5 image: origins 0…2 down and 0…3 across, 12 overlapping patches, no padding', () => {
  const s = patch.create({ patch_size: 2, stride: 1 }, { height: 4, width: 5, channels: 1 });
  const t = s.encode(grey45);
  // Rows: 0, 1, 2 (the patch at 2 reaches row 3, the last); columns: 0, 1, 2, 3 (the one at 3 reaches column 4).
  assert.equal(t.length, 12);
  assert.deepEqual(sixteenths(t.values), [
    1, 2, 6, 7, 2, 3, 7, 8, 3, 4, 8, 9, 4, 5, 9, 10, // row 0: (0,0) (0,1) (0,2) (0,3)
    6, 7, 11, 12, 7, 8, 12, 13, 8, 9, 13, 14, 9, 10, 14, 15, // row 1
    11, 12, 16, 17, 12, 13, 17, 18, 13, 14, 18, 19, 14, 15, 19, 20, // row 2
  ]);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 0, 1, 2, 0, 2, 2, 0, 3, 2, 1, 0, 2, 1, 1, 2, 1, 2, 2, 1, 3, 2, 2, 0, 2, 2, 1, 2, 2, 2, 2, 2, 3, 2]);
  assert.equal(t.realValues, undefined);
  assert.equal(s.label(t, 6), 'patch(1,2,2)');
  // Token 6 at (1,2): pixels (1,2), (1,3), (2,2), (2,3).
  assert.deepEqual(Array.from(s.covers(t, 6)), [7, 8, 12, 13]);
  assert.deepEqual(Array.from(s.covers(t, 11)), [13, 14, 18, 19]);
  assert.equal(patch.tokensPerSample?.({ patch_size: 2, stride: 1 }, { height: 4, width: 5, channels: 1 }), 12);
});

test('with overlap, decode averages every patch covering a pixel: exact for true tokens, blended for a predicted one', () => {
  const s = patch.create({ patch_size: 2, stride: 1 }, { height: 4, width: 5, channels: 1 });
  const t = s.encode(grey45);
  assert.deepEqual(s.decode(t), grey45);
  assert.equal(s.decodeNote, "Patches overlap (stride 1 < patch_size 2): each pixel is the mean of every patch covering it, so overlapping predicted patches are blended; the encoder's own tokens decode exactly.");
  // Token 5 at (1,1) predicted as 0 everywhere; each of its pixels is covered by 4 patches:
  // (1,1) = (7·3 + 0)/4 = 5.25, (1,2) = 8·3/4 = 6, (2,1) = 12·3/4 = 9, (2,2) = 13·3/4 = 9.75.
  const values = t.values.slice();
  values.fill(0, 5 * 4, 6 * 4);
  assert.deepEqual(sixteenths(s.decode({ ...t, values }).pixels), [1, 2, 3, 4, 5, 6, 5.25, 6, 9, 10, 11, 9, 9.75, 14, 15, 16, 17, 18, 19, 20]);
  // Each token carrying its own index t/16: corner (0,0) only token 0; (0,4) only token 3; (1,4) tokens 3 and 7 → 5;
  // (1,1) tokens 0, 1, 4, 5 → 2.5; (3,4) only token 11.
  const indices = Float32Array.from({ length: 48 }, (_, v) => Math.floor(v / 4) / 16);
  const decoded = sixteenths(s.decode({ ...t, values: indices }).pixels);
  assert.deepEqual([decoded[0], decoded[4], decoded[9], decoded[6], decoded[19]], [0, 3, 5, 2.5, 11]);
});

// 3 × 3 × 3 colour image: the intensity at flat index f = (y·3 + x)·3 + c is (f + 1)/16.
const rgb33 = image(3, 3, 3, Array.from({ length: 27 }, (_, f) => f + 1));

test('patch 2 stride 1 on a 3×3 colour image: 4 patches of 12 values, channels last, decode averaging per channel', () => {
  const s = patch.create({ patch_size: 2, stride: 1 }, { height: 3, width: 3, channels: 3 });
  assert.equal(s.layout.valueDim, 12);
  const t = s.encode(rgb33);
  assert.equal(t.length, 4);
  assert.deepEqual(sixteenths(t.values), [
    1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, // (0,0)
    4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18, // (0,1)
    10, 11, 12, 13, 14, 15, 19, 20, 21, 22, 23, 24, // (1,0)
    13, 14, 15, 16, 17, 18, 22, 23, 24, 25, 26, 27, // (1,1)
  ]);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 0, 1, 2, 1, 0, 2, 1, 1, 2]);
  assert.deepEqual(Array.from(s.covers(t, 3)), [12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26]);
  assert.deepEqual(s.decode(t), rgb33);
  // Token 3 predicted as 0: the centre pixel is in all 4 patches (×3/4), (1,2) and (2,1) in 2 (×1/2), (2,2) only in token 3.
  const values = t.values.slice();
  values.fill(0, 36, 48);
  assert.deepEqual(sixteenths(s.decode({ ...t, values }).pixels), [
    1, 2, 3, 4, 5, 6, 7, 8, 9,
    10, 11, 12, 9.75, 10.5, 11.25, 8, 8.5, 9,
    19, 20, 21, 11, 11.5, 12, 0, 0, 0,
  ]);
});

test('patch 3 stride 2 on a 4×5 image: patches stop at the first that reaches the edge, the overhang is padding', () => {
  const s = patch.create({ patch_size: 3, stride: 2 }, { height: 4, width: 5, channels: 1 });
  const t = s.encode(grey45);
  // Rows: 0, then 2 (reaches row 4 past the last, row 3); columns: 0, then 2 (reaches column 4, the last): no patch at 4.
  assert.equal(t.length, 4);
  assert.deepEqual(Array.from(t.coords), [0, 0, 3, 0, 2, 3, 2, 0, 3, 2, 2, 3]);
  assert.deepEqual(sixteenths(t.values.subarray(27)), [13, 14, 15, 18, 19, 20, 0, 0, 0]);
  assert.deepEqual(Array.from(t.realValues?.subarray(18) ?? []), [1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(s.covers(t, 3)), [12, 13, 14, 17, 18, 19]);
  assert.deepEqual(s.decode(t), grey45);
  assert.equal(patch.tokensPerSample?.({ patch_size: 3, stride: 2 }, { height: 4, width: 5, channels: 1 }), 4);
});

test('stride equal to patch_size gives exactly the default tokens and an empty decodeNote', () => {
  const info = { height: 3, width: 5, channels: 1 };
  const strided = patch.create({ patch_size: 2, stride: 2 }, info);
  assert.deepEqual(strided.encode(grey), patch.create({ patch_size: 2 }, info).encode(grey));
  assert.equal(strided.decodeNote, '');
});

test('tokensPerSample for overlapping patches on MNIST: patch 8 stride 4 starts at 0, 4, …, 20 on each axis', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.equal(patch.tokensPerSample?.({ patch_size: 8, stride: 4 }, mnist), 36);
  assert.equal(patch.tokensPerSample?.({ patch_size: 1 }, mnist), 784);
  assert.equal(patch.tokensPerSample?.({ patch_size: 2, stride: 1 }, mnist), 729);
});

test('check: a stride larger than the image, or than the patch, is a problem at stride', () => {
  const mnist = { height: 28, width: 28, channels: 1 };
  assert.deepEqual(patch.check?.({ patch_size: 8, stride: 4 }, mnist), []);
  assert.deepEqual(patch.check?.({ patch_size: 32, stride: 32 }, mnist), [
    { path: ['patch_size'], message: 'found patch_size 32 for 28×28 images; expected at most 28' },
    { path: ['stride'], message: 'found stride 32 for 28×28 images; expected at most 28' },
  ]);
  assert.deepEqual(patch.check?.({ patch_size: 4, stride: 8 }, mnist), [
    { path: ['stride'], message: 'found stride 8 with patch_size 4; expected at most 4 (the patch_size), since a longer step would leave pixels out of every patch' },
  ]);
});

test('create refuses a stride larger than the patch with an invalid-param error at stride', () => {
  assert.throws(
    () => patch.create({ patch_size: 4, stride: 8 }, { height: 28, width: 28, channels: 1 }),
    (e: unknown) => e instanceof TokbenchError && e.code === 'invalid-param' && e.path.join('.') === 'stride' && e.message.startsWith('found stride 8 with patch_size 4;'),
  );
});
