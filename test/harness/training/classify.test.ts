import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { trainClassifier } from '../../../harness/training/classify.js';
import type { ClassPredictions } from '../../../harness/training/classify.js';
import { idLayout, quickTraining, separableTokens, smallModel, valueLayout } from './toy.js';

await selectBackend('wasm');

const accuracy = (predicted: Int32Array, labels: Int32Array) => predicted.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;

test('fine-tuning learns a trivially separable problem and generalises to new samples', async () => {
  const encoder = new Encoder(valueLayout, smallModel, 1);
  const train = separableTokens(64, 1, valueLayout);
  const test = separableTokens(40, 2, valueLayout);
  const before = tf.memory().numTensors;
  const classifier = await trainClassifier(encoder, train.tokens, train.labels, 2, quickTraining, 1);
  assert.equal(classifier.mode, 'finetune');
  assert.equal(classifier.headParameterCount, 16 * 2 + 2);
  assert.equal(classifier.report.losses.length, 3);
  assert.ok(classifier.report.losses[2] < classifier.report.losses[0]);
  // Three epochs, then one pass for the standardisation statistics.
  assert.equal(classifier.report.tokens, 4 * train.tokens.reduce((n, t) => n + t.length, 0));
  const predicted = classifier.predict(test.tokens);
  assert.equal(accuracy(predicted.classes, test.labels), 1);
  checkProbabilities(predicted, 2);
  assert.deepEqual(classifier.predict([]), { classes: new Int32Array(0), probabilities: new Float32Array(0) });
  classifier.dispose();
  assert.equal(tf.memory().numTensors, before);
  encoder.dispose();
});

/** Each sample's probabilities sum to 1 and the predicted class is the most probable one. */
function checkProbabilities(predicted: ClassPredictions, classes: number): void {
  assert.equal(predicted.probabilities.length, predicted.classes.length * classes);
  predicted.classes.forEach((c, i) => {
    const row = Array.from(predicted.probabilities.subarray(i * classes, (i + 1) * classes));
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(row.indexOf(Math.max(...row)), c);
  });
}

test('fine-tuning is deterministic under its seed', async () => {
  const run = async (seed: number) => {
    const encoder = new Encoder(idLayout, smallModel, 1);
    const { tokens, labels } = separableTokens(32, 3, idLayout);
    const classifier = await trainClassifier(encoder, tokens, labels, 2, { ...quickTraining, classify_budget: { epochs: 2 } }, seed);
    const losses = classifier.report.losses;
    classifier.dispose();
    encoder.dispose();
    return losses;
  };
  const first = await run(5);
  assert.deepEqual(await run(5), first);
  assert.notDeepEqual(await run(6), first);
});

test('a linear probe on frozen embeddings separates the classes and leaves the encoder untouched', async () => {
  const encoder = new Encoder(idLayout, smallModel, 2);
  const weights = () => encoder.encoderVariables.flatMap((v) => Array.from(v.dataSync()));
  const initial = weights();
  const train = separableTokens(40, 4, idLayout);
  const classifier = await trainClassifier(encoder, train.tokens, train.labels, 2, { ...quickTraining, classify: 'probe' }, 1);
  assert.equal(classifier.mode, 'probe');
  assert.equal(classifier.headParameterCount, 16 * 2 + 2);
  assert.equal(classifier.report.tokens, train.tokens.reduce((n, t) => n + t.length, 0));
  const test = separableTokens(20, 5, idLayout);
  const predicted = classifier.predict(test.tokens);
  assert.equal(accuracy(predicted.classes, test.labels), 1);
  checkProbabilities(predicted, 2);
  assert.deepEqual(classifier.report.losses, [], 'a probe has no epochs');
  assert.deepEqual(weights(), initial);
  classifier.dispose();
  encoder.dispose();
});

test('rejects labels that do not fit, and samples with nothing to learn from', async () => {
  const encoder = new Encoder(idLayout, smallModel, 2);
  const { tokens, labels } = separableTokens(4, 4, idLayout);
  await assert.rejects(trainClassifier(encoder, tokens, labels.subarray(1), 2, quickTraining, 1), /The 'labels' parameter of trainClassifier must hold one label per sample \(4\); got 3 instead\./);
  await assert.rejects(trainClassifier(encoder, tokens, Int32Array.of(0, 1, 2, 0), 2, quickTraining, 1), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === 'The label of sample 2 must be in [0, 2); got 2 instead.');
  const empty = { ...tokens[0], length: 0, ids: new Int32Array(0), coords: new Float32Array(0) };
  await assert.rejects(trainClassifier(encoder, [empty], Int32Array.of(0), 2, quickTraining, 1), /No training sample has any token to classify from\./);
  encoder.dispose();
});
