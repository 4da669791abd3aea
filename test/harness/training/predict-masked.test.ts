import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { createRng } from '../../../harness/random.js';
import { choosePositions } from '../../../harness/training/masking.js';
import { predictMasked } from '../../../harness/training/predict-masked.js';
import { pretrain } from '../../../harness/training/pretrain.js';
import { idLayout, quickTraining, repeatedTokens, separableTokens, smallModel, valueLayout } from './toy.js';

await selectBackend('wasm');

test('id targets: masks drawn per sample in order from the seed, one predicted id per masked token', async () => {
  const encoder = new Encoder(idLayout, smallModel, 1);
  const tokens = repeatedTokens(200, 1);
  await pretrain(encoder, tokens, { ...quickTraining, pretrain_budget: { epochs: 8 }, lr: 1e-2 }, 1);
  const before = tf.memory().numTensors;
  const predictions = predictMasked(encoder, tokens.slice(0, 30), 0.25, 7);
  assert.equal(tf.memory().numTensors, before);
  const rng = createRng(7);
  let correct = 0;
  let masked = 0;
  predictions.forEach((p, i) => {
    assert.deepEqual(p.positions, choosePositions(tokens[i].length, 0.25, 1, rng));
    assert.equal(p.ids.length, p.positions.length);
    assert.equal(p.values.length, 0);
    p.positions.forEach((position, j) => {
      correct += p.ids[j] === tokens[i].ids[position] ? 1 : 0;
      masked++;
    });
  });
  // The repeated id is visible in the unmasked tokens; a trained encoder reads it back.
  assert.ok(correct / masked > 0.9, `accuracy ${correct / masked}`);
  encoder.dispose();
});

test('value targets: valueDim predicted values per masked token; deterministic; samples without tokens get nothing', () => {
  const encoder = new Encoder(valueLayout, smallModel, 2);
  const { tokens } = separableTokens(12, 3, valueLayout);
  const empty = { length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [0], dropped: 1 };
  const predictions = predictMasked(encoder, [...tokens, empty], 0.3, 4);
  assert.equal(predictions.length, 13);
  predictions.slice(0, 12).forEach((p, i) => {
    assert.equal(p.positions.length, Math.ceil(0.3 * tokens[i].length));
    assert.equal(p.values.length, 2 * p.positions.length);
    assert.equal(p.ids.length, 0);
    assert.ok(p.values.every(Number.isFinite));
  });
  assert.deepEqual(predictions[12], { positions: new Int32Array(0), ids: new Int32Array(0), values: new Float32Array(0) });
  assert.deepEqual(predictMasked(encoder, [...tokens, empty], 0.3, 4), predictions);
  // A sample's prediction does not depend on which other samples share its batch.
  const alone = predictMasked(encoder, tokens.slice(0, 1), 0.3, 4)[0];
  assert.deepEqual(alone.positions, predictions[0].positions);
  alone.values.forEach((v, j) => assert.ok(Math.abs(v - predictions[0].values[j]) < 1e-5));
  encoder.dispose();
});

test('id targets: a prediction is never a special id, however likely the head finds one', () => {
  const layout = { ...idLayout, target: { kind: 'ids' as const, channel: 0, specials: 3 } };
  const encoder = new Encoder(layout, smallModel, 3);
  // Push the head's bias towards the specials 0–2, so an argmax over the whole vocabulary would pick them.
  const bias = encoder.headVariables.find((v) => v.shape.length === 1);
  assert.ok(bias !== undefined);
  bias.assign(tf.tensor1d([50, 50, 50, 0, 0, 0, 0, 0]));
  const predictions = predictMasked(encoder, repeatedTokens(20, 2), 0.5, 1);
  const ids = predictions.flatMap((p) => Array.from(p.ids));
  assert.ok(ids.length > 0 && ids.every((id) => id >= 3 && id < 8), `ids ${ids.join(',')}`);
  encoder.dispose();
});
