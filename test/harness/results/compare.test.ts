// Tests of compare: Welch intervals checked against scipy, the join on `config` (not cell_id), which changes
// are flagged and which are regressions, on hand-made rows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultRow, RowValue } from '../../../harness/results/columns.js';
import { compareRows, formatComparison, holm, readResultRows, welchInterval, welchP } from '../../../harness/results/compare.js';
import { canonicalJson } from '../../../harness/grid/canonical-json.js';
import { scratchDir } from '../cli/spawn.js';

const config = (patchSize: number) =>
  canonicalJson({ dataset: { name: 'mnist', params: { train_size: 100 } }, strategy: { name: 'patch', params: { patch_size: patchSize } }, model: { dim: 16 }, train: {} });

/** One row per value of the longest list: `columns[name][i]` is row i's value of that metric. */
function rows(configText: string, columns: Record<string, readonly (number | null)[]>, extra: { cellId?: string; status?: string[]; version?: string; dataHash?: string } = {}): ResultRow[] {
  const n = Math.max(...Object.values(columns).map((v) => v.length));
  return Array.from({ length: n }, (_, i) => {
    const row: ResultRow = {
      cell_id: extra.cellId ?? 'c0ffee000000',
      seed: i,
      config: configText,
      data_hash: extra.dataHash ?? '',
      status: extra.status?.[i] ?? 'ok',
      tokbench_version: extra.version ?? '0.2.0',
    };
    for (const [name, values] of Object.entries(columns)) row[name] = (values[i] ?? null) as RowValue;
    return row;
  });
}

const strict = { strictCost: true };
const lenient = { strictCost: false };

describe('Welch interval', () => {
  test('Welch: equal sds, n = 3 each (df 4): 0.1 ± t(0.975, 4)·√(2·0.01²/3)', () => {
    const [low, high] = welchInterval({ mean: 0.81, sd: 0.01, n: 3 }, { mean: 0.91, sd: 0.01, n: 3 }) ?? [NaN, NaN];
    // scipy: t.ppf(0.975, 4) * sqrt(2 * 0.0001 / 3) = 0.022669579355275193
    assert.ok(Math.abs(low - (0.1 - 0.022669579355275193)) < 1e-9);
    assert.ok(Math.abs(high - (0.1 + 0.022669579355275193)) < 1e-9);
  });

  test('Welch: unequal sds give scipy.stats.ttest_ind(equal_var=False).confidence_interval()', () => {
    // before 0.90, 0.80, 0.85; after 0.86, 0.84, 0.88: df 2.624, interval −0.09747 … 0.11747.
    const before = { mean: 0.85, sd: 0.05, n: 3 };
    const after = { mean: 0.86, sd: 0.02, n: 3 };
    const [low, high] = welchInterval(before, after) ?? [NaN, NaN];
    assert.ok(Math.abs(low - -0.09747082533000864) < 1e-8, String(low));
    assert.ok(Math.abs(high - 0.11747082533000844) < 1e-8, String(high));
  });

  test('a side with one row borrows the other side\'s sd (df = n − 1); one row on both sides has no interval', () => {
    const [low, high] = welchInterval({ mean: 0.9, sd: null, n: 1 }, { mean: 0.81, sd: 0.01, n: 3 }) ?? [NaN, NaN];
    // t.ppf(0.975, 2) * sqrt(0.01² + 0.01²/3) = 0.0496827542350066
    assert.ok(Math.abs(low - (-0.09 - 0.0496827542350066)) < 1e-9);
    assert.ok(Math.abs(high - (-0.09 + 0.0496827542350066)) < 1e-9);
    assert.equal(welchInterval({ mean: 0.9, sd: null, n: 1 }, { mean: 0.8, sd: null, n: 1 }), null);
  });

  test('with sd 0 on both sides the interval is the change itself', () => {
    assert.deepEqual(welchInterval({ mean: 49, sd: 0, n: 2 }, { mean: 64, sd: 0, n: 2 }), [15, 15]);
  });
});

