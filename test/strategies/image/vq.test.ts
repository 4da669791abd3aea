// Exact codebooks, ids, coordinates, decode, labels and artifacts of the k-means VQ strategy on hand-made images; planted centres, seeds and codebook size on generated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { mnist } from '../../../datasets/image/mnist.js';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { vq } from '../../../strategies/image/vq.js';
import type { VqParams } from '../../../strategies/image/vq.js';

const image = (height: number, width: number, channels: number, pixels: number[]): ImageSample => ({ height, width, channels, pixels: Float32Array.from(pixels) });
const params = (written: Partial<VqParams>): VqParams => vq.params.parse(written);
const codebookRows = (codebook: Float64Array, dim: number) => Array.from({ length: codebook.length / dim }, (_, c) => Array.from(codebook.subarray(c * dim, (c + 1) * dim)));
const isError = (code: string, pattern: RegExp) => (e: unknown) => e instanceof TokbenchError && e.code === code && pattern.test(e.message);

// 3 × 3 grey images cut into 2×2 patches (0,0), (0,2), (2,0), (2,2); the last three overhang and are zero-padded,
// so the all-ones image gives the patch vectors [1,1,1,1], [1,0,1,0], [1,1,0,0] and [1,0,0,0], the all-zeros image four [0,0,0,0].
const small = { height: 3, width: 3, channels: 1 };
const zeros = image(3, 3, 1, Array(9).fill(0));
const ones = image(3, 3, 1, Array(9).fill(1));

function fittedSmall(written: Partial<VqParams> = {}) {
  const s = vq.create(params({ patch_size: 2, vocab_size: 5, ...written }), small);
  s.fit([zeros, ones], createRng(0));
  return s;
}

test('five distinct training patches and vocab_size 5: the codebook is exactly those patches, ids in ascending mean, ties by the first differing value', () => {
  const s = fittedSmall();
  // Means 0, 0.25, 0.5, 0.5, 1; [1,0,1,0] before [1,1,0,0] as their second values are 0 < 1. Id 0 is [PAD].
  assert.deepEqual(codebookRows(s.state?.codebook ?? new Float64Array(), 4), [[0, 0, 0, 0], [1, 0, 0, 0], [1, 0, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]]);
  assert.equal(s.state?.codes, 5);
  assert.deepEqual(s.layout.vocabSizes, [6]);
  assert.deepEqual(s.layout, { idChannels: 1, vocabSizes: [6], valueDim: 0, coordDim: 3, target: { kind: 'ids', channel: 0, specials: 1 }, maskSpan: 1 });
  assert.equal(s.artifacts()['codebook.tsv'], 'id\ty0x0c0\ty0x1c0\ty1x0c0\ty1x1c0\n1\t0\t0\t0\t0\n2\t1\t0\t0\t0\n3\t1\t0\t1\t0\n4\t1\t1\t0\t0\n5\t1\t1\t1\t1\n');
});

test('encode: one code id per patch in raster order, nearest code with ties to the lower id, patch coordinates; labels name both', () => {
  const s = fittedSmall();
  const t = s.encode(ones);
  assert.deepEqual(Array.from(t.ids), [5, 3, 4, 2]);
  assert.deepEqual(Array.from(t.coords), [0, 0, 2, 0, 2, 2, 2, 0, 2, 2, 2, 2]);
  assert.deepEqual([t.length, t.values.length, t.realValues, t.extent, t.dropped], [4, 0, undefined, [3, 3, 1], 0]);
  assert.deepEqual(
    Array.from({ length: 4 }, (_, i) => s.label(t, i)),
    ['code5@patch(0,0,2)', 'code3@patch(0,2,2)', 'code4@patch(2,0,2)', 'code2@patch(2,2,2)'],
  );
  // Patches of
  //   1    1    0.25
  //   0.75 1    0
  //   0.5  0.25 0.75
  // (0,0) [1,1,0.75,1] is 0.0625 from [1,1,1,1]; (0,2) [0.25,pad,0,pad] is 0.0625 from [0,0,0,0];
  // (2,0) [0.5,0.25,pad,pad] is 0.3125 from both [0,0,0,0] and [1,0,0,0]: the lower id, 1; (2,2) [0.75,pad,pad,pad] is 0.0625 from [1,0,0,0].
  const mixed = s.encode(image(3, 3, 1, [1, 1, 0.25, 0.75, 1, 0, 0.5, 0.25, 0.75]));
  assert.deepEqual(Array.from(mixed.ids), [5, 1, 1, 2]);
  assert.deepEqual(Array.from(s.decode(mixed).pixels), [1, 1, 0, 1, 1, 0, 0, 0, 1]);
});

