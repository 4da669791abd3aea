// Training budgets: what each kind buys, the cut last batch, and the schedule laid out over the budgeted steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../harness/backend/select.js';
import { encoderMacs, layoutInput } from '../../../harness/flops.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { trainParams } from '../../../harness/model/params.js';
import { createRng } from '../../../harness/random.js';
import { epochBatches, epochStream } from '../../../harness/training/batching.js';
import { TokbenchError } from '../../../harness/errors.js';
import { budgetSchema, budgetShare, budgetText, estimateSpend, fixedCosts, planTraining } from '../../../harness/training/budget.js';
import { finetuneCosts, trainClassifier } from '../../../harness/training/classify.js';
import { choosePositions, maskCount } from '../../../harness/training/masking.js';
import { pretrain, pretrainCosts } from '../../../harness/training/pretrain.js';
import { scheduledRate, WARMUP_FRACTION } from '../../../harness/training/schedule.js';
import type { Tokens } from '../../../strategies/types.js';
import { idLayout, repeatedTokens, separableTokens, smallModel, VOCAB } from './toy.js';

await selectBackend('wasm');

/** `n` samples of `length` tokens each, ids cycling through the vocabulary. */
function fixedLength(n: number, length: number): Tokens[] {
  return Array.from({ length: n }, (_, i) => ({
    length,
    ids: Int32Array.from({ length }, (_, t) => (i + t) % VOCAB),
    values: new Float32Array(0),
    coords: Float32Array.from({ length }, (_, t) => t),
    extent: [length],
    dropped: 0,
  }));
}

const unitCosts = (n: number) => fixedCosts(new Array<number>(n).fill(1), new Array<number>(n).fill(1));

test('budgets print as kind=amount, and a budget names exactly one kind', () => {
  assert.equal(budgetText({ flops: 2e9 }), 'flops=2e9');
  assert.equal(budgetText({ flops: 1.5e12 }), 'flops=1.5e12');
  assert.equal(budgetText({ epochs: 3 }), 'epochs=3');
  assert.equal(budgetText({ tokens: 250_000 }), 'tokens=250000');
  const schema = budgetSchema(0);
  assert.equal(schema.safeParse({ epochs: 2, flops: 1e9 }).success, false);
  assert.equal(schema.safeParse({}).success, false);
  assert.equal(schema.safeParse({ samples: 1.5 }).success, false);
  assert.equal(budgetSchema(1).safeParse({ epochs: 0 }).success, false);
});

test('an epoch budget takes whole epochs of exactly the batches an epoch loop draws from the same stream', () => {
  const lengths = Array.from({ length: 50 }, (_, i) => 1 + (i % 7));
  const samples = Int32Array.from(lengths.keys());
  const plan = planTraining({ epochs: 3 }, unitCosts(50), () => epochStream(samples, lengths, 8, 5), 'test');
  const again = createRng(5);
  const expected = [0, 1, 2].flatMap(() => epochBatches(samples, lengths, 8, again));
  assert.deepEqual([...plan.batches()], expected);
  // Drawn again, from a fresh stream: the same batches.
  assert.deepEqual([...plan.batches()], expected);
  assert.deepEqual(plan.epochEnds, [7, 14, 21]);
  assert.deepEqual(plan.spend, { flops: 150, tokens: 150, samples: 150, steps: 21 });
});

test('any other budget stops within one sample of it: the last batch is cut to the prefix that fits', () => {
  const costs = fixedCosts([5, 3, 4, 2], [1, 2, 3, 4]);
  const epoch = () => () => [Int32Array.of(0, 1), Int32Array.of(2, 3)];
  // 5 + 3 + 4 + 2 = 14 per epoch; 20 FLOPs buy one epoch, then sample 0 (5 → 19), and sample 1 (3) no longer fits.
  const plan = planTraining({ flops: 20 }, costs, epoch, 'test');
  assert.deepEqual([...plan.batches()], [Int32Array.of(0, 1), Int32Array.of(2, 3), Int32Array.of(0)]);
  assert.deepEqual(plan.epochEnds, [2, 3]);
  assert.deepEqual(plan.spend, { flops: 19, tokens: 11, samples: 5, steps: 3 });
  assert.deepEqual(planTraining({ tokens: 6 }, costs, epoch, 'test').spend, { flops: 12, tokens: 6, samples: 3, steps: 2 });
  assert.deepEqual([...planTraining({ samples: 4 }, costs, epoch, 'test').batches()], [Int32Array.of(0, 1), Int32Array.of(2, 3)]);
  // A budget that buys not even the first sample would train nothing: refused rather than reported as a trained run.
  assert.throws(
    () => planTraining({ flops: 4 }, costs, epoch, 'classify'),
    (e: unknown) => e instanceof TokbenchError && e.message === 'The classify budget flops=4 must buy at least one training step; the first sample it would present costs 5 flops, so it would train nothing.',
  );
  assert.deepEqual(planTraining({ epochs: 0 }, costs, epoch, 'pretrain').spend, { flops: 0, tokens: 0, samples: 0, steps: 0 });
});

