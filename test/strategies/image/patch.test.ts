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

test('params: default 4, integer ≥ 1, no unknown keys', () => {
  assert.deepEqual(patch.params.parse({}), { patch_size: 4 });
  assert.throws(() => patch.params.parse({ patch_size: 0 }));
  assert.throws(() => patch.params.parse({ patch_size: 2.5 }));
  assert.throws(() => patch.params.parse({ patch_size: 2, stride: 1 }));
});

test('a sample with another channel count than the dataset declares is an input error', () => {
  const s = patch.create({ patch_size: 2 }, { height: 3, width: 5, channels: 3 });
  assert.throws(() => s.encode(grey), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /3 channel/.test(e.message));
});
