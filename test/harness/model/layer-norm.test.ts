import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { applyLayerNorm, createLayerNorm, LAYER_NORM_EPSILON } from '../../../harness/model/layer-norm.js';
import { ParameterStore } from '../../../harness/model/parameters.js';

await selectBackend('wasm');

test('normalises each row with the biased variance, then scales and shifts', () => {
  const store = new ParameterStore(1);
  const norm = createLayerNorm(store, 4);
  norm.gamma.assign(tf.tensor1d([1, 2, 1, 0.5]));
  norm.beta.assign(tf.tensor1d([0, 0, 1, -1]));
  const out = tf.tidy(() => applyLayerNorm(norm, tf.tensor2d([[1, 2, 3, 4], [2, 2, 2, 2]])).dataSync());
  // Row 1: mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25. Row 2: constant, so only β remains.
  const s = 1 / Math.sqrt(1.25 + LAYER_NORM_EPSILON);
  const expected = [-1.5 * s, 2 * -0.5 * s, 0.5 * s + 1, 0.5 * 1.5 * s - 1, 0, 0, 1, -1];
  expected.forEach((e, i) => assert.ok(Math.abs(out[i] - e) < 1e-5, `${i}: ${out[i]} vs ${e}`));
  store.dispose();
});

test('its gradient equals the cpu backend', async () => {
  const f = () => {
    const store = new ParameterStore(2);
    const norm = createLayerNorm(store, 3);
    const x = tf.tensor2d([[0.5, -1, 2], [3, 1, 1]]);
    const grads = tf.grads((input: tf.Tensor, gamma: tf.Tensor) => tf.sum(tf.mul(applyLayerNorm({ gamma: gamma as tf.Variable, beta: norm.beta }, input as tf.Tensor2D), tf.tensor2d([[1, 2, 3], [-1, 0, 1]]))))([x, norm.gamma]);
    const values = grads.map((g) => Array.from(g.dataSync()));
    store.dispose();
    return values.flat();
  };
  await tf.setBackend('cpu');
  const cpu = tf.tidy(f);
  await tf.setBackend('wasm');
  const wasm = tf.tidy(f);
  wasm.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) < 1e-5));
});
