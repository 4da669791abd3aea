// Tests of summary.md: repeats (seeds, split seeds) grouped into one line, mean ± sample sd worked by hand,
// reference ratios as the mean of per-row ratios, failed repeats flagged and listed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultRow, RowValue } from '../../../harness/results/columns.js';
import { paramAxisValue } from '../../../harness/results/param-columns.js';
import type { Budget } from '../../../harness/training/budget.js';
import { axesText, repeatKey, summarize } from '../../../harness/results/summary.js';

interface RowSpec {
  readonly dataset: string;
  readonly strategy: string;
  readonly datasetParams?: Record<string, unknown>;
  readonly strategyParams?: Record<string, unknown>;
  readonly lr?: number;
  readonly pretrainBudget?: Budget;
  readonly seed: number;
  readonly cellId: string;
  readonly status?: string;
  readonly error?: string | null;
  /** Metric and axis columns of the row. */
  readonly columns?: Record<string, RowValue>;
}

const MODALITY: Record<string, string> = { 'synthetic-dna': 'sequence', 'synthetic-expression': 'expression' };

/** A result row as the runner writes it: `params_json` holds every resolved parameter. */
function row(spec: RowSpec): ResultRow {
  const lr = spec.lr ?? 0.001;
  const pretrainBudget = spec.pretrainBudget ?? { epochs: 2 };
  const params = {
    dataset: { name: spec.dataset, params: spec.datasetParams ?? {} },
    strategy: { name: spec.strategy, params: spec.strategyParams ?? {} },
    model: { dim: 32, depth: 2, heads: 2, mlp_ratio: 2 },
    train: { lr, batch_size: 16, pretrain_budget: pretrainBudget, classify_budget: { epochs: 1 }, mask_ratio: 0.5, classify: 'finetune' },
  };
  return {
    sweep: 'demo',
    cell_id: spec.cellId,
    seed: spec.seed,
    modality: MODALITY[spec.dataset] ?? 'image',
    dataset: spec.dataset,
    strategy: spec.strategy,
    lr,
    pretrain_budget: paramAxisValue('train.pretrain_budget', pretrainBudget),
    params_json: JSON.stringify(params),
    status: spec.status ?? 'ok',
    error: spec.error ?? null,
    ...spec.columns,
  };
}

const HEADER =
  '| dataset | strategy | axes | runs ok | recon. error | masked recon. | masked acc. | roundtrip | accuracy | macro-F1 | majority acc. | baseline acc. | tokens | MACs/sample | train s |';
const SEPARATOR = '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
// A modality's own metric gets its column only when the sweep has rows of that modality: codebook use with
// image rows, bases/token with DNA rows.
const HEADER_IMAGES =
  '| dataset | strategy | axes | runs ok | recon. error | masked recon. | masked acc. | roundtrip | accuracy | macro-F1 | majority acc. | baseline acc. | tokens | codebook use | MACs/sample | train s |';
const HEADER_ALL =
  '| dataset | strategy | axes | runs ok | recon. error | masked recon. | masked acc. | roundtrip | accuracy | macro-F1 | majority acc. | baseline acc. | bases/token | tokens | codebook use | MACs/sample | train s |';
const SEPARATOR_ALL = `${SEPARATOR} --- | --- |`;

/** The markdown table's lines (header, separator, one per configuration). */
const tableLines = (text: string) => text.split('\n').filter((line) => line.startsWith('|'));

/** The lines of the `## N row(s) not ok` section, heading included. */
function notOkLines(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('## '));
  return start < 0 ? [] : lines.slice(start).filter((line) => line !== '');
}

// mnist/patch with patch_size 4: two split seeds × two seeds, one of the four failed.
//   recon. error 0.02, 0.03, 0.04 → mean 0.03, sd √((0.01² + 0 + 0.01²)/2) = 0.01;
//   ratios 0.02/0.04, 0.03/0.05, 0.04/0.05 = 0.5, 0.6, 0.8 → mean 0.6333 (the ratio of means would be 0.643).
//   accuracy 0.90, 0.80, 0.85 → 0.850 ± 0.050; train s 10, 12, 14 → 12.0 ± 2.0; MACs all 1.5e6 → 1.50M ± 0.00.
const patch4 = (seed: number, splitSeed: number, columns: Record<string, RowValue>, status = 'ok', error: string | null = null) =>
  row({
    dataset: 'mnist',
    strategy: 'patch',
    datasetParams: { n_train: 100, split_seed: splitSeed },
    strategyParams: { patch_size: 4 },
    seed,
    cellId: `p4s${splitSeed}`,
    status,
    error,
    columns: { 'dataset.split_seed': splitSeed, 'strategy.patch_size': 4, ...columns },
  });

