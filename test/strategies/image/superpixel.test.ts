// Exact tokens, coordinates, ownership, covers and decode of the SLIC superpixel strategy on hand-made images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { maskedElements } from '../../../harness/evaluators/reconstruction.js';
import { createRng } from '../../../harness/random.js';
import { superpixel } from '../../../strategies/image/superpixel.js';
import type { Tokens } from '../../../strategies/types.js';

/** An image whose intensities are the given numerators over 16 (exact in float32). */
function image(height: number, width: number, channels: number, sixteenths: number[]): ImageSample {
  return { height, width, channels, pixels: Float32Array.from(sixteenths, (v) => v / 16) };
}

const sixteenths = (values: ArrayLike<number>) => Array.from(values, (v) => v * 16);

/** A grey image of `height` rows, each holding `row`. */
function columns(height: number, row: number[]): ImageSample {
  return { height, width: row.length, channels: 1, pixels: Float32Array.from({ length: height * row.length }, (_, p) => row[p % row.length]) };
}

const create = (written: object, info: { height: number; width: number; channels: number }) => superpixel.create(superpixel.params.parse(written), info);

const allCovers = (s: ReturnType<typeof create>, t: Tokens) => Array.from({ length: t.length }, (_, i) => Array.from(s.covers(t, i)));

const f32 = Math.fround;

test('two flat halves of 8×8 (0.1 | 0.9), 2 segments: two tokens that follow the edge exactly', () => {
  const halves = columns(8, [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9]);
  const s = create({ segments: 2 }, { height: 8, width: 8, channels: 1 });
  const t = s.encode(halves);
  assert.equal(t.length, 2);
  // centroid row, col, area, box row, col, height, width
  assert.deepEqual(Array.from(t.coords), [3.5, 1.5, 32, 0, 0, 8, 4, 3.5, 5.5, 32, 0, 4, 8, 4]);
  // 1 mean + a 4×4 block of a flat 8×4 box: 17 values, all the half's intensity.
  assert.deepEqual(Array.from(t.values), [...Array(17).fill(f32(0.1)), ...Array(17).fill(f32(0.9))]);
  assert.equal(t.dropped, 0);
  assert.deepEqual(s.decode(t), halves);
  assert.deepEqual([s.label(t, 0), s.label(t, 1)], ['superpixel(0,0,8×4)', 'superpixel(0,4,8×4)']);
});

test('an edge off the initial grid (x = 3) moves the split with it', () => {
  // slic.test.ts traces this image: 24 dark and 40 bright pixels.
  const t = create({ segments: 2 }, { height: 8, width: 8, channels: 1 }).encode(columns(8, [0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9]));
  assert.deepEqual(Array.from(t.coords), [3.5, 1, 24, 0, 0, 8, 3, 3.5, 5, 40, 0, 3, 8, 5]);
  assert.deepEqual([t.values[0], t.values[17]], [f32(0.1), f32(0.9)]);
});

// 4 × 4, numerators over 16:
//    1  2 | 13 14
//    3  4 | 15 16
//    1  1 | 12 12
//    2  2 | 14 14
// Two segments, the halves: a colour gap of at least 8/16 costs 0.25, more than any spatial term (≤ (0.1/√8)²·13).
const tiny = image(4, 4, 1, [1, 2, 13, 14, 3, 4, 15, 16, 1, 1, 12, 12, 2, 2, 14, 14]);

test('tiny image: exact values (mean, then the box area-averaged to size × size), coords and covers', () => {
  const s = create({ segments: 2, size: 2 }, { height: 4, width: 4, channels: 1 });
  assert.equal(s.layout.valueDim, 5);
  const t = s.encode(tiny);
  assert.equal(t.length, 2);
  assert.deepEqual(Array.from(t.coords), [1.5, 0.5, 8, 0, 0, 4, 2, 1.5, 2.5, 8, 0, 2, 4, 2]);
  // Left: mean 16/8 = 2; the 4×2 box to 2×2 averages row pairs: (1+3)/2, (2+4)/2, (1+2)/2, (1+2)/2.
  // Right: mean 110/8 = 13.75; (13+15)/2, (14+16)/2, (12+14)/2, (12+14)/2.
  assert.deepEqual(sixteenths(t.values), [2, 2, 3, 1.5, 1.5, 13.75, 14, 15, 13, 13]);
  assert.deepEqual(allCovers(s, t), [[0, 1, 4, 5, 8, 9, 12, 13], [2, 3, 6, 7, 10, 11, 14, 15]]);
  assert.deepEqual(t.ids, new Int32Array(0));
  assert.deepEqual(t.extent, [4, 4, 1]);
  assert.equal(t.dropped, 0);
  // Painting each 2×2 block back gives every pixel of a row pair the pair's mean.
  assert.deepEqual(sixteenths(s.decode(t).pixels), [2, 3, 14, 15, 2, 3, 14, 15, 1.5, 1.5, 13, 13, 1.5, 1.5, 13, 13]);
});

