import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { gelu } from '../../../harness/model/block.js';

await selectBackend('wasm');

// Hendrycks & Gimpel's constant written out, so that a changed GELU_SIGMOID_SCALE fails here instead of moving both sides.
const quickGelu = (x: number) => x / (1 + Math.exp(-1.702 * x));
// Points the float32 tensor really holds, so that the float64 reference is evaluated at the same inputs.
const POINTS = [-6, -4, -3, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 2.27, 3, 4, 6].map(Math.fround);
// Float32 rounds each operation to within 2⁻²⁴ relative; value and slope take a handful of operations.
const ROUNDING = 8 * 2 ** -24;

test('its values are x·σ(1.702x), and within 0.021 of the exact GELU x·Φ(x)', () => {
  const values = tf.tidy(() => gelu(tf.tensor2d([POINTS])).dataSync());
  POINTS.forEach((x, i) => assert.ok(Math.abs(values[i] - quickGelu(x)) <= ROUNDING * Math.max(1, Math.abs(x)), `${x}: ${values[i]}`));
  // x·Φ(x) = x·(1 + erf(x/√2))/2 from Python's math.erf; the sigmoid form is furthest from it, 0.0203, at |x| ≈ 2.27.
  const exact = new Map([[-3, -0.00404969409489031], [-1, -0.15865525393145707], [0, 0], [1, 0.8413447460685429], [2.27, 2.2436593932452786], [3, 2.99595030590511]]);
  const at = (x: number) => values[POINTS.indexOf(Math.fround(x))];
  for (const [x, y] of exact) assert.ok(Math.abs(at(x) - y) < 0.021, `${x}: ${at(x)} vs ${y}`);
  assert.ok(Math.abs(at(2.27) - 2.2436593932452786) > 0.02);
});

test('its hand-written gradient equals central differences of x·σ(1.702x) in float64', () => {
  // An upstream gradient other than ones, so that the chain rule's dy factor is checked too.
  const upstream = POINTS.map((_, i) => (i % 2 === 0 ? 1 : -2));
  const gradient = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gelu(x as tf.Tensor2D), tf.tensor2d([upstream]))))(tf.tensor2d([POINTS])).dataSync());
  // Step 1e-5: truncation h²·|f‴|/6 < 1e-10 and cancellation 2⁻⁵³/h ≈ 1e-11, both far below float32's rounding.
  const h = 1e-5;
  POINTS.forEach((x, i) => {
    const slope = (quickGelu(x + h) - quickGelu(x - h)) / (2 * h);
    assert.ok(Math.abs(gradient[i] - upstream[i] * slope) <= ROUNDING * Math.abs(upstream[i]), `${x}: ${gradient[i]} vs ${upstream[i] * slope}`);
  });
  // At 0 the slope is σ(0) = 1/2 exactly.
  const zero = POINTS.indexOf(0);
  assert.equal(gradient[zero], upstream[zero] / 2);
});
