import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { pretrain } from '../../../harness/training/pretrain.js';
import { repeatedTokens, idLayout, quickTraining, separableTokens, smallModel, valueLayout } from './toy.js';

await selectBackend('wasm');

test('the reconstruction loss falls on a learnable toy problem', async () => {
  const encoder = new Encoder(idLayout, smallModel, 1);
  const report = await pretrain(encoder, repeatedTokens(160, 1), { ...quickTraining, pretrain_budget: { epochs: 6 } }, 1);
  // Guessing among 8 ids costs ln 8 ≈ 2.08; any unmasked token gives the masked id away.
  assert.equal(report.losses.length, 6);
  assert.ok(report.losses[0] > 1.5, `first epoch ${report.losses[0]}`);
  assert.ok(report.losses.every((l, i) => i === 0 || l < report.losses[i - 1]), `losses ${report.losses.map((l) => l.toFixed(3))}`);
  assert.ok(report.losses[5] < 0.25 * report.losses[0], `losses ${report.losses.map((l) => l.toFixed(3))}`);
  assert.equal(report.tokens, 6 * repeatedTokens(160, 1).reduce((n, t) => n + t.length, 0));
  encoder.dispose();
});

test('same seed, same losses; another seed, other losses', async () => {
  const run = async (initSeed: number, trainSeed: number) => {
    const encoder = new Encoder(valueLayout, smallModel, initSeed);
    const { tokens } = separableTokens(48, 2, valueLayout);
    const report = await pretrain(encoder, tokens, { ...quickTraining, pretrain_budget: { epochs: 2 } }, trainSeed);
    encoder.dispose();
    return report.losses;
  };
  const first = await run(1, 1);
  assert.deepEqual(await run(1, 1), first);
  assert.notDeepEqual(await run(1, 2), first);
  assert.notDeepEqual(await run(2, 1), first);
});

test('the tensor count is the same after every step', async () => {
  const encoder = new Encoder(idLayout, smallModel, 3);
  const tokens = repeatedTokens(16, 3);
  const counts: number[] = [];
  // 16 samples in one batch: one step per epoch.
  await pretrain(encoder, tokens, { ...quickTraining, pretrain_budget: { epochs: 5 }, batch_size: 16 }, 3, { onEpoch: () => counts.push(tf.memory().numTensors) });
  assert.equal(counts.length, 5);
  assert.ok(counts.every((c) => c === counts[0]), `counts ${counts}`);
  encoder.dispose();
});

test('samples without tokens are left out; with none left there is nothing to pre-train on', async () => {
  const encoder = new Encoder(idLayout, smallModel, 4);
  const tokens = repeatedTokens(8, 4);
  const empty = { length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [0], dropped: 1 };
  const report = await pretrain(encoder, [empty, ...tokens, empty], { ...quickTraining, pretrain_budget: { epochs: 1 } }, 4);
  assert.equal(report.tokens, tokens.reduce((n, t) => n + t.length, 0));
  assert.ok(Number.isFinite(report.losses[0]));
  await assert.rejects(pretrain(encoder, [empty], quickTraining, 4), /No training sample has any token to pre-train on\./);
  assert.deepEqual((await pretrain(encoder, [empty], { ...quickTraining, pretrain_budget: { epochs: 0 } }, 4)).losses, []);
  encoder.dispose();
});
