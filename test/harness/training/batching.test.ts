import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tokens, TokenLayout } from '../../../strategies/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { epochBatches, INFERENCE_BATCH, inferenceBatches, microBatches, padBatch, POOL_BATCHES, TRAINING_SCORES } from '../../../harness/training/batching.js';

const layout: TokenLayout = { idChannels: 2, vocabSizes: [10, 5], valueDim: 1, coordDim: 2, target: { kind: 'ids', channel: 0, specials: 0 }, maskSpan: 1 };

function tokens(ids: number[][], values: number[], coords: number[][]): Tokens {
  return { length: ids.length, ids: Int32Array.from(ids.flat()), values: Float32Array.from(values), coords: Float32Array.from(coords.flat()), extent: [], dropped: 0 };
}

const a = tokens([[1, 2], [3, 4]], [0.5, 0.25], [[0, 1], [0, 2]]);
const b = tokens([[5, 0], [6, 1], [7, 2]], [1, 2, 3], [[1, 1], [1, 2], [1, 3]]);

test('pads to the longest sample, one id array per channel, zeros at padding', () => {
  const batch = padBatch([a, b], [1, 0], layout);
  assert.deepEqual({ ...batch, ids: batch.ids.map((c) => Array.from(c)), values: Array.from(batch.values), coords: Array.from(batch.coords), valid: Array.from(batch.valid) }, {
    size: 2,
    length: 3,
    valueDim: 1,
    coordDim: 2,
    ids: [
      [5, 6, 7, 1, 3, 0],
      [0, 1, 2, 2, 4, 0],
    ],
    values: [1, 2, 3, 0.5, 0.25, 0],
    coords: [1, 1, 1, 2, 1, 3, 0, 1, 0, 2, 0, 0],
    valid: [1, 1, 1, 1, 1, 0],
    tokens: 5,
  });
});

test('rejects ids outside their vocabulary and arrays that do not match the layout', () => {
  const badId = tokens([[1, 5]], [0], [[0, 0]]);
  assert.throws(() => padBatch([a, badId], [1], layout), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === 'The tokens of sample 1 must have ids in [0, 5) in channel 1; got 5 at token 0 instead.');
  const short = { ...a, values: new Float32Array(1) };
  assert.throws(() => padBatch([short], [0], layout), /must hold length × 1 values; got 1 for length 2 instead/);
});

test('an epoch visits every sample once, sorts lengths within pools, and depends only on the seed', () => {
  const lengths = Array.from({ length: 100 }, (_, i) => (i * 37) % 23);
  const samples = Int32Array.from(lengths.keys());
  const batches = epochBatches(samples, lengths, 4, createRng(1));
  assert.deepEqual(Array.from(batches.flatMap((x) => Array.from(x))).sort((x, y) => x - y), Array.from(samples));
  assert.ok(batches.every((x) => x.length >= 1 && x.length <= 4));
  assert.equal(batches.length, Math.ceil(4 * POOL_BATCHES / 4) + Math.ceil((100 - 4 * POOL_BATCHES) / 4));
  for (const x of batches) assert.ok(Array.from(x).every((s, i) => i === 0 || lengths[s] >= lengths[x[i - 1]]));
  const again = epochBatches(samples, lengths, 4, createRng(1)).map((x) => Array.from(x));
  assert.deepEqual(again, batches.map((x) => Array.from(x)));
  assert.notDeepEqual(epochBatches(samples, lengths, 4, createRng(2)).map((x) => Array.from(x)), again);
});

test('inference batches go shortest first and keep batch · heads · length² within the budget', () => {
  assert.deepEqual(inferenceBatches([3, 1, 2], 4).map((x) => Array.from(x)), [[1, 2, 0]]);
  // One 2048-token sample with 4 heads fills the budget exactly (4 · 2048² = 2²⁴); two would not fit.
  const long = inferenceBatches([2048, 2048, 10, 2048], 4);
  assert.deepEqual(long.map((x) => Array.from(x)), [[2], [0], [1], [3]]);
  const many = inferenceBatches(Array.from({ length: 600 }, () => 49), 4);
  assert.deepEqual(many.map((x) => x.length), [INFERENCE_BATCH, INFERENCE_BATCH, 600 - 2 * INFERENCE_BATCH]);
});

test('microBatches keeps a batch whole when it fits and cuts it in order when its attention scores would not', () => {
  const lengths = [10, 1000, 1000, 1000, 3000];
  // 3 × 4 heads × 1000² × 2 blocks = 24M scores: fits in 2²⁵ ≈ 33.6M.
  assert.deepEqual(microBatches(Int32Array.of(1, 2, 3), lengths, 4, 2).map((p) => Array.from(p)), [[1, 2, 3]]);
  // At depth 4, two samples of 1000 (32M) fit, three (48M) do not.
  assert.deepEqual(microBatches(Int32Array.of(0, 1, 2, 3), lengths, 4, 4).map((p) => Array.from(p)), [[0, 1], [2, 3]]);
  // A sample over the budget alone (4 × 3000² × 2 = 72M) still gets a part of its own.
  assert.deepEqual(microBatches(Int32Array.of(4, 0), lengths, 4, 2).map((p) => Array.from(p)), [[4], [0]]);
  assert.equal(TRAINING_SCORES, 2 ** 25);
});

test('microBatches cuts a batch of 32 MNIST digits at one token per pixel into parts of 6', () => {
  // 784 tokens, 4 heads, depth 2: 4 × 784² × 2 = 4,917,248 scores a sample; 6 of them (29.5M) fit in 2²⁵ = 33,554,432, 7 (34.4M) do not.
  const lengths = Array.from({ length: 32 }, () => 784);
  const parts = microBatches(Int32Array.from(lengths.keys()), lengths, 4, 2);
  assert.deepEqual(parts.map((p) => p.length), [6, 6, 6, 6, 6, 2]);
  assert.deepEqual(Array.from(parts[5]), [30, 31]);
});