const ROWS: ResultRow[] = [
  // synthetic-expression/rank: its only run failed (listed first so sorting is visible).
  row({
    dataset: 'synthetic-expression',
    strategy: 'rank',
    datasetParams: { split_seed: 0 },
    seed: 1,
    cellId: 'rank0',
    status: 'failed',
    error: 'out of memory',
    columns: { 'dataset.split_seed': 0, accuracy: 0.4 },
  }),
  patch4(1, 0, { reconstruction_error: 0.02, reconstruction_fill_reference: 0.04, accuracy: 0.9, tokens_mean: 49, total_macs: 1.5e6, train_seconds: 10 }),
  // synthetic-dna/kmer, classify: none: no accuracy. recon. 0.25, 0.35 → 0.300 ± √0.005 = 0.0707; ratios 0.5, 0.7 → 0.60.
  //   masked acc. 0.4, 0.5 → 0.450 ± 0.071.
  row({
    dataset: 'synthetic-dna',
    strategy: 'kmer',
    datasetParams: { length: 64, split_seed: 0 },
    strategyParams: { k: 3 },
    seed: 1,
    cellId: 'kmer0',
    columns: { 'dataset.split_seed': 0, reconstruction_error: 0.25, reconstruction_fill_reference: 0.5, masked_token_accuracy: 0.4, accuracy: null, bases_per_token: 1 },
  }),
  patch4(2, 0, { reconstruction_error: 0.03, reconstruction_fill_reference: 0.05, accuracy: 0.8, tokens_mean: 49, total_macs: 1.5e6, train_seconds: 12 }),
  // mnist/patch with patch_size 7: another configuration, a line of its own; one value, so no sd.
  row({
    dataset: 'mnist',
    strategy: 'patch',
    datasetParams: { n_train: 100, split_seed: 0 },
    strategyParams: { patch_size: 7 },
    seed: 1,
    cellId: 'p7s0',
    columns: { 'dataset.split_seed': 0, 'strategy.patch_size': 7, reconstruction_error: 0.06, reconstruction_fill_reference: 0.04, accuracy: 0.7, tokens_mean: 16, total_macs: 234_000, train_seconds: 5 },
  }),
  patch4(1, 1, { reconstruction_error: 0.04, reconstruction_fill_reference: 0.05, accuracy: 0.85, tokens_mean: 49, total_macs: 1.5e6, train_seconds: 14 }),
  // Failed: its partial metrics stay out of the means.
  patch4(2, 1, { reconstruction_error: 0.5, reconstruction_fill_reference: 0.05, accuracy: 0.1 }, 'failed', 'loss became NaN'),
  row({
    dataset: 'synthetic-dna',
    strategy: 'kmer',
    datasetParams: { length: 64, split_seed: 0 },
    strategyParams: { k: 3 },
    seed: 2,
    cellId: 'kmer0',
    columns: { 'dataset.split_seed': 0, reconstruction_error: 0.35, reconstruction_fill_reference: 0.5, masked_token_accuracy: 0.5, accuracy: null, bases_per_token: 1 },
  }),
  // synthetic-expression/descending-order sorts before rank within its dataset.
  row({
    dataset: 'synthetic-expression',
    strategy: 'descending-order',
    datasetParams: { split_seed: 0 },
    seed: 1,
    cellId: 'desc0',
    columns: { 'dataset.split_seed': 0, macro_f1: 0.25, majority_accuracy: 0.5, baseline_accuracy: 0.625, masked_reconstruction_error: 0.123456, masked_reconstruction_reference: 0.5 },
  }),
];

const AXES = ['dataset.split_seed', 'strategy.patch_size', 'train.lr'];

