import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../harness/backend/select.js';
import { createRng } from '../../../../harness/random.js';
import { maxDifference, runOn } from '../compare-backends.js';

await selectBackend('wasm');
const rng = createRng(3);
const random = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);

test('a batched product with transposes equals a hand computation', async () => {
  // a[0] = [[1, 2], [3, 4]] and a[1] = [[0, 1], [1, 0]], each times [[1, 0], [2, 1]]ᵀ = [[1, 2], [0, 1]].
  const [out] = await runOn('wasm', () =>
    tf.matMul(tf.tensor3d([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]), tf.tensor3d([[[1, 0], [2, 1]], [[1, 0], [2, 1]]]), false, true),
  );
  assert.deepEqual(out, { shape: [2, 2, 2], values: [1, 4, 3, 10, 0, 1, 1, 2] });
});

test('equals the cpu backend for every transpose combination, batch and rank used in training', async () => {
  const shapes: [number[], number[]][] = [
    [[7, 5], [5, 3]],
    [[6, 9, 4], [6, 4, 11]],
    [[2, 3, 9, 4], [2, 3, 4, 5]],
    [[1, 8, 3], [1, 3, 8]],
  ];
  for (const [aShape, bShape] of shapes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const rank = aShape.length;
        const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, rank - 2), s[rank - 1], s[rank - 2]] : s);
        const a = random(swap(aShape, transposeA));
        const b = random(swap(bShape, transposeB));
        const f = () => tf.matMul(a, b, transposeA, transposeB);
        const difference = maxDifference(await runOn('wasm', f), await runOn('cpu', f));
        assert.ok(difference < 1e-4, `[${aShape}]·[${bShape}] transposeA=${transposeA} transposeB=${transposeB}: ${difference}`);
        tf.dispose([a, b]);
      }
    }
  }
  await tf.setBackend('wasm');
});

test('broadcast batches fall back to the backend kernel and still equal the cpu backend', async () => {
  const a = random([4, 3, 5]);
  const b = random([1, 5, 2]);
  const f = () => tf.matMul(a, b);
  assert.ok(maxDifference(await runOn('wasm', f), await runOn('cpu', f)) < 1e-4);
  await tf.setBackend('wasm');
});

test('frees every temporary: no tensor and no wasm buffer is left behind', async () => {
  await tf.setBackend('wasm');
  const a = random([8, 6, 4]);
  const b = random([8, 5, 4]);
  const tensors = tf.memory().numTensors;
  const buffers = tf.backend().numDataIds();
  tf.tidy(() => tf.matMul(a, b, false, true).dataSync());
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.backend().numDataIds(), buffers);
});