describe('compareRows', () => {
  test('accuracy 0.90, 0.91, 0.92 → 0.80, 0.81, 0.82 is a quality regression', () => {
    const previous = rows(config(4), { accuracy: [0.9, 0.91, 0.92] });
    const current = rows(config(4), { accuracy: [0.8, 0.81, 0.82] });
    const result = compareRows(current, previous, lenient);
    assert.equal(result.matched, 1);
    assert.equal(result.changes.length, 1);
    const [change] = result.changes;
    assert.equal(change.metric, 'accuracy');
    assert.equal(change.kind, 'quality');
    assert.equal(change.verdict, 'worse');
    assert.ok(Math.abs(change.change - -0.1) < 1e-12);
    assert.equal(change.before.n, 3);
    assert.ok(Math.abs((change.before.sd ?? NaN) - 0.01) < 1e-12);
    assert.equal(result.regression, true);
    // The other way round it is an improvement, not a regression.
    const back = compareRows(previous, current, lenient);
    assert.equal(back.changes[0].verdict, 'better');
    assert.equal(back.regression, false);
  });

  test('a mixed change within seed noise is not flagged', () => {
    const previous = rows(config(4), { accuracy: [0.9, 0.8, 0.85], reconstruction_error: [0.02, 0.03, 0.025] });
    const current = rows(config(4), { accuracy: [0.86, 0.84, 0.88], reconstruction_error: [0.03, 0.02, 0.028] });
    const result = compareRows(current, previous, strict);
    assert.deepEqual(result.changes.map((c) => [c.metric, c.verdict]), [['reconstruction_error', 'same'], ['accuracy', 'same']]);
    assert.equal(result.regression, false);
  });

  test('train_seconds doubling is flagged as a cost, a regression only with strictCost', () => {
    const previous = rows(config(4), { train_seconds: [10, 11, 12], accuracy: [0.9, 0.91, 0.92] });
    const current = rows(config(4), { train_seconds: [20, 22, 24], accuracy: [0.9, 0.91, 0.92] });
    const lenientResult = compareRows(current, previous, lenient);
    const seconds = lenientResult.changes.find((c) => c.metric === 'train_seconds');
    assert.equal(seconds?.verdict, 'worse');
    assert.equal(seconds?.kind, 'cost');
    assert.equal(lenientResult.changes.find((c) => c.metric === 'accuracy')?.verdict, 'same');
    assert.equal(lenientResult.regression, false);
    assert.equal(compareRows(current, previous, strict).regression, true);
  });

  test('rows join on config, not cell_id: a changed id with an equal config (keys in another order) still joins', () => {
    const previous = rows(config(4), { accuracy: [0.9, 0.91, 0.92] }, { cellId: 'aaaaaaaaaaaa' });
    const reordered = JSON.stringify({ train: {}, model: { dim: 16 }, strategy: { params: { patch_size: 4 }, name: 'patch' }, dataset: { params: { train_size: 100 }, name: 'mnist' } });
    const current = rows(reordered, { accuracy: [0.8, 0.81, 0.82] }, { cellId: 'bbbbbbbbbbbb' });
    const result = compareRows(current, previous, lenient);
    assert.equal(result.matched, 1);
    assert.deepEqual(result.added, []);
    assert.deepEqual(result.removed, []);
    assert.equal(result.regression, true);
  });

  test('a row written before budgets (`pretrain_epochs: 1` in its config) joins today\'s `pretrain_budget: {epochs: 1}`', () => {
    const withTrain = (train: Record<string, unknown>) => canonicalJson({ ...JSON.parse(config(4)), train });
    const previous = rows(withTrain({ pretrain_epochs: 1, classify_epochs: 5 }), { accuracy: [0.9, 0.91, 0.92] }, { version: '0.2.0' });
    const current = rows(withTrain({ pretrain_budget: { epochs: 1 }, classify_budget: { epochs: 5 } }), { accuracy: [0.9, 0.91, 0.92] });
    const result = compareRows(current, previous, lenient);
    assert.equal(result.matched, 1);
    assert.deepEqual([result.added, result.removed], [[], []]);
    // Another epoch count, or a FLOP budget, is another configuration.
    const flops = compareRows(rows(withTrain({ pretrain_budget: { flops: 2e9 } }), { accuracy: [0.9] }), previous, lenient);
    assert.deepEqual([flops.matched, flops.added.length, flops.removed.length], [0, 1, 1]);
  });

  test('configurations on one side only are listed as added or removed, never a regression', () => {
    const previous = [...rows(config(4), { accuracy: [0.9, 0.91] }), ...rows(config(7), { accuracy: [0.9, 0.91] })];
    const current = [...rows(config(4), { accuracy: [0.9, 0.91] }), ...rows(config(14), { accuracy: [0.1, 0.11] })];
    const result = compareRows(current, previous, strict);
    assert.deepEqual(result.added, [config(14)]);
    assert.deepEqual(result.removed, [config(7)]);
    assert.equal(result.matched, 1);
    assert.equal(result.regression, false);
  });

  test('one row on each side: the change is reported as untested and never a regression', () => {
    const result = compareRows(rows(config(4), { accuracy: [0.5] }), rows(config(4), { accuracy: [0.9] }), strict);
    assert.equal(result.changes[0].verdict, 'untested');
    assert.equal(result.changes[0].interval, null);
    assert.equal(result.regression, false);
  });

  test('a deterministic metric (sd 0) that changes is flagged; one that stays put is the same', () => {
    const previous = rows(config(4), { tokens_mean: [49, 49], total_macs: [1e6, 1e6] });
    const current = rows(config(4), { tokens_mean: [64, 64], total_macs: [1e6, 1e6 * (1 + 1e-12)] });
    const result = compareRows(current, previous, lenient);
    assert.deepEqual(result.changes.map((c) => [c.metric, c.verdict]), [['tokens_mean', 'worse'], ['total_macs', 'same']]);
    assert.equal(result.regression, true);
  });

  test('a measured metric with no spread over seeds (shared tokenizing, per-process RSS) gets no interval and is never flagged', () => {
    const previous = rows(config(4), { tokenize_seconds: [0.5, 0.5, 0.5], peak_rss_mb: [300, 300, 300] });
    const current = rows(config(4), { tokenize_seconds: [0.9, 0.9, 0.9], peak_rss_mb: [310, 310, 310] });
    const result = compareRows(current, previous, strict);
    assert.deepEqual(result.changes.map((c) => [c.metric, c.verdict, c.interval]), [['tokenize_seconds', 'untested', null], ['peak_rss_mb', 'untested', null]]);
    assert.equal(result.regression, false);
    assert.match(formatComparison(result, { current: 'new', previous: 'old' }, strict), /\n2 cost change\(s\) without an interval \(one run on each side, or no spread over seeds\) are not shown; --json lists them\.\n/);
  });

  test('only ok rows are averaged; a configuration whose runs now fail is a regression', () => {
    const previous = rows(config(4), { accuracy: [0.9, 0.91, 0.92] });
    const current = rows(config(4), { accuracy: [0.9, 0.91, null] }, { status: ['ok', 'ok', 'diverged'] });
    const result = compareRows(current, previous, lenient);
    assert.deepEqual(result.failing, [{ config: config(4), before: { ok: 3, total: 3 }, after: { ok: 2, total: 3 } }]);
    assert.equal(result.changes[0].after.n, 2);
    assert.equal(result.regression, true);
  });

  test('a changed data hash is reported', () => {
    const result = compareRows(rows(config(4), { accuracy: [0.9] }, { dataHash: 'b' }), rows(config(4), { accuracy: [0.9] }, { dataHash: 'a' }), lenient);
    assert.deepEqual(result.dataChanged, [config(4)]);
  });
});