describe('summarize', () => {
  const text = summarize('demo', ROWS, AXES);

  test('one line per configuration, sorted by dataset then strategy, with exact means, sds and ratios', () => {
    assert.deepEqual(tableLines(text), [
      HEADER_ALL,
      SEPARATOR_ALL,
      '| mnist | patch | patch_size=4, lr=0.001 | 3/4 ⚠ | 0.0300 ± 0.0100 (0.63×) | – | – | – | 0.850 ± 0.050 | – | – | – | – | 49.0 ± 0.0 | – | 1.50M ± 0.00 | 12.0 ± 2.0 |',
      '| mnist | patch | patch_size=7, lr=0.001 | 1/1 | 0.0600 (1.50×) | – | – | – | 0.700 | – | – | – | – | 16.0 | – | 234k | 5.0 |',
      '| synthetic-dna | kmer | lr=0.001 | 2/2 | 0.300 ± 0.0707 (0.60×) | – | 0.450 ± 0.071 | – | – | – | – | – | 1.00 ± 0.00 | – | – | – | – |',
      '| synthetic-expression | descending-order | lr=0.001 | 1/1 | – | 0.123 (0.25×) | – | – | – | 0.250 | 0.500 | 0.625 | – | – | – | – | – |',
      '| synthetic-expression | rank | lr=0.001 | 0/1 ⚠ | – | – | – | – | – | – | – | – | – | – | – | – | – |',
    ]);
  });

  test('a title, then the rows that are not ok in input order with their status and error', () => {
    assert.equal(text.split('\n')[0], '# demo');
    assert.deepEqual(notOkLines(text), [
      '## 2 row(s) not ok',
      '- synthetic-expression / rank cell rank0 seed 1: failed: out of memory',
      '- mnist / patch cell p4s1 seed 2: failed: loss became NaN',
    ]);
    assert.ok(text.endsWith('|\n\n## 2 row(s) not ok\n\n- synthetic-expression / rank cell rank0 seed 1: failed: out of memory\n- mnist / patch cell p4s1 seed 2: failed: loss became NaN\n'));
  });

  test('without failed rows there is no not-ok section, and the text ends with the table', () => {
    const ok = ROWS.filter((r) => r.status === 'ok');
    const okText = summarize('demo', ok, AXES);
    assert.deepEqual(notOkLines(okText), []);
    assert.ok(okText.endsWith('| synthetic-expression | descending-order | lr=0.001 | 1/1 | – | 0.123 (0.25×) | – | – | – | 0.250 | 0.500 | 0.625 | – | – | – | – | – |\n'));
    assert.equal(tableLines(okText)[2], '| mnist | patch | patch_size=4, lr=0.001 | 3/3 | 0.0300 ± 0.0100 (0.63×) | – | – | – | 0.850 ± 0.050 | – | – | – | – | 49.0 ± 0.0 | – | 1.50M ± 0.00 | 12.0 ± 2.0 |');
  });

  test('rows differing in a dataset param other than split_seed are separate configurations', () => {
    const a = row({ dataset: 'mnist', strategy: 'patch', datasetParams: { n_train: 100, split_seed: 0 }, seed: 1, cellId: 'a', columns: { 'dataset.n_train': 100, accuracy: 0.5 } });
    const b = row({ dataset: 'mnist', strategy: 'patch', datasetParams: { n_train: 200, split_seed: 0 }, seed: 1, cellId: 'b', columns: { 'dataset.n_train': 200, accuracy: 0.75 } });
    assert.deepEqual(tableLines(summarize('n', [a, b], ['dataset.n_train'])).slice(2), [
      '| mnist | patch | n_train=100 | 1/1 | – | – | – | – | 0.500 | – | – | – | – | – | – | – |',
      '| mnist | patch | n_train=200 | 1/1 | – | – | – | – | 0.750 | – | – | – | – | – | – | – |',
    ]);
  });

  test('a reference of 0 or null gives no ratio; the mean still shows', () => {
    const a = row({ dataset: 'd', strategy: 's', seed: 1, cellId: 'c', columns: { reconstruction_error: 0.2, reconstruction_fill_reference: 0 } });
    const b = row({ dataset: 'd', strategy: 's', seed: 2, cellId: 'c', columns: { reconstruction_error: 0.4, reconstruction_fill_reference: null } });
    // mean 0.3, sd √((0.1² + 0.1²)/1) = 0.141
    assert.equal(tableLines(summarize('r', [a, b], []))[2], '| d | s | – | 2/2 | 0.300 ± 0.141 | – | – | – | – | – | – | – | – | – | – | – |');
  });

  test('equal values show an sd of 0, not their rounding noise', () => {
    // 0.1 + 0.2 and 0.3 differ by 5.6e-17, so their sd is 3.9e-17.
    const a = row({ dataset: 'd', strategy: 's', seed: 1, cellId: 'c', columns: { reconstruction_error: 0.1 + 0.2 } });
    const b = row({ dataset: 'd', strategy: 's', seed: 2, cellId: 'c', columns: { reconstruction_error: 0.3 } });
    assert.equal(tableLines(summarize('r', [a, b], []))[2], '| d | s | – | 2/2 | 0.300 ± 0.00 | – | – | – | – | – | – | – | – | – | – | – |');
  });

  test('an empty sweep is a header and no lines', () => {
    assert.deepEqual(tableLines(summarize('empty', [], [])), [HEADER, SEPARATOR]);
  });

  // BUG (harness/results/summary.ts, the `sorted` comparator in summarize): it compares
  // `${dataset}\u0000${strategy}` with localeCompare, and ICU collation ignores U+0000, so it really compares
  // dataset+strategy run together. A dataset that is a prefix of another then sorts by its strategy's letters:
  // `mnist` (strategy `patch`) sorts after `mnist-c` ('-' < 'p'), and dna's lines are split around dnase's.
  test('sorting is by dataset first, even when one dataset name is a prefix of another', () => {
    const r = (dataset: string, strategy: string) => row({ dataset, strategy, seed: 1, cellId: `${dataset}/${strategy}` });
    const order = (rows: ResultRow[]) => tableLines(summarize('s', rows, [])).slice(2).map((line) => line.split(' | ').slice(0, 2).join(' | '));
    assert.deepEqual(order([r('mnist-c', 'patch'), r('mnist', 'patch')]), ['| mnist | patch', '| mnist-c | patch']);
    assert.deepEqual(order([r('dna', 'wordpiece'), r('dnase', 'kmer'), r('dna', 'kmer')]), ['| dna | kmer', '| dna | wordpiece', '| dnase | kmer']);
  });
});

