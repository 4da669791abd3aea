import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';
import { fixedCosts, planTraining } from '../../../harness/training/budget.js';
import { trainLoop } from '../../../harness/training/loop.js';

/** `epochs` epochs of the same batches of samples 0…3, every sample costing one FLOP and one token. */
const epochsOf = (epochs: number, batches: Int32Array[]) => planTraining({ epochs }, fixedCosts([1, 1, 1, 1], [1, 1, 1, 1]), () => () => batches, 'test');

await selectBackend('wasm');

test('Adam steps with the given lr, epoch means weighted by each step, tokens counted', async () => {
  const v = tf.variable(tf.tensor1d([1, -2]));
  const report = await trainLoop({
    stage: 'test',
    lr: 0.1,
    variables: [v],
    plan: epochsOf(2, [Int32Array.of(0), Int32Array.of(1, 2, 3)]),
    step: (samples) => ({ weight: samples.length, tokens: 10 * samples.length, loss: () => tf.sum(tf.square(v)) }),
  });
  // Adam's first step moves every weight by lr against the sign of its gradient.
  assert.equal(report.tokens, 80);
  assert.equal(report.losses.length, 2);
  // Epoch 1: loss 5 at step 1 (weight 1), then at (0.9, −1.9): 0.81 + 3.61 = 4.42 (weight 3).
  assert.ok(Math.abs(report.losses[0] - (5 * 1 + 4.42 * 3) / 4) < 1e-5, String(report.losses[0]));
  assert.ok(report.losses[1] < report.losses[0]);
  assert.ok(report.seconds > 0);
  v.dispose();
});

test('a non-finite loss stops training with a diverged error naming epoch and step, and frees the optimizer', async () => {
  const v = tf.variable(tf.scalar(1));
  const before = tf.memory().numTensors;
  await assert.rejects(
    trainLoop({
      stage: 'pretrain',
      lr: 0.1,
      variables: [v],
      plan: epochsOf(3, [Int32Array.of(0), Int32Array.of(1)]),
      step: (samples) => ({ weight: 1, tokens: 1, loss: () => (samples[0] === 1 ? tf.div(tf.mul(v, 0), 0) : tf.square(v)) as tf.Scalar }),
    }),
    (e: unknown) => e instanceof TokbenchError && e.code === 'diverged' && e.message === 'pretrain loss became NaN at epoch 1 of 3, step 2 of 2',
  );
  assert.equal(tf.memory().numTensors, before);
  v.dispose();
});

test('a batch cut into micro-batches takes the same step as the whole batch', async () => {
  // Loss of a part: mean over its samples of (v − x)²; parts weigh by their sample counts.
  const x = [1, 4, -2];
  const run = async (split?: (batch: Int32Array) => Int32Array[]) => {
    const v = tf.variable(tf.scalar(0.5));
    const report = await trainLoop({
      stage: 'test',
      lr: 0.1,
      variables: [v],
      plan: epochsOf(3, [Int32Array.of(0, 1, 2)]),
      split,
      step: (samples) => ({
        weight: samples.length,
        tokens: samples.length,
        loss: () => tf.mean(tf.square(tf.sub(v, tf.tensor1d(Array.from(samples, (i) => x[i]))))) as tf.Scalar,
      }),
    });
    const value = v.dataSync()[0];
    v.dispose();
    return { value, report };
  };
  const whole = await run();
  const parts = await run((batch) => [batch.slice(0, 1), batch.slice(1)]);
  assert.ok(Math.abs(parts.value - whole.value) < 1e-6, `${parts.value} vs ${whole.value}`);
  parts.report.losses.forEach((loss, epoch) => assert.ok(Math.abs(loss - whole.report.losses[epoch]) < 1e-5));
  assert.equal(parts.report.tokens, whole.report.tokens);
});