describe('formatComparison', () => {
  test('a Markdown table of the flagged changes, configurations shown by what tells them apart', () => {
    const previous = [...rows(config(4), { accuracy: [0.9, 0.91, 0.92] }), ...rows(config(7), { accuracy: [0.9, 0.91, 0.92] })];
    const current = [...rows(config(4), { accuracy: [0.8, 0.81, 0.82] }), ...rows(config(7), { accuracy: [0.9, 0.91, 0.92] })];
    const text = formatComparison(compareRows(current, previous, lenient), { current: 'new', previous: 'old' }, lenient);
    const table = text.split('\n').filter((line) => line.startsWith('|'));
    assert.deepEqual(table, [
      '| dataset | strategy | params | metric | kind | before ± sd (n) | after ± sd (n) | change |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      '| mnist | patch | patch_size=4 | accuracy | quality | 0.910 ± 0.010 (3) | 0.810 ± 0.010 (3) | -0.100 (-11.0%); 95% CI -0.123 … -0.077 |',
    ]);
    assert.match(text, /^# new against old\n/);
    assert.match(text, /## Worse: 1\n/);
    assert.match(text, /Every configuration shares dataset\.train_size=100 model\.dim=16\.\n/);
    assert.match(text, /\nRegression\.\n$/);
  });
  test('a budget shows as its column text: train.pretrain_budget=flops=2e9', () => {
    const withBudget = (pretrain_budget: Record<string, number>) => canonicalJson({ ...JSON.parse(config(4)), train: { pretrain_budget } });
    const previous = [...rows(withBudget({ epochs: 4 }), { accuracy: [0.9, 0.91, 0.92] }), ...rows(withBudget({ flops: 2e9 }), { accuracy: [0.9, 0.91, 0.92] })];
    const current = [...rows(withBudget({ epochs: 4 }), { accuracy: [0.9, 0.91, 0.92] }), ...rows(withBudget({ flops: 2e9 }), { accuracy: [0.8, 0.81, 0.82] })];
    const text = formatComparison(compareRows(current, previous, lenient), { current: 'new', previous: 'old' }, lenient);
    assert.match(text, /\n\| mnist \| patch \| train\.pretrain_budget=flops=2e9 \| accuracy \| quality \|/);
  });
});

describe('readResultRows', () => {
  test('reads rows/ when there is no results.arrow, and refuses rows without a config column', async () => {
    const dir = await scratchDir();
    await mkdir(join(dir, 'rows'));
    const [row] = rows(config(4), { accuracy: [0.9] });
    await writeFile(join(dir, 'rows', `${row.cell_id}-seed0.json`), JSON.stringify(row));
    assert.deepEqual(await readResultRows(dir), [row]);
    const old = await scratchDir();
    await mkdir(join(old, 'rows'));
    await writeFile(join(old, 'rows', `${row.cell_id}-seed0.json`), JSON.stringify({ ...row, config: undefined }));
    await assert.rejects(readResultRows(old), /1 of 1 rows have no 'config' column/);
    await assert.rejects(readResultRows(await scratchDir()), /holds no result rows/);
  });
});

describe("Holm's correction", () => {
  test('rejects the i-th smallest p-value while p ≤ α/(m − i), and stops at the first that is not', () => {
    // m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05 for the sorted p-values 0.01, 0.015, 0.03, 0.04.
    assert.deepEqual(holm([0.03, 0.01, 0.04, 0.015], 0.05), [false, true, false, true]);
    // The step-down stops at 0.03 > 0.025 although 0.04 ≤ 0.05.
    assert.deepEqual(holm([0.001, 0.002, 0.003], 0.05), [true, true, true]);
    assert.deepEqual(holm([0.04], 0.05), [true]);
    assert.deepEqual(holm([], 0.05), []);
  });

  test("Welch's p-value matches scipy.stats.ttest_ind(equal_var=False)", () => {
    // ttest_ind([0.81, 0.80, 0.82], [0.90, 0.91, 0.92], equal_var=False).pvalue = 0.00025521674944192465
    const p = welchP({ mean: 0.91, sd: 0.01, n: 3 }, { mean: 0.81, sd: 0.01, n: 3 }) as number;
    assert.ok(Math.abs(p - 0.00025521674944192465) < 1e-12, String(p));
    assert.equal(welchP({ mean: 1, sd: null, n: 1 }, { mean: 2, sd: null, n: 1 }), null);
    assert.equal(welchP({ mean: 1, sd: 0, n: 3 }, { mean: 2, sd: 0, n: 3 }), 0);
  });

  test('one borderline change among many tests is not flagged', () => {
    // Accuracy of 20 configurations, each off by a change whose own test has p ≈ 0.03: noise in a family of 20.
    const previous: ResultRow[] = [];
    const current: ResultRow[] = [];
    for (let c = 0; c < 20; c++) {
      const config = JSON.stringify({ dataset: { name: 'd', params: {} }, strategy: { name: 's', params: { k: c } }, model: {}, train: {} });
      [0.9, 0.91, 0.92].forEach((accuracy, seed) => {
        previous.push({ config, seed, status: 'ok', accuracy, data_hash: '', tokbench_version: '1' });
        current.push({ config, seed, status: 'ok', accuracy: accuracy - 0.025, data_hash: '', tokbench_version: '1' });
      });
    }
    const comparison = compareRows(current, previous, lenient);
    const accuracy = comparison.changes.filter((c) => c.metric === 'accuracy');
    assert.equal(accuracy.length, 20);
    assert.ok(accuracy.every((c) => (c.p as number) > 0.01 && (c.p as number) < 0.05), accuracy.map((c) => c.p).join(','));
    assert.ok(accuracy.every((c) => c.verdict === 'same'));
    assert.equal(comparison.regression, false);
  });
});