describe('repeatKey', () => {
  const base = { dataset: 'mnist', strategy: 'patch', strategyParams: { patch_size: 4 }, cellId: 'x' };

  test('equal for rows differing only in seed, split_seed or key order', () => {
    const a = row({ ...base, datasetParams: { n_train: 100, split_seed: 0 }, seed: 1 });
    const b = row({ ...base, datasetParams: { split_seed: 3, n_train: 100 }, seed: 2 });
    assert.equal(repeatKey(a), repeatKey(b));
    assert.equal(
      repeatKey(a),
      '{"dataset":{"name":"mnist","params":{"n_train":100}},"model":{"depth":2,"dim":32,"heads":2,"mlp_ratio":2},' +
        '"strategy":{"name":"patch","params":{"patch_size":4}},' +
        '"train":{"batch_size":16,"classify":"finetune","classify_budget":{"epochs":1},"lr":0.001,"mask_ratio":0.5,"pretrain_budget":{"epochs":2}}}',
    );
  });

  test('different for another dataset param, a strategy param, a model or training param', () => {
    const key = repeatKey(row({ ...base, datasetParams: { n_train: 100 }, seed: 1 }));
    assert.notEqual(repeatKey(row({ ...base, datasetParams: { n_train: 200 }, seed: 1 })), key);
    assert.notEqual(repeatKey(row({ ...base, strategyParams: { patch_size: 7 }, datasetParams: { n_train: 100 }, seed: 1 })), key);
    assert.notEqual(repeatKey(row({ ...base, datasetParams: { n_train: 100 }, lr: 0.01, seed: 1 })), key);
  });

  test('leaves the row itself unchanged', () => {
    const r = row({ ...base, datasetParams: { split_seed: 3 }, seed: 1 });
    const before = r.params_json;
    repeatKey(r);
    assert.equal(r.params_json, before);
  });
});

describe('axesText', () => {
  test('the values of the axes the row has, named without their prefix; model and train axes read their fixed column', () => {
    const r: ResultRow = { 'strategy.patch_size': 4, 'dataset.noise': 0.5, 'strategy.sizes': '[2,4]', lr: 0.002, dim: 64, 'strategy.k': null };
    assert.equal(
      axesText(r, ['dataset.noise', 'model.dim', 'strategy.k', 'strategy.patch_size', 'strategy.sizes', 'train.lr']),
      'noise=0.5, dim=64, patch_size=4, sizes=[2,4], lr=0.002',
    );
  });

  test('a budget axis shows its column text, in axesText and in summary.md', () => {
    const rows = [{ epochs: 2 }, { flops: 2e9 }].map((pretrainBudget, i) => row({ dataset: 'mnist', strategy: 'patch', pretrainBudget, seed: 0, cellId: `c${i}` }));
    assert.equal(axesText(rows[1], ['train.pretrain_budget', 'train.lr']), 'pretrain_budget=flops=2e9, lr=0.001');
    assert.deepEqual(tableLines(summarize('x', rows, ['train.pretrain_budget'])).slice(2).map((line) => line.split(' | ')[2]), ['pretrain_budget=epochs=2', 'pretrain_budget=flops=2e9']);
  });

  test('a value of 0 or the empty string is shown; no axes, or none the row has, is –', () => {
    assert.equal(axesText({ 'strategy.k': 0, 'dataset.tag': '' }, ['strategy.k', 'dataset.tag']), 'k=0, tag=');
    assert.equal(axesText({ 'strategy.patch_size': 4 }, []), '–');
    assert.equal(axesText({ 'strategy.patch_size': null }, ['strategy.patch_size', 'strategy.k']), '–');
  });

  test('summarize hides dataset.split_seed but axesText itself does not', () => {
    assert.equal(axesText({ 'dataset.split_seed': 3 }, ['dataset.split_seed']), 'split_seed=3');
    const r = row({ dataset: 'd', strategy: 's', datasetParams: { split_seed: 3 }, seed: 1, cellId: 'c', columns: { 'dataset.split_seed': 3 } });
    assert.equal(tableLines(summarize('x', [r], ['dataset.split_seed']))[2], '| d | s | – | 1/1 | – | – | – | – | – | – | – | – | – | – | – | – |');
  });
});
