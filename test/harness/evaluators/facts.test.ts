// The facts evaluator copies what a fitted tokenizer reports about itself into the row, and null where it reports nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, LoadedDataset, Split } from '../../../datasets/types.js';
import { facts } from '../../../harness/evaluators/facts.js';
import { modelParams, trainParams } from '../../../harness/model/params.js';
import { METRICS } from '../../../harness/results/metrics.js';
import { createRng } from '../../../harness/random.js';
import { continuous } from '../../../strategies/expression/continuous.js';
import { modules } from '../../../strategies/expression/modules.js';
import type { Strategy } from '../../../strategies/types.js';

function cell(entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize: 100 };
}

function split(samples: readonly ExpressionSample[]): Split<'expression'> {
  return { samples, labels: new Int32Array(samples.length), index: Int32Array.from(samples.keys()) };
}

// Four genes: G3 is never detected in training, and G2 is 5 of 100 in every training cell (constant), so learned modules leave both out.
const cells: LoadedDataset<'expression'> = {
  modality: 'expression',
  info: { genes: ['G0', 'G1', 'G2', 'G3'], values: 'counts' },
  classNames: ['cell'],
  train: split([cell([[0, 1], [1, 9], [2, 5]]), cell([[0, 4], [1, 2], [2, 5]]), cell([[1, 6], [2, 5]])]),
  validation: split([]),
  test: split([cell([[0, 2], [3, 1]])]),
};

function evaluate(strategy: Strategy<'expression'>) {
  strategy.fit?.(cells.train.samples, createRng(0));
  const encode = (s: Split<'expression'>) => s.samples.map((sample) => strategy.encode(sample));
  return facts.evaluate({
    dataset: cells,
    strategy: strategy as Strategy,
    trainTokens: encode(cells.train),
    validationTokens: [],
    testTokens: encode(cells.test),
    model: modelParams.parse({}),
    train: trainParams.parse({}),
    seed: 0,
  });
}

test("the row gets the tokenizer's genes_unassigned, and null from a tokenizer that reports no facts", () => {
  assert.deepEqual(evaluate(modules.create(modules.params.parse({ n_modules: 2 }), cells.info)), { genes_unassigned: 2 });
  assert.deepEqual(evaluate(continuous.create(continuous.params.parse({}), cells.info)), { genes_unassigned: null });
});

test('genes_unassigned is declared for expression rows only, and the evaluator declares it', () => {
  assert.deepEqual(METRICS.genes_unassigned.modalities, ['expression']);
  assert.deepEqual(facts.metrics, ['genes_unassigned']);
});
