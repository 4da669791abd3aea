import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { applyLinear, createLinear } from '../../../harness/model/linear.js';
import { ParameterStore } from '../../../harness/model/parameters.js';

await selectBackend('wasm');

test('value and hand-written gradient equal tfjs autodiff of xW + b', () => {
  const store = new ParameterStore(5);
  const layer = createLinear(store, 3, 2);
  layer.bias.assign(tf.tensor1d([0.5, -1]));
  const x = tf.tensor2d([[1, 2, 3], [-1, 0, 2], [0.5, 0.5, -2], [2, 1, 0]]);
  const upstream = tf.tensor2d([[1, -1], [2, 0], [0, 3], [-1, 1]]);
  const mine = tf.grads((input: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(applyLinear({ weight: w as tf.Variable, bias: b as tf.Variable }, input as tf.Tensor2D), upstream)),
  )([x, layer.weight, layer.bias]);
  const reference = tf.grads((input: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.matMul(input, w), b), upstream)))([x, layer.weight, layer.bias]);
  mine.forEach((g, i) => {
    const a = g.dataSync();
    const e = reference[i].dataSync();
    assert.deepEqual(g.shape, reference[i].shape);
    e.forEach((v, j) => assert.ok(Math.abs(a[j] - v) < 1e-5));
  });
  const value = applyLinear(layer, x).dataSync();
  const expected = tf.add(tf.matMul(x, layer.weight), layer.bias).dataSync();
  expected.forEach((v, j) => assert.ok(Math.abs(value[j] - v) < 1e-6));
  store.dispose();
});