test('decode is exact when the block is at least as fine as every box (size 4 on 4×2 boxes)', () => {
  const s = create({ segments: 2, size: 4 }, { height: 4, width: 4, channels: 1 });
  assert.deepEqual(s.decode(s.encode(tiny)), tiny);
});

test('decode paints from the block, not the mean, and only the pixels a token owns', () => {
  const s = create({ segments: 2, size: 2 }, { height: 4, width: 4, channels: 1 });
  const t = s.encode(tiny);
  const values = t.values.slice();
  values[0] = 1; // the left token's mean: not read
  values[5 + 4] = 0.5; // the right token's bottom-right cell: pixels (2..3, 3)
  assert.deepEqual(sixteenths(s.decode({ ...t, values }).pixels), [2, 3, 14, 15, 2, 3, 14, 15, 1.5, 1.5, 13, 8, 1.5, 1.5, 13, 8]);
});

test('colour: channel means and channels-last blocks; covers lists every channel of a pixel', () => {
  // 2×4×3: left half (12, 2, 4)/16, right half (2, 4, 14)/16.
  const rgb = image(2, 4, 3, [12, 2, 4, 12, 2, 4, 2, 4, 14, 2, 4, 14, 12, 2, 4, 12, 2, 4, 2, 4, 14, 2, 4, 14]);
  const s = create({ segments: 2, size: 1 }, { height: 2, width: 4, channels: 3 });
  assert.equal(s.layout.valueDim, 6);
  const t = s.encode(rgb);
  assert.deepEqual(sixteenths(t.values), [12, 2, 4, 12, 2, 4, 2, 4, 14, 2, 4, 14]);
  assert.deepEqual(Array.from(t.coords), [0.5, 0.5, 4, 0, 0, 2, 2, 0.5, 2.5, 4, 0, 2, 2, 2]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [6, 7, 8, 9, 10, 11, 18, 19, 20, 21, 22, 23]);
  assert.deepEqual(s.decode(t), rgb);
});

test('ownership: a pixel goes to the nearest centroid among the boxes that hold it; covers is the whole box', () => {
  // 3×3: an L of 14/16 (row 0 and column 0) around a 2×2 square of 2/16; slic.test.ts's rules give these two
  // segments (the centres move off the edge to (0, 0) and (2, 2)).
  //   L: centroid (0.6, 0.6), area 5, box (0, 0, 3, 3);  square: centroid (1.5, 1.5), area 4, box (1, 1, 2, 2).
  // Pixel (1, 1) is in both boxes and nearer the L's centroid (0.32 against 0.5): the L token owns it.
  const corner = image(3, 3, 1, [14, 14, 14, 14, 2, 2, 14, 2, 2]);
  const s = create({ segments: 2, size: 1 }, { height: 3, width: 3, channels: 1 });
  const t = s.encode(corner);
  assert.deepEqual(Array.from(t.coords), [f32(0.6), f32(0.6), 5, 0, 0, 3, 3, 1.5, 1.5, 4, 1, 1, 2, 2]);
  // The L's block averages its whole 3×3 box and the square's its 2×2 box, so each covers its box, owned or not.
  assert.deepEqual(allCovers(s, t), [[0, 1, 2, 3, 4, 5, 6, 7, 8], [4, 5, 7, 8]]);
  // Size 1: the L's block is the mean of its whole box, (5·14 + 4·2)/9 = 78/9 sixteenths, painted on the six pixels it
  // owns; the square's block, 2, on the other three. The mean of each token (14 and 2) is not read.
  assert.deepEqual(Array.from(t.values), [f32(14 / 16), f32(78 / 144), f32(2 / 16), f32(2 / 16)]);
  const l = f32(78 / 144);
  const d = f32(2 / 16);
  assert.deepEqual(Array.from(s.decode(t).pixels), [l, l, l, l, l, d, l, d, d]);
  // A new block changes only the pixels its token owns: the square's changes 5, 7, 8 but not 4, which it covers.
  const values = t.values.slice();
  values[3] = 1;
  assert.deepEqual(Array.from(s.decode({ ...t, values }).pixels), [l, l, l, l, l, 1, l, 1, 1]);
});

