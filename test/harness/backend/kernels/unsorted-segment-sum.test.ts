import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../harness/backend/select.js';
import { createRng } from '../../../../harness/random.js';
import { maxDifference, runOn } from '../compare-backends.js';

await selectBackend('wasm');

test('sums rows into their segments and drops ids outside [0, numSegments)', async () => {
  const [out] = await runOn('wasm', () =>
    tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]), tf.tensor1d([2, 0, 2, -1, 3], 'int32'), 3),
  );
  assert.deepEqual(out, { shape: [3, 2], values: [3, 4, 0, 0, 6, 8] });
});

test('equals the cpu backend on random inputs of several ranks and dtypes', async () => {
  const rng = createRng(7);
  const cases = [
    { shape: [40], segments: 7 },
    { shape: [50, 3], segments: 11 },
    { shape: [30, 2, 4], segments: 5 },
  ];
  for (const { shape, segments } of cases) {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = Float32Array.from({ length: size }, () => rng.normal(0, 1));
    const ids = Int32Array.from({ length: shape[0] }, () => rng.int(segments));
    const f = () => [
      tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), segments),
      tf.unsortedSegmentSum(tf.tensor(Int32Array.from(x, (v) => Math.round(v * 10)), shape, 'int32'), tf.tensor1d(ids, 'int32'), segments),
    ];
    assert.ok(maxDifference(await runOn('wasm', f), await runOn('cpu', f)) < 1e-5, `shape [${shape}]`);
  }
  await tf.setBackend('wasm');
});

test('makes the gradient of gather (an embedding lookup) equal the cpu backend', async () => {
  const table = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
  const f = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([3, 1, 3, 0], 'int32')), tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]))))(table);
  const wasm = await runOn('wasm', f);
  assert.deepEqual(wasm[0].values, [1, 1, 1, 4, 5, 6, 0, 0, 0, 8, 10, 12]);
  assert.equal(maxDifference(wasm, await runOn('cpu', f)), 0);
  await tf.setBackend('wasm');
});
