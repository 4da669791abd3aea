import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../harness/backend/select.js';

await selectBackend('wasm');

test('a clone keeps its values after the original is disposed, and frees its buffer when disposed itself', () => {
  const buffersBefore = tf.backend().numDataIds();
  const original = tf.tensor2d([[1, 2], [3, 4]]);
  const copy = tf.clone(original);
  original.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3, 4]);
  assert.deepEqual(copy.shape, [2, 2]);
  copy.dispose();
  assert.equal(tf.backend().numDataIds(), buffersBefore);
});

test('gradients that save their inputs (and so clone them) equal the cpu backend', async () => {
  const f = () => tf.grad((x: tf.Tensor) => tf.sum(tf.softmax(tf.mul(x, x))))(tf.tensor2d([[0.5, -1, 2], [1, 0, -0.5]]));
  await tf.setBackend('wasm');
  const wasm = tf.tidy(() => Array.from(f().dataSync()));
  await tf.setBackend('cpu');
  const cpu = tf.tidy(() => Array.from(f().dataSync()));
  await tf.setBackend('wasm');
  wasm.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) < 1e-6));
});
