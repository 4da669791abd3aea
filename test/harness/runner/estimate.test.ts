// Cost estimates: analytic training FLOPs per run, and the wall-time model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { encoderMacs } from '../../../harness/flops.js';
import { coordFeatureWidth } from '../../../harness/model/coords.js';
import { estimateRun, GUESSED_TOKENS, RUN_SECONDS, TRAINING_EFFICIENCY, wallSeconds, WORKER_START_SECONDS } from '../../../harness/runner/estimate.js';
import { preflight } from '../../../harness/runner/preflight.js';

const yaml = [
  'name: costs',
  'version: 1',
  'seeds: [0]',
  'datasets: [{ name: mnist, params: { train_size: 100, test_size: 40 } }, { name: synthetic-expression, params: { cells: 50, genes: 30 } }]',
  'strategies: [{ name: patch, params: { patch_size: 7 } }, { name: rank, params: { max_len: 16 } }]',
  'model: { dim: 16, depth: 1, heads: 2 }',
  'train: { pretrain_epochs: 2, classify_epochs: 3 }',
].join('\n');

test('a run costs 3 forward passes per training sample and epoch (heads included), one statistics pass and two test passes', async () => {
  const sweep = parseSweep(yaml, 'costs.yaml', builtinComponents);
  const checked = await preflight(sweep);
  const [patch, rank] = sweep.cells;
  const p = estimateRun(patch, checked.shapeOf(patch));
  assert.equal(p.tokens, 'exact');
  assert.equal(p.tokensPerSample, 16);
  // 7×7 patches: 49 values and 3 coordinates per token.
  const macs = encoderMacs(patch.model, { tokens: 16, valueDim: 49, coordDim: coordFeatureWidth(3) }).total;
  // Pre-training adds the reconstruction head on 4 masked patches of 49 values; fine-tuning, the head over 10 digits.
  const pretrainSample = 6 * (macs + 4 * 16 * 49);
  const finetuneSample = 6 * (macs + 16 * 10);
  assert.equal(p.flops, 2 * 100 * pretrainSample + 3 * 100 * finetuneSample + 2 * macs * (100 + 40 * 2));
  // 100 samples in batches of 32: 4 steps an epoch.
  assert.deepEqual(p.pretrain, { flops: 2 * 100 * pretrainSample, tokens: 2 * 100 * 16, samples: 200, steps: 8 });
  assert.deepEqual(p.classify, { flops: 3 * 100 * finetuneSample, tokens: 3 * 100 * 16, samples: 300, steps: 12 });
  // Rank tokens depend on each cell's genes: counted at max_len, an upper bound.
  const r = estimateRun(rank, checked.shapeOf(rank));
  assert.deepEqual([r.tokens, r.tokensPerSample], ['max_len', 16]);
  assert.ok(GUESSED_TOKENS > 0);
});

test('wall time: worker start, then each cell (its seeds back to back) on the first free process', () => {
  assert.equal(wallSeconds([], 1e10, 2), 0);
  const run = (flops: number) => flops / (1e10 * TRAINING_EFFICIENCY) + RUN_SECONDS;
  // Cells of 3, 1 and 1 runs on 2 processes: the 3-run cell holds one process, the others share the second.
  const jobs = [{ runs: 3, flopsPerRun: 1e11 }, { runs: 1, flopsPerRun: 1e11 }, { runs: 1, flopsPerRun: 1e11 }];
  assert.equal(wallSeconds(jobs, 1e10, 2), WORKER_START_SECONDS + 3 * run(1e11));
  assert.equal(wallSeconds(jobs, 1e10, 1), WORKER_START_SECONDS + 5 * run(1e11));
  // More processes than cells do not help; a cell with nothing left to run costs nothing.
  assert.equal(wallSeconds([{ runs: 2, flopsPerRun: 1e11 }, { runs: 0, flopsPerRun: 1e12 }], 1e10, 8), WORKER_START_SECONDS + 2 * run(1e11));
});

test('measured mean MACs replace a max_len bound, never an exact count', async () => {
  const sweep = parseSweep(yaml, 'costs.yaml', builtinComponents);
  const checked = await preflight(sweep);
  const [patch, rank] = sweep.cells;
  const measured = { tokensMean: 9.5, macsMean: 1000, headWidth: 32 };
  const r = estimateRun(rank, checked.shapeOf(rank), measured);
  assert.deepEqual([r.tokens, r.tokensPerSample], ['measured', 9.5]);
  // 50 simulated cells: 35 train, 15 test; ⌈0.25 × 9.5⌉ = 3 masked tokens through a head of 32 ids.
  const { classes } = checked.shapeOf(rank);
  assert.equal(r.flops, 2 * 35 * 6 * (1000 + 3 * 16 * 32) + 3 * 35 * 6 * (1000 + 16 * classes) + 2 * 1000 * (35 + 15 * 2));
  assert.deepEqual(estimateRun(patch, checked.shapeOf(patch), measured), estimateRun(patch, checked.shapeOf(patch)));
});