test('under one FLOP budget two strategies get steps in inverse proportion to their per-sample training FLOPs', async () => {
  // Patch 14 and patch 7 on 28×28 MNIST: 4 and 16 tokens per image, every image alike.
  const params = trainParams.parse({ batch_size: 16, lr: 1e-3 });
  const runs = [4, 16].map(async (length) => {
    const encoder = new Encoder(idLayout, smallModel, 1);
    const tokens = fixedLength(32, length);
    const perSample = pretrainCosts(encoder, [length], params.mask_ratio, createRng(0))(0).flops;
    // Computed independently: 3 × 2 × (encoder MACs + the head on the masked tokens).
    const expected = 6 * (encoderMacs(smallModel, layoutInput(idLayout, length)).total + maskCount(length, params.mask_ratio) * smallModel.dim * VOCAB);
    assert.equal(perSample, expected);
    const report = await pretrain(encoder, tokens, params, 2, { budget: { flops: 2e8 } });
    encoder.dispose();
    return { perSample, spend: report.spend, rates: report.rates };
  });
  const [short, long] = await Promise.all(runs);
  for (const { perSample, spend } of [short, long]) {
    assert.ok(spend !== null);
    // Every sample that fits is presented, and not one more: exactly floor(budget / cost) samples.
    assert.equal(spend.samples, Math.floor(2e8 / perSample));
    assert.equal(spend.flops, spend.samples * perSample);
    assert.ok(2e8 - spend.flops < perSample);
    // 32 samples in two full batches per epoch: steps are ceil(samples / 16), the last batch cut.
    assert.equal(spend.steps, Math.ceil(spend.samples / 16));
  }
  assert.ok(short.spend !== null && long.spend !== null);
  const ratio = short.spend.samples / long.spend.samples;
  assert.ok(Math.abs(ratio - long.perSample / short.perSample) < (long.perSample / short.perSample) / long.spend.samples, `${ratio}`);
  assert.ok(short.spend.steps > 2 * long.spend.steps);
});

test('a tokens budget counts real tokens only: padding in a batch of mixed lengths is not charged', async () => {
  const tokens = repeatedTokens(40, 7);
  const params = trainParams.parse({ batch_size: 8 });
  const encoder = new Encoder(idLayout, smallModel, 3);
  const report = await pretrain(encoder, tokens, params, 4, { budget: { tokens: 700 } });
  encoder.dispose();
  assert.ok(report.spend !== null);
  // The loop counts the real tokens of the padded batches it trained on; the plan charged the same.
  assert.equal(report.tokens, report.spend.tokens);
  assert.ok(report.spend.tokens <= 700 && 700 - report.spend.tokens < 12, `${report.spend.tokens}`);
  // Padded to each batch's longest sample the same batches hold more: what a padding-counting budget would charge.
  const lengths = tokens.map((t) => t.length);
  // pretrain's batch order: the first stream forked from its seed.
  const order = createRng(4).fork();
  const plan = planTraining({ tokens: 700 }, fixedCosts(new Array<number>(40).fill(0), lengths), () => epochStream(Int32Array.from(lengths.keys()), lengths, 8, order), 'test');
  const padded = [...plan.batches()].reduce((sum, batch) => sum + batch.length * Math.max(...Array.from(batch, (i) => lengths[i])), 0);
  assert.equal(plan.spend.tokens, report.spend.tokens);
  assert.ok(padded > plan.spend.tokens, `${padded} vs ${plan.spend.tokens}`);
});