test('decode paints each code\'s centroid at its patch and crops the padding; covers lists the real pixels', () => {
  const s = fittedSmall();
  const t = s.encode(ones);
  assert.deepEqual(s.decode(t), ones);
  // [1,0,1,0] at (0,0) and [1,1,1,1] at the padded (0,2): only pixels (0,2) and (1,2) of the latter are in the image.
  const decoded = s.decode({ ...t, ids: Int32Array.of(3, 5, 1, 1) });
  assert.deepEqual(Array.from(decoded.pixels), [1, 0, 1, 1, 0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(s.covers(t, 1)), [2, 5]);
  assert.deepEqual(Array.from(s.covers(t, 3)), [8]);
  assert.throws(() => s.decode({ ...t, ids: Int32Array.of(0, 5, 1, 1) }), isError('input', /found id 0; expected a code id in 1\.\.5/));
  assert.throws(() => s.decode({ ...t, ids: Int32Array.of(6, 5, 1, 1) }), isError('input', /found id 6/));
  assert.match(s.decodeNote, /centroid/);
});

test('fewer distinct training patches than vocab_size: a smaller codebook, and the vocabulary says so', () => {
  const s = fittedSmall({ vocab_size: 8 });
  assert.equal(s.state?.codes, 5);
  assert.deepEqual(s.layout.vocabSizes, [6]);
});

test('colour patches: channels last within the patch; codes ordered by mean, then by the first differing channel', () => {
  // 2 × 2 RGB: red, blue / green, black. Means 1/3 for the colours, 0 for black; blue [0,0,1] < green [0,1,0] < red [1,0,0].
  const rgb = image(2, 2, 3, [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
  const s = vq.create(params({ patch_size: 1, vocab_size: 4 }), { height: 2, width: 2, channels: 3 });
  s.fit([rgb], createRng(0));
  assert.deepEqual(codebookRows(s.state?.codebook ?? new Float64Array(), 3), [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  const t = s.encode(rgb);
  assert.deepEqual(Array.from(t.ids), [4, 2, 3, 1]);
  assert.deepEqual(Array.from(s.covers(t, 3)), [9, 10, 11]);
  assert.deepEqual(s.decode(t), rgb);
  assert.equal(s.artifacts()['codebook.tsv'].split('\n')[0], 'id\ty0x0c0\ty0x0c1\ty0x0c2');
  const two = vq.create(params({ patch_size: 2, vocab_size: 1 }), { height: 2, width: 2, channels: 3 });
  two.fit([rgb], createRng(0));
  // One code: the mean patch, which is the image itself.
  assert.deepEqual(two.decode(two.encode(rgb)), rgb);
  assert.equal(two.artifacts()['codebook.tsv'].split('\n')[0].split('\t').length, 13);
});

/** 4 × 4 grey images of four 2×2 patches, each a planted centre plus uniform noise in ±0.002. */
const CENTRES = [
  [0.1, 0.1, 0.1, 0.1],
  [0.9, 0.1, 0.9, 0.1],
  [0.1, 0.7, 0.1, 0.7],
  [0.8, 0.8, 0.8, 0.8],
];

function plantedImage(rng: ReturnType<typeof createRng>, noise: number): ImageSample {
  const pixels = new Float32Array(16);
  for (let patch = 0; patch < 4; patch++) {
    const centre = CENTRES[rng.int(4)];
    const [y0, x0] = [2 * Math.floor(patch / 2), 2 * (patch % 2)];
    centre.forEach((v, e) => (pixels[(y0 + Math.floor(e / 2)) * 4 + x0 + (e % 2)] = v + noise * (2 * rng.uniform() - 1)));
  }
  return { height: 4, width: 4, channels: 1, pixels };
}

test('planted centres: the codebook recovers the 4 centres within 1e-3, in ascending mean, for any seed', () => {
  const rng = createRng(11);
  const train = Array.from({ length: 100 }, () => plantedImage(rng, 0.002));
  for (const seed of [0, 1, 2]) {
    const s = vq.create(params({ patch_size: 2, vocab_size: 4 }), { height: 4, width: 4, channels: 1 });
    s.fit(train, createRng(seed));
    // Means 0.1, 0.5, 0.4, 0.8, so ids 1..4 hold centres 0, 2, 1, 3.
    const expected = [CENTRES[0], CENTRES[2], CENTRES[1], CENTRES[3]];
    const rows = codebookRows(s.state?.codebook ?? new Float64Array(), 4);
    assert.equal(rows.length, 4);
    rows.forEach((row, c) => row.forEach((v, e) => assert.ok(Math.abs(v - expected[c][e]) < 1e-3, `seed ${seed}, code ${c}, value ${e}: ${v} vs ${expected[c][e]}`)));
    // A clean image of centres 0, 1, 2, 3 in raster order: ids 1 + the sorted positions 0, 2, 1, 3.
    const clean = image(4, 4, 1, [0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.7, 0.8, 0.8, 0.1, 0.7, 0.8, 0.8]);
    assert.deepEqual(Array.from(s.encode(clean).ids), [1, 3, 2, 4]);
  }
});

test('the same seed fits the same codebook; other seeds fit other codebooks (seed repeats measure the tokenizer)', () => {
  const rng = createRng(5);
  const train = Array.from({ length: 20 }, () => image(4, 4, 1, Array.from({ length: 16 }, () => rng.uniform())));
  const fit = (seed: number) => {
    const s = vq.create(params({ patch_size: 2, vocab_size: 8 }), { height: 4, width: 4, channels: 1 });
    s.fit(train, createRng(seed));
    return s.state;
  };
  assert.deepEqual(fit(3), fit(3));
  assert.notDeepEqual(fit(3)?.codebook, fit(4)?.codebook);
  assert.equal(vq.seeded, true);
});

test('fit_samples below the number of training patches: k-means sees that many patches, drawn from the training split', () => {
  // One 1 × 8 image of eight distinct intensities, 1×1 patches: with fit_samples = vocab_size = 3, each drawn patch is a code.
  const values = [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1];
  const codebooks = [0, 1, 2, 3, 4, 5].map((seed) => {
    const s = vq.create(params({ patch_size: 1, vocab_size: 3, fit_samples: 3 }), { height: 1, width: 8, channels: 1 });
    s.fit([image(1, 8, 1, values)], createRng(seed));
    return Array.from(s.state?.codebook ?? []);
  });
  for (const codebook of codebooks) {
    assert.equal(codebook.length, 3);
    assert.ok(codebook.every((v, i) => values.includes(v) && (i === 0 || v > codebook[i - 1])), String(codebook));
  }
  assert.ok(new Set(codebooks.map(String)).size > 1, 'different seeds draw different patches');
});

test('round-trip error falls as vocab_size grows, 16 → 64 → 256, on MNIST 4×4 patches', async () => {
  const data = await mnist.load(mnist.params.parse({ train_size: 100, test_size: 50, seed: 0 }));
  const errors = [16, 64, 256].map((vocab) => {
    const s = vq.create(params({ patch_size: 4, vocab_size: vocab }), data.info);
    s.fit(data.train.samples, createRng(0));
    let sum = 0;
    for (const sample of data.test.samples) {
      const decoded = s.decode(s.encode(sample)).pixels;
      sample.pixels.forEach((v, e) => (sum += (v - decoded[e]) ** 2));
    }
    return sum / (50 * 784);
  });
  assert.ok(errors[0] > errors[1] && errors[1] > errors[2], errors.join(' > '));
});

test('before fit: encode, decode, artifacts and the vocabulary size are not-fitted errors', () => {
  const s = vq.create(params({ patch_size: 2 }), small);
  const notFitted = isError('not-fitted', /call fit/);
  assert.throws(() => s.encode(ones), notFitted);
  assert.throws(() => s.decode({ length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [3, 3, 1], dropped: 0 }), notFitted);
  assert.throws(() => s.artifacts(), notFitted);
  assert.throws(() => s.layout.vocabSizes, notFitted);
  assert.equal(s.state, undefined);
});

test('check: patch_size at most the image side; fit_samples at least vocab_size, which create refuses too', () => {
  const mnistInfo = { height: 28, width: 28, channels: 1 };
  assert.deepEqual(vq.check?.(params({}), mnistInfo), []);
  assert.deepEqual(vq.check?.(params({ patch_size: 29, vocab_size: 300, fit_samples: 299 }), mnistInfo), [
    { path: ['patch_size'], message: 'found patch_size 29 for 28×28 images; expected at most 28' },
    { path: ['fit_samples'], message: 'found fit_samples 299 with vocab_size 300; expected at least 300 (the vocab_size), since every code starts from a distinct fitted patch' },
  ]);
  assert.throws(() => vq.create(params({ vocab_size: 300, fit_samples: 299 }), mnistInfo), isError('invalid-param', /^vq: found fit_samples 299/));
});

test('params: defaults, integer bounds, no unknown keys; tokensPerSample is the padded grid', () => {
  assert.deepEqual(vq.params.parse({}), { patch_size: 4, vocab_size: 256, fit_samples: 20_000, iterations: 10 });
  for (const bad of [{ patch_size: 0 }, { vocab_size: 0 }, { fit_samples: 0 }, { iterations: 0 }, { vocab_size: 2.5 }, { stride: 2 }]) assert.throws(() => vq.params.parse(bad), JSON.stringify(bad));
  assert.equal(vq.tokensPerSample?.(params({}), { height: 28, width: 28, channels: 1 }), 49);
  assert.equal(vq.tokensPerSample?.(params({ patch_size: 2 }), small), 4);
});

test('a sample with another channel count than the dataset declares is an input error', () => {
  const s = fittedSmall();
  assert.throws(() => s.encode(image(1, 1, 3, [0, 0, 0])), isError('input', /vq expects images with 1 channel/));
});
