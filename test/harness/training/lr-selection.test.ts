// Learning-rate selection on the validation split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';
import { trainParams } from '../../../harness/model/params.js';
import { meanCrossEntropy, selectLearningRate } from '../../../harness/training/lr-selection.js';
import { idLayout, repeatedTokens, separableTokens, smallModel } from './toy.js';

await selectBackend('wasm');

const seeds = { init: 1, pretrain: 2, classify: 3, validationMasks: 4 };

test('mean cross-entropy: −ln p of the true class, averaged; an underflowed 0 stays finite', () => {
  const probabilities = Float32Array.from([0.5, 0.25, 0.25, 0.1, 0.9, 0, 0, 0, 1]);
  const loss = meanCrossEntropy({ classes: Int32Array.of(0, 1, 2), probabilities }, Int32Array.of(0, 0, 0), 3);
  assert.ok(Math.abs(loss - (-Math.log(0.5) - Math.log(Math.fround(0.1)) + 126 * Math.LN2) / 3) < 1e-12, String(loss));
});

test('the rate of the lowest validation classification loss wins; each trial trains on its share of both budgets', async () => {
  const { tokens, labels } = separableTokens(64, 11, idLayout);
  const data = { train: tokens.slice(0, 48), trainLabels: labels.slice(0, 48), validation: tokens.slice(48), validationLabels: labels.slice(48), numClasses: 2 };
  const train = trainParams.parse({ batch_size: 8, pretrain_budget: { epochs: 2 }, classify_budget: { epochs: 4 }, val_fraction: 0.25, lr_select: [1e-6, 5e-3], lr_select_fraction: 0.5 });
  const selection = await selectLearningRate(train.lr_select ?? [], idLayout, data, smallModel, train, seeds);
  assert.deepEqual(selection.trials.map((t) => t.lr), [1e-6, 5e-3]);
  const [slow, fast] = selection.trials;
  // 1e-6 leaves the head at chance (ln 2 ≈ 0.69); 5e-3 separates the two classes.
  assert.ok(slow.loss > 0.6 && fast.loss < slow.loss, `${slow.loss} vs ${fast.loss}`);
  assert.equal(selection.lr, 5e-3);
  assert.equal(selection.flops, slow.flops + fast.flops);
  // Same weights and batches, other rate: the two trials spend the same FLOPs.
  assert.equal(slow.flops, fast.flops);
  assert.ok(slow.flops > 0);
});

test('with classify: none the masked-token loss on the validation split decides', async () => {
  const tokens = repeatedTokens(60, 12);
  const none = new Int32Array(0);
  const data = { train: tokens.slice(0, 45), trainLabels: none, validation: tokens.slice(45), validationLabels: none, numClasses: 0 };
  const train = trainParams.parse({ batch_size: 8, pretrain_budget: { epochs: 4 }, classify: 'none', val_fraction: 0.25, lr_select: [1e-7, 1e-2] });
  const selection = await selectLearningRate(train.lr_select ?? [], idLayout, data, smallModel, train, seeds);
  assert.equal(selection.lr, 1e-2);
  // Guessing among 8 ids costs ln 8 ≈ 2.08, which 1e-7 cannot leave.
  assert.ok(selection.trials[0].loss > 1.9, String(selection.trials[0].loss));
  assert.ok(selection.trials[1].loss < selection.trials[0].loss);
});

test('without a validation split there is nothing to choose on', async () => {
  const { tokens, labels } = separableTokens(16, 1, idLayout);
  const train = trainParams.parse({ val_fraction: 0.25, lr_select: [1e-3, 1e-2] });
  await assert.rejects(
    selectLearningRate([1e-3, 1e-2], idLayout, { train: tokens, trainLabels: labels, validation: [], validationLabels: new Int32Array(0), numClasses: 2 }, smallModel, train, seeds),
    (e: unknown) => e instanceof TokbenchError && e.code === 'invalid-param' && /needs a validation split/.test(e.message),
  );
});

test("a trial's share of a budget that buys no step is an error naming lr_select_fraction", async () => {
  const { tokens, labels } = separableTokens(40, 3, idLayout);
  const data = { train: tokens.slice(0, 30), trainLabels: labels.slice(0, 30), validation: tokens.slice(30), validationLabels: labels.slice(30), numClasses: 2 };
  // A fine-tuning presentation costs 48,000 to 135,360 FLOPs here: 1.6e5 buys steps, a quarter of it none.
  const train = trainParams.parse({ pretrain_budget: { epochs: 1 }, classify_budget: { flops: 1.6e5 }, val_fraction: 0.25, lr_select: [1e-3, 1e-2] });
  await assert.rejects(
    selectLearningRate([1e-3, 1e-2], idLayout, data, smallModel, train, seeds),
    (e: unknown) =>
      e instanceof TokbenchError && e.path.join('.') === 'train.lr_select_fraction' && /^A learning-rate trial trains on lr_select_fraction 0.25 of each budget: The classify budget flops=40000 must buy at least one training step/.test(e.message),
  );
});

test('lr_select needs val_fraction, distinct rates and something that trains with them', () => {
  const missing = trainParams.safeParse({ lr_select: [1e-3, 1e-2] });
  assert.equal(missing.success, false);
  assert.match(JSON.stringify(missing.error?.issues), /val_fraction > 0 beside lr_select/);
  assert.equal(trainParams.safeParse({ lr_select: [1e-3, 1e-3], val_fraction: 0.1 }).success, false);
  assert.equal(trainParams.safeParse({ lr_select: [1e-3], val_fraction: 0.1 }).success, false);
  // Nothing would train with the rate: a probe or reconstruction only, without pre-training.
  for (const classify of ['probe', 'none']) {
    const idle = trainParams.safeParse({ lr_select: [1e-3, 1e-2], val_fraction: 0.1, classify, pretrain_budget: { epochs: 0 } });
    assert.match(JSON.stringify(idle.error?.issues), /nothing else trains with a learning rate/);
  }
  assert.equal(trainParams.safeParse({ lr_select: [1e-3, 1e-2], val_fraction: 0.1, pretrain_budget: { epochs: 0 } }).success, true);
});