test('masking scores only the pixels no visible token\'s box holds, read from covers', () => {
  // The 3×3 L and square above: the L's box holds all 9 pixels, the square's box pixels 4, 5, 7, 8.
  const corner = image(3, 3, 1, [14, 14, 14, 14, 2, 2, 14, 2, 2]);
  const s = create({ segments: 2, size: 1 }, { height: 3, width: 3, channels: 1 });
  const t = s.encode(corner);
  // The square masked: the visible L's block carries every pixel of the square, so nothing is hidden.
  assert.deepEqual(Array.from(maskedElements(s, t, Int32Array.from([1]), 9)), []);
  // The L masked: hidden are the L's pixels outside the square's box; pixel 4, owned by the L, is in the visible square's box.
  assert.deepEqual(Array.from(maskedElements(s, t, Int32Array.from([0]), 9)), [0, 1, 2, 3, 6]);
  assert.deepEqual(Array.from(maskedElements(s, t, Int32Array.from([0, 1]), 9)), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('ownership ties go to the lower token index; decode and covers read only coords and blocks', () => {
  // Hand-made tokens on a 1×3 extent: centroids at x = 0 and x = 2, boxes x 0–2 and x 1–2. Pixel x = 1 is 1 from both.
  const s = create({ segments: 2, size: 1 }, { height: 1, width: 3, channels: 1 });
  const tokens: Tokens = {
    length: 2,
    ids: new Int32Array(0),
    values: Float32Array.from([0, 0.25, 0, 0.75]),
    coords: Float32Array.from([0, 0, 1, 0, 0, 1, 3, 0, 2, 1, 0, 1, 1, 2]),
    extent: [1, 3, 1],
    dropped: 0,
  };
  assert.deepEqual(allCovers(s, tokens), [[0, 1, 2], [1, 2]]);
  // Pixel 2 is 2 from the first centroid and 0 from the second; pixel 1 is 1 from both and goes to token 0.
  assert.deepEqual(Array.from(s.decode(tokens).pixels), [0.25, 0.25, 0.75]);
});

test('max_len keeps the largest segments in raster order; the pixels in no kept box are dropped and decode to 0', () => {
  // slic.test.ts's 4×8 stripes: segments x 0–1 (8 pixels), x 2–4 (12) and x 5–7 (12).
  const stripes = columns(4, [0.1, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9]);
  const info = { height: 4, width: 8, channels: 1 };
  const params = { segments: 2, compactness: 0, move_centres: false, size: 1 };
  const all = create(params, info).encode(stripes);
  assert.equal(all.length, 3);
  assert.deepEqual(Array.from(all.coords.subarray(2 * 7)), [1.5, 6, 12, 0, 5, 4, 3]);
  const two = create({ ...params, max_len: 2 }, info);
  const t2 = two.encode(stripes);
  assert.deepEqual(Array.from(t2.coords), Array.from(all.coords.subarray(7)));
  assert.equal(t2.dropped, 8 / 32);
  assert.deepEqual(allCovers(two, t2), [[2, 3, 4, 10, 11, 12, 18, 19, 20, 26, 27, 28], [5, 6, 7, 13, 14, 15, 21, 22, 23, 29, 30, 31]]);
  assert.deepEqual(Array.from(two.decode(t2).pixels.subarray(0, 8)), [0, 0, t2.values[1], t2.values[1], t2.values[1], f32(0.9), f32(0.9), f32(0.9)]);
  // One token: the two of 12 pixels tie, and the earlier (x 2–4) stays.
  const t1 = create({ ...params, max_len: 1 }, info).encode(stripes);
  assert.deepEqual(Array.from(t1.coords), Array.from(all.coords.subarray(7, 14)));
  assert.equal(t1.dropped, 20 / 32);
});

test('every pixel is covered unless dropped, covers is the box, and decode changes exactly the pixels a token owns, inside its box', () => {
  const rng = createRng(11);
  for (const [height, width, channels, segments] of [[28, 28, 1, 49], [9, 13, 3, 10]]) {
    const info = { height, width, channels };
    const sample = { ...info, pixels: Float32Array.from({ length: height * width * channels }, () => rng.uniform()) };
    const s = create({ segments, size: 2 }, info);
    const t = s.encode(sample);
    assert.equal(t.dropped, 0);
    const before = s.decode(t).pixels;
    const owners = new Int32Array(height * width * channels).fill(-1);
    for (let i = 0; i < t.length; i++) {
      // The box's elements, written out from the coords: rows row..row+h−1, columns col..col+w−1, every channel.
      const [row, col, boxHeight, boxWidth] = t.coords.subarray(i * 7 + 3, i * 7 + 7);
      const box: number[] = [];
      for (let y = row; y < row + boxHeight; y++) for (let x = col; x < col + boxWidth; x++) for (let c = 0; c < channels; c++) box.push((y * width + x) * channels + c);
      const covers = Array.from(s.covers(t, i));
      assert.deepEqual(covers, box, `token ${i}`);
      // A block of 2s, outside [0, 1], shows which elements decode takes from token i: the ones it owns.
      const values = t.values.slice();
      values.fill(2, i * s.layout.valueDim + channels, (i + 1) * s.layout.valueDim);
      const after = s.decode({ ...t, values }).pixels;
      const owned = Array.from(after.keys()).filter((e) => after[e] !== before[e]);
      assert.ok(owned.every((e) => covers.includes(e)), `token ${i} owns an element outside its box`);
      for (const e of owned) {
        assert.equal(owners[e], -1, `element ${e} owned twice`);
        owners[e] = i;
      }
    }
    // Every element is owned by exactly one token, and so covered at least once.
    assert.ok(owners.every((owner) => owner !== -1));
    assert.deepEqual(create({ segments, size: 2 }, info).encode(sample), t);
    assert.deepEqual(s.encode(sample), t);
  }
});

test('layout, description and params: values target, 7 coords, not seeded, stateless, token count unknown without data', () => {
  const info = { height: 28, width: 28, channels: 1 };
  const s = superpixel.create(superpixel.params.parse({}), info);
  assert.deepEqual(s.layout, { idChannels: 0, vocabSizes: [], valueDim: 17, coordDim: 7, target: { kind: 'values' }, maskSpan: 1 });
  assert.equal(s.fit, undefined);
  assert.notEqual(superpixel.seeded, true);
  assert.equal(superpixel.tokensPerSample?.(superpixel.params.parse({}), info), undefined);
  assert.notEqual(s.decodeNote, '');
  assert.deepEqual(superpixel.params.parse({}), { segments: 49, compactness: 0.1, iterations: 10, move_centres: true, size: 4 });
  for (const bad of [{ segments: 0 }, { segments: 2.5 }, { compactness: -1 }, { iterations: 0 }, { size: 0 }, { max_len: 0 }, { seed: 1 }]) {
    assert.throws(() => superpixel.params.parse(bad), JSON.stringify(bad));
  }
});

test('check: a block side beyond the image\'s longest side is a problem at size', () => {
  const p = superpixel.params.parse({ size: 29 });
  assert.deepEqual(superpixel.check?.(superpixel.params.parse({ size: 28 }), { height: 28, width: 20, channels: 1 }), []);
  assert.deepEqual(superpixel.check?.(p, { height: 28, width: 20, channels: 1 }), [
    { path: ['size'], message: 'found size 29 for 28×20 images; expected at most 28, the longest side a bounding box can have' },
  ]);
});

test('a sample with another channel count or pixel count than declared is an input error', () => {
  const s = create({}, { height: 4, width: 4, channels: 3 });
  assert.throws(() => s.encode(tiny), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === 'superpixel found a sample with 1 channel(s); expected 3, as the dataset declares');
  const short = { height: 4, width: 4, channels: 1, pixels: new Float32Array(15) };
  assert.throws(() => create({}, { height: 4, width: 4, channels: 1 }).encode(short), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /found 15 intensities/.test(e.message));
});
