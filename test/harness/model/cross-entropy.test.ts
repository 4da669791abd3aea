import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { crossEntropy } from '../../../harness/model/cross-entropy.js';

await selectBackend('wasm');

test('value and gradient equal tfjs softmaxCrossEntropy on one-hot labels', () => {
  const logits = tf.tensor2d([[2, -1, 0.5, 0], [0.1, 0.2, 0.3, 0.4], [-3, 5, 1, 2]]);
  const targets = tf.tensor1d([0, 3, 2], 'int32');
  const reference = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 4), x) as tf.Scalar;
  const mine = (x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, targets);
  assert.ok(Math.abs(mine(logits).dataSync()[0] - reference(logits).dataSync()[0]) < 1e-6);
  const expected = tf.grad(reference)(logits).dataSync();
  tf.grad(mine)(logits).dataSync().forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-6, `${i}`));
});

test('a hand computation, and a finite loss for logits far apart', () => {
  // Row 1: ln(e⁰ + e^ln3) − 0 = ln 4; row 2: logits 1000 and −1000 with target 1: 2000.
  const loss = crossEntropy(tf.tensor2d([[0, Math.log(3)], [1000, -1000]]), tf.tensor1d([0, 1], 'int32'));
  assert.ok(Math.abs(loss.dataSync()[0] - (Math.log(4) + 2000) / 2) < 1e-3);
});

test('weights keep rows out of the mean and out of the gradient', () => {
  const logits = tf.tensor2d([[2, -1, 0.5, 0], [0.1, 0.2, 0.3, 0.4], [-3, 5, 1, 2]]);
  const targets = tf.tensor1d([0, 3, 2], 'int32');
  const weights = tf.tensor1d([1, 0, 1]);
  const kept = (x: tf.Tensor) => crossEntropy(tf.gather(x, [0, 2]) as tf.Tensor2D, tf.tensor1d([0, 2], 'int32'));
  const weighted = (x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, targets, weights);
  assert.ok(Math.abs(weighted(logits).dataSync()[0] - kept(logits).dataSync()[0]) < 1e-6);
  const gradient = Array.from(tf.grad(weighted)(logits).dataSync());
  const expected = Array.from(tf.grad(kept)(logits).dataSync());
  assert.ok(gradient.slice(4, 8).every((g) => g === 0), String(gradient.slice(4, 8)));
  // Gathering rows 0 and 2 gives the full-size gradient too, with row 1 at zero.
  gradient.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-6, `${i}`));
  // No row of weight 1: a loss of 0, not a division by zero.
  assert.equal(crossEntropy(logits, targets, tf.zeros([3])).dataSync()[0], 0);
});
