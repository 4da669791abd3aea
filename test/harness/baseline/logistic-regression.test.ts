import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { fitLogisticRegression } from '../../../harness/baseline/logistic-regression.js';
import { TokbenchError } from '../../../harness/errors.js';

await selectBackend('wasm');

const X = [[0, 1], [1, 2], [2, 0.5], [3, 3], [4, 1.5], [5, 2.5], [1.5, 4], [2.5, 5], [0.5, 3.5]];
const Y = Int32Array.of(0, 0, 1, 1, 1, 2, 2, 2, 0);

test('reaches the optimum scikit-learn 1.2.1 finds for LogisticRegression(C=1) after StandardScaler', () => {
  const model = fitLogisticRegression(Float32Array.from(X.flat()), 2, Y, 3);
  // sklearn: StandardScaler().fit(X); LogisticRegression(C=1.0, tol=1e-12).fit(...): mean_, scale_, coef_ (classes × features), intercept_.
  const close = (actual: ArrayLike<number>, expected: number[], tolerance: number) => expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < tolerance, `${i}: ${actual[i]} vs ${e}`));
  close(model.mean, [2.1666666667, 2.5555555556], 1e-6);
  close(model.scale, [1.5456030826, 1.3833221776], 1e-6);
  const coef = [[-1.0424039055, -0.2069076872], [0.4468737793, -0.6093970366], [0.5955301262, 0.8163047238]];
  close(model.weights, [coef[0][0], coef[1][0], coef[2][0], coef[0][1], coef[1][1], coef[2][1]], 1e-3);
  close(model.bias, [-0.0953644658, 0.1470119647, -0.0516474989], 1e-3);
  assert.deepEqual(model.predict(Float32Array.from(X.flat())), Int32Array.of(0, 0, 1, 2, 1, 2, 2, 2, 0));
  assert.deepEqual(model.predict(Float32Array.of(0.2, 0.2, 4.5, 1, 1, 4.5)), Int32Array.of(0, 1, 2));
  assert.ok(model.losses.every((l, i) => i === 0 || l <= model.losses[i - 1]));
});

test('is deterministic, ignores constant features, and frees its tensors', () => {
  const before = tf.memory().numTensors;
  const x = Float32Array.from(X.flatMap(([a, b]) => [a, 7, b]));
  const first = fitLogisticRegression(x, 3, Y, 3);
  const second = fitLogisticRegression(x, 3, Y, 3);
  assert.deepEqual(second.weights, first.weights);
  assert.equal(first.scale[1], 1);
  assert.deepEqual([first.weights[3], first.weights[4], first.weights[5]], [0, 0, 0]);
  assert.equal(tf.memory().numTensors, before);
});

test('about 0.84 test accuracy on 1,000 MNIST digits, as scikit-learn gets on the same split', () => {
  // Digits 0…9 from the `mnist` package: rows 0–99 of each train, rows 100–149 test.
  // scikit-learn 1.2.1, StandardScaler + LogisticRegression(C=1): 0.840 on this split.
  const require = createRequire(import.meta.url);
  const train: number[] = [];
  const test: number[] = [];
  const yTrain: number[] = [];
  const yTest: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const rows = (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as { data: number[] }).data;
    for (let i = 0; i < 150; i++) {
      const pixels = rows.slice(i * 784, (i + 1) * 784);
      (i < 100 ? train : test).push(...pixels);
      (i < 100 ? yTrain : yTest).push(digit);
    }
  }
  const model = fitLogisticRegression(Float32Array.from(train), 784, Int32Array.from(yTrain), 10);
  const predicted = model.predict(Float32Array.from(test));
  const accuracy = predicted.reduce((n, p, i) => n + (p === yTest[i] ? 1 : 0), 0) / yTest.length;
  assert.ok(Math.abs(accuracy - 0.84) <= 0.004, `accuracy ${accuracy}`);
});

test('rejects inputs it cannot fit, scikit-learn style', () => {
  assert.throws(() => fitLogisticRegression(new Float32Array(5), 2, Int32Array.of(0, 1), 2), (e: unknown) => e instanceof TokbenchError && e.message === "The 'x' parameter of fitLogisticRegression must be 2 rows × 2 features (one row per label); got 5 values instead.");
  assert.throws(() => fitLogisticRegression(new Float32Array(4), 2, Int32Array.of(0, 2), 2), /The 'y' parameter of fitLogisticRegression must be labels in \[0, 2\); got 2 at row 1 instead\./);
  assert.throws(() => fitLogisticRegression(new Float32Array(4), 2, Int32Array.of(0, 0), 1), /The 'numClasses' parameter of fitLogisticRegression must be an integer ≥ 2; got 1 instead\./);
});