test("the schedule is laid out over the budgeted steps: warm-up, then a decay that ends with the run's last step", async () => {
  const { tokens, labels } = separableTokens(40, 2, idLayout);
  const params = trainParams.parse({ batch_size: 8, lr: 2e-3 });
  for (const budget of [{ epochs: 2 }, { samples: 61 }, { flops: 3e7 }]) {
    const encoder = new Encoder(idLayout, smallModel, 5);
    const classifier = await trainClassifier(encoder, tokens, labels, 2, params, 6, { budget });
    const { rates, spend } = classifier.report;
    classifier.dispose();
    encoder.dispose();
    assert.ok(spend !== null);
    const total = spend.steps;
    assert.equal(rates.length, total, budgetText(budget));
    const warmup = Math.max(1, Math.round(WARMUP_FRACTION * total));
    assert.equal(Math.max(...rates), 2e-3);
    // The peak ends the warm-up and opens the decay, which then falls at every step.
    assert.equal(rates[warmup - 1], 2e-3);
    assert.equal(rates[warmup], 2e-3);
    for (let s = warmup + 1; s < total; s++) assert.ok(rates[s] < rates[s - 1], `${budgetText(budget)} step ${s}`);
    // The last step is the decay's last: the next one would have rate 0.
    assert.equal(rates[total - 1], scheduledRate(total - 1, total, 2e-3));
    assert.equal(scheduledRate(total, total, 2e-3), 0);
  }
});

test('span masking is charged the tokens it really hides, presentation by presentation, not maskCount', async () => {
  // DNABERT-style spans of 3 overlapping tokens: whole spans are hidden until maskCount is reached, so more may be.
  const layout = { ...idLayout, maskSpan: 3 };
  const tokens = fixedLength(24, 10);
  const params = trainParams.parse({ batch_size: 8, mask_ratio: 0.4 });
  const encoder = new Encoder(layout, smallModel, 1);
  const report = await pretrain(encoder, tokens, params, 9, { budget: { flops: 4e7 } });
  encoder.dispose();
  assert.ok(report.spend !== null);
  // Replay pretrain's streams (batch order, then masks, forked from its seed) and price each presentation by hand.
  const rng = createRng(9);
  const order = rng.fork();
  const masks = createRng(rng.fork());
  const lengths = tokens.map((t) => t.length);
  const plan = planTraining({ samples: report.spend.samples }, unitCosts(24), () => epochStream(Int32Array.from(lengths.keys()), lengths, 8, order), 'test');
  const encoderPart = 6 * encoderMacs(smallModel, layoutInput(layout, 10)).total;
  let flops = 0;
  let hidden = 0;
  for (const batch of plan.batches()) {
    for (const i of batch) {
      const count = choosePositions(lengths[i], 0.4, 3, masks).length;
      hidden += count;
      flops += encoderPart + 6 * count * smallModel.dim * VOCAB;
    }
  }
  assert.equal(report.spend.flops, flops);
  // maskCount(10) = 4, but a second whole span of 3 may hide up to 6: charging maskCount would under-count the head.
  assert.ok(hidden > 4 * report.spend.samples, `${hidden} hidden over ${report.spend.samples} presentations`);
  assert.ok(4e7 - report.spend.flops < encoderPart + 6 * 6 * smallModel.dim * VOCAB);
});

test('fine-tuning charges the encoder and the linear head per presented sample', () => {
  const encoder = new Encoder(idLayout, smallModel, 1);
  const costs = finetuneCosts(encoder, [3, 10], 4);
  encoder.dispose();
  assert.deepEqual([costs(0), costs(1), costs(0)], [3, 10, 3].map((n) => ({ flops: 6 * (encoderMacs(smallModel, layoutInput(idLayout, n)).total + smallModel.dim * 4), tokens: n })));
});

test("a share of a budget keeps its kind; an epoch budget's share counts presentations", () => {
  assert.deepEqual(budgetShare({ epochs: 4 }, 0.25, 100), { samples: 100 });
  assert.deepEqual(budgetShare({ epochs: 0 }, 0.25, 100), { epochs: 0 });
  assert.deepEqual(budgetShare({ flops: 1e9 }, 0.25, 100), { flops: 2.5e8 });
  assert.deepEqual(budgetShare({ tokens: 10 }, 0.01, 100), { tokens: 1 });
});

test('the estimate equals the plan when every sample costs the same and the batch size divides the split', () => {
  const lengths = new Array<number>(48).fill(4);
  const costs = fixedCosts(new Array<number>(48).fill(300), lengths);
  const samples = Int32Array.from(lengths.keys());
  for (const budget of [{ epochs: 2 }, { flops: 40_000 }, { tokens: 333 }, { samples: 77 }]) {
    const plan = planTraining(budget, costs, () => epochStream(samples, lengths, 16, 1), 'test');
    assert.deepEqual(estimateSpend(budget, { flops: 300, tokens: 4 }, 48, 16), plan.spend, budgetText(budget));
  }
});
