// `tokbench compare`: two results folders' rows joined on their readable configuration (`config`, never
// `cell_id`), each declared metric's mean over seeds compared by Welch's t-test, the whole family of tests
// held to one error rate by Holm's step-down correction (a nightly runs dozens of tests: uncorrected, one
// of them would flag noise most nights).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { TokbenchError } from '../errors.js';
import { canonicalJson } from '../grid/canonical-json.js';
import { readTrainBlock } from '../grid/train-block.js';
import type { ResultRow, RowValue } from './columns.js';
import { engineering } from './format.js';
import { METRIC_NAMES, METRICS, type MetricName } from './metrics.js';
import { paramAxisValue } from './param-columns.js';
import { readRowStore } from './row-store.js';

/** Metrics compared: averaged over seeds, with a better direction. */
export const COMPARED: readonly MetricName[] = METRIC_NAMES.filter((name) => METRICS[name].aggregate === 'mean' && METRICS[name].direction !== 'none');

/** Two-sided confidence of the interval of a difference shown beside each change. */
export const CONFIDENCE = 0.95;

/** Chance, over the whole comparison, of flagging any change that is only seed noise (Holm's family-wise rate). */
export const ALPHA = 0.05;

/**
 * A change smaller than this share of the larger mean is no change: deterministic metrics (token counts,
 * MACs) have sd 0, and a difference in the last bits of a float must not read as an interval excluding 0.
 */
export const RELATIVE_TOLERANCE = 1e-9;

/** `quality`: computed from outputs, a regression fails the comparison; `cost`: measured or analytic, only with --strict-cost. */
export type MetricKind = 'quality' | 'cost';

export const kindOf = (name: MetricName): MetricKind => (METRICS[name].provenance === 'computed' ? 'quality' : 'cost');

/** A metric over the `ok` rows of one configuration in one folder. */
export interface SideStats {
  readonly mean: number;
  /** Sample sd; null with a single row. */
  readonly sd: number | null;
  readonly n: number;
}

/**
 * `worse`/`better`: Holm's correction rejects "no change" for it, on that side of the declared direction;
 * `same`: it does not (or the change is within RELATIVE_TOLERANCE); `untested`: no test exists (one row on
 * each side, or a measured metric with sd 0 on both), so the change is shown but never flagged.
 */
export type Verdict = 'worse' | 'better' | 'same' | 'untested';

export interface MetricChange {
  /** The configuration (canonical JSON of `config`): the join key. */
  readonly config: string;
  readonly metric: MetricName;
  readonly kind: MetricKind;
  readonly before: SideStats;
  readonly after: SideStats;
  /** after − before. */
  readonly change: number;
  /** 95% interval of after − before; null when none exists (see Verdict). */
  readonly interval: readonly [number, number] | null;
  /** Two-sided p-value of Welch's test, before Holm's correction; null when untested. */
  readonly p: number | null;
  readonly verdict: Verdict;
}

/** How many of a configuration's rows finished `ok`. */
export interface RunCount {
  readonly ok: number;
  readonly total: number;
}

export interface Comparison {
  /** Configurations present in both folders. */
  readonly matched: number;
  /** Only in the current folder (new or renamed parameters), and only in the previous one. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Every metric of every matched configuration with values on both sides. */
  readonly changes: readonly MetricChange[];
  /** Configurations whose share of ok rows fell (a run that now fails or diverges): a quality regression. */
  readonly failing: readonly { readonly config: string; readonly before: RunCount; readonly after: RunCount }[];
  /** Matched configurations whose data hash differs: the data changed, not only the code. */
  readonly dataChanged: readonly string[];
  /** tokbench versions of the rows of each side. */
  readonly versions: { readonly before: readonly string[]; readonly after: readonly string[] };
  /** A quality metric got worse, or runs fail that did not (and, with strictCost, a cost metric got worse). */
  readonly regression: boolean;
}

export interface CompareOptions {
  /** Measured and analytic costs (times, memory, MACs) that got worse count as a regression too. */
  readonly strictCost: boolean;
  /** Family-wise error rate of the flags (default ALPHA). */
  readonly alpha?: number;
}

function stats(values: readonly number[]): SideStats {
  return { mean: mean(values as number[]), sd: values.length > 1 ? sampleStandardDeviation(values as number[]) : null, n: values.length };
}

/** Welch's standard error of after − before and its degrees of freedom; null with a single row on both sides. */
function welch(before: SideStats, after: SideStats): { se: number; df: number } | null {
  if (before.sd === null && after.sd === null) return null;
  const sdBefore = before.sd ?? (after.sd as number);
  const sdAfter = after.sd ?? (before.sd as number);
  const vb = (sdBefore * sdBefore) / before.n;
  const va = (sdAfter * sdAfter) / after.n;
  const df = before.sd === null ? after.n - 1 : after.sd === null ? before.n - 1 : (vb + va) ** 2 / (vb ** 2 / (before.n - 1) + va ** 2 / (after.n - 1));
  return { se: Math.sqrt(vb + va), df };
}

/** Two-sided p-value of Welch's t-test of after − before; a change with no spread at all is certain (0). */
export function welchP(before: SideStats, after: SideStats): number | null {
  const test = welch(before, after);
  if (test === null) return null;
  const change = after.mean - before.mean;
  if (test.se === 0) return change === 0 ? 1 : 0;
  return 2 * (1 - tCdf(Math.abs(change) / test.se, test.df));
}

/**
 * Holm's step-down procedure: which of the p-values are rejected at family-wise rate `alpha` — the i-th
 * smallest (from 0) while p ≤ alpha / (m − i), stopping at the first that is not.
 */
export function holm(ps: readonly number[], alpha: number): boolean[] {
  const order = Array.from(ps.keys()).sort((a, b) => ps[a] - ps[b] || a - b);
  const rejected = new Array<boolean>(ps.length).fill(false);
  for (let i = 0; i < order.length; i++) {
    if (ps[order[i]] > alpha / (order.length - i)) break;
    rejected[order[i]] = true;
  }
  return rejected;
}

/**
 * Welch's interval of after − before: se² = s₁²/n₁ + s₂²/n₂ with Welch–Satterthwaite degrees of freedom.
 * A side with a single row borrows the other side's sd (df = the other's n − 1); with a single row on both
 * sides there is no interval (null). With both sds 0 the interval is the change itself.
 */
export function welchInterval(before: SideStats, after: SideStats, confidence = CONFIDENCE): readonly [number, number] | null {
  if (before.sd === null && after.sd === null) return null;
  const sdBefore = before.sd ?? (after.sd as number);
  const sdAfter = after.sd ?? (before.sd as number);
  const vb = (sdBefore * sdBefore) / before.n;
  const va = (sdAfter * sdAfter) / after.n;
  const change = after.mean - before.mean;
  const se = Math.sqrt(vb + va);
  if (se === 0) return [change, change];
  const df = before.sd === null ? after.n - 1 : after.sd === null ? before.n - 1 : (vb + va) ** 2 / (vb ** 2 / (before.n - 1) + va ** 2 / (after.n - 1));
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return [change - half, change + half];
}

/** Whether a change is within float noise of none. */
const negligible = (before: SideStats, after: SideStats) => Math.abs(after.mean - before.mean) <= RELATIVE_TOLERANCE * Math.max(Math.abs(before.mean), Math.abs(after.mean));

function verdictOf(name: MetricName, change: number, p: number | null, rejected: boolean): Verdict {
  if (p === null) return 'untested';
  if (!rejected) return 'same';
  return change > 0 === (METRICS[name].direction === 'higher') ? 'better' : 'worse';
}

/**
 * A row's configuration as the join key. Rows written before training budgets name an epoch budget by its
 * shorthand (`pretrain_epochs: 1`), which a config now reads as `pretrain_budget: {epochs: 1}`: rewritten the
 * same way, they join the rows of the same sweep run today (the defaults, 2 and 3 epochs, are unchanged).
 */
function keyOf(row: ResultRow): string {
  const config = JSON.parse(String(row.config)) as { readonly train?: Record<string, unknown> };
  // The row's config was valid when it was written, so the shorthands' range problems cannot arise.
  return canonicalJson(config.train === undefined ? config : { ...config, train: readTrainBlock(config.train, ['train']).train });
}

function group(rows: readonly ResultRow[]): Map<string, ResultRow[]> {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

const okValues = (rows: readonly ResultRow[], name: string) =>
  rows.filter((r) => r.status === 'ok').map((r) => r[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

const versionsOf = (rows: readonly ResultRow[]) => [...new Set(rows.map((r) => String(r.tokbench_version)))].sort();

/** `current` against `previous`: both folders' rows, each with a `config` column. */
export function compareRows(current: readonly ResultRow[], previous: readonly ResultRow[], options: CompareOptions): Comparison {
  const after = group(current);
  const before = group(previous);
  const tested: Omit<MetricChange, 'verdict'>[] = [];
  const failing: Comparison['failing'][number][] = [];
  const dataChanged: string[] = [];
  for (const [config, newRows] of after) {
    const oldRows = before.get(config);
    if (oldRows === undefined) continue;
    const count = (rows: readonly ResultRow[]): RunCount => ({ ok: rows.filter((r) => r.status === 'ok').length, total: rows.length });
    const [was, is] = [count(oldRows), count(newRows)];
    if (is.ok * was.total < was.ok * is.total) failing.push({ config, before: was, after: is });
    const hashes = (rows: readonly ResultRow[]) => canonicalJson([...new Set(rows.map((r) => r.data_hash ?? ''))].sort());
    if (hashes(oldRows) !== hashes(newRows)) dataChanged.push(config);
    for (const metric of COMPARED) {
      const [b, a] = [okValues(oldRows, metric), okValues(newRows, metric)];
      if (b.length === 0 || a.length === 0) continue;
      const [sb, sa] = [stats(b), stats(a)];
      let interval = welchInterval(sb, sa);
      // A measured value repeated over a cell's seeds (tokenizing is shared by them, peak RSS is per process) has
      // sd 0 without being exact: no test, rather than a certain one.
      if (METRICS[metric].provenance === 'measured' && interval !== null && interval[0] === interval[1]) interval = null;
      const p = interval === null ? null : negligible(sb, sa) ? 1 : welchP(sb, sa);
      tested.push({ config, metric, kind: kindOf(metric), before: sb, after: sa, change: sa.mean - sb.mean, interval, p });
    }
  }
  const withTest = tested.filter((c) => c.p !== null);
  const rejected = new Set(holm(withTest.map((c) => c.p as number), options.alpha ?? ALPHA).flatMap((r, i) => (r ? [withTest[i]] : [])));
  const changes: MetricChange[] = tested.map((c) => ({ ...c, verdict: verdictOf(c.metric, c.change, c.p, rejected.has(c)) }));
  const regression = failing.length > 0 || changes.some((c) => c.verdict === 'worse' && (c.kind === 'quality' || options.strictCost));
  return {
    matched: [...after.keys()].filter((k) => before.has(k)).length,
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    changes,
    failing,
    dataChanged,
    versions: { before: versionsOf(previous), after: versionsOf(current) },
    regression,
  };
}

/** An Arrow value as a row value: lists as arrays, 64-bit integers as numbers. */
function plain(value: unknown): RowValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && Symbol.iterator in value) return Array.from(value as Iterable<number>, Number);
  return value as RowValue;
}

/**
 * A folder's rows: its results.arrow (the finished table, without rows of runs no longer in the sweep), or,
 * when it has none (a sweep still running or killed), every row in rows/.
 */
export async function readResultRows(directory: string): Promise<ResultRow[]> {
  let rows: ResultRow[];
  const bytes = await readFile(join(directory, 'results.arrow')).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (bytes !== undefined) {
    const table = tableFromIPC(bytes);
    const names = table.schema.fields.map((f) => f.name);
    rows = Array.from({ length: table.numRows }, (_, i) => {
      const record = table.get(i);
      return Object.fromEntries(names.map((name) => [name, plain(record?.[name])]));
    });
  } else {
    rows = [...(await readRowStore(directory)).runs.values()].map((run) => run.row);
  }
  if (rows.length === 0) throw new TokbenchError('input', `'${directory}' holds no result rows (neither results.arrow nor rows/*.json)`, ['dir']);
  const unkeyed = rows.filter((r) => typeof r.config !== 'string').length;
  if (unkeyed > 0) {
    throw new TokbenchError('input', `'${directory}': ${unkeyed} of ${rows.length} rows have no 'config' column (written by tokbench ${versionsOf(rows).join(', ')}, before rows recorded it), so they cannot be joined by configuration`, ['dir']);
  }
  return rows;
}

// Text: the configurations shown by what tells them apart.

/** A configuration as flat `key → value`: `dataset`, `strategy`, strategy params bare, others as `dataset.x`, `model.x`, `train.x`. */
function flatten(config: string): Map<string, string> {
  const parsed = JSON.parse(config) as { dataset: { name: string; params: Record<string, unknown> }; strategy: { name: string; params: Record<string, unknown> }; model: Record<string, unknown>; train: Record<string, unknown> };
  const entries: [string, unknown][] = [
    ['dataset', parsed.dataset.name],
    ['strategy', parsed.strategy.name],
    ...Object.entries(parsed.strategy.params),
    ...Object.entries(parsed.dataset.params).map(([k, v]): [string, unknown] => [`dataset.${k}`, v]),
    // Model and train params as their result columns show them (`train.pretrain_budget=flops=2e9`).
    ...Object.entries(parsed.model).map(([k, v]): [string, unknown] => [`model.${k}`, paramAxisValue(`model.${k}`, v)]),
    ...Object.entries(parsed.train).map(([k, v]): [string, unknown] => [`train.${k}`, paramAxisValue(`train.${k}`, v)]),
  ];
  return new Map(entries.map(([k, v]) => [k, typeof v === 'string' ? v : canonicalJson(v)]));
}

type Label = (config: string) => [string, string, string];

/**
 * How configurations are shown: dataset, strategy, and the explicit params not shared by all of them
 * (`patch_size=7 dataset.n=600`); a param another configuration of the same dataset and strategy sets, this
 * one leaves at its default (`patch_size=default`). The params every configuration shares are returned apart.
 */
function labeller(configs: readonly string[]): { label: Label; common: Map<string, string> } {
  const flat = new Map(configs.map((c) => [c, flatten(c)]));
  const all = [...flat.values()];
  const keys = new Set(all.flatMap((f) => [...f.keys()]));
  const varying = new Set<string>();
  const common = new Map<string, string>();
  for (const key of keys) {
    if (key === 'dataset' || key === 'strategy') continue;
    const values = new Set(all.map((f) => f.get(key)));
    if (values.size === 1 && !values.has(undefined)) common.set(key, all[0].get(key) as string);
    else varying.add(key);
  }
  const pair = (f: Map<string, string>) => `${f.get('dataset')}/${f.get('strategy')}`;
  const pairKeys = new Map<string, Set<string>>();
  for (const f of all) pairKeys.set(pair(f), new Set([...(pairKeys.get(pair(f)) ?? []), ...f.keys()]));
  const label: Label = (config) => {
    const f = flat.get(config) ?? flatten(config);
    // Strategy params (bare names) first, then dataset.*, model.*, train.*.
    const prefixed = (k: string) => Number(k.includes('.'));
    const shown = [...(pairKeys.get(pair(f)) ?? f.keys())].filter((k) => varying.has(k)).sort((a, b) => prefixed(a) - prefixed(b));
    const params = shown.map((k) => `${k}=${f.get(k) ?? 'default'}`).join(' ');
    return [f.get('dataset') ?? '', f.get('strategy') ?? '', params || '–'];
  };
  return { label, common };
}

function number(name: MetricName, value: number): string {
  const format = METRICS[name].summary?.format;
  if (format !== undefined) return format(value);
  return Math.abs(value) >= 1e4 ? engineering(value) : Number(value.toPrecision(4)).toString();
}

function side(name: MetricName, s: SideStats): string {
  return `${number(name, s.mean)}${s.sd === null ? '' : ` ± ${number(name, s.sd)}`} (${s.n})`;
}

function changeText(c: MetricChange): string {
  const sign = c.change > 0 ? '+' : c.change < 0 ? '-' : '';
  const relative = c.before.mean !== 0 ? ` (${sign}${Math.abs((100 * c.change) / c.before.mean).toFixed(1)}%)` : '';
  const interval = c.interval === null ? 'no interval' : `95% CI ${number(c.metric, c.interval[0])} … ${number(c.metric, c.interval[1])}`;
  return `${sign}${number(c.metric, Math.abs(c.change))}${relative}; ${interval}`;
}

const escape = (text: string) => text.replace(/\|/g, '\\|');

function changeTable(changes: readonly MetricChange[], label: Label): string[] {
  const header = ['dataset', 'strategy', 'params', 'metric', 'kind', 'before ± sd (n)', 'after ± sd (n)', 'change'];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...changes.map((c) => `| ${[...label(c.config), c.metric, c.kind, side(c.metric, c.before), side(c.metric, c.after), changeText(c)].map(escape).join(' | ')} |`),
  ];
}

const LISTED = 20;

function configList(configs: readonly string[], label: Label): string[] {
  const lines = configs.slice(0, LISTED).map((c) => `- ${label(c).join(' · ')}`);
  if (configs.length > LISTED) lines.push(`- … and ${configs.length - LISTED} more`);
  return lines;
}

/** The comparison as Markdown: regressions first, then improvements and what could not be tested or joined. */
export function formatComparison(comparison: Comparison, labels: { readonly current: string; readonly previous: string }, options: CompareOptions): string {
  const { changes, failing, added, removed } = comparison;
  const { label, common } = labeller([...new Set([...changes.map((c) => c.config), ...failing.map((f) => f.config), ...added, ...removed])]);
  const flagged = changes.filter((c) => c.verdict === 'worse');
  const better = changes.filter((c) => c.verdict === 'better');
  const untested = changes.filter((c) => c.verdict === 'untested' && c.kind === 'quality');
  const untestedCosts = changes.filter((c) => c.verdict === 'untested' && c.kind === 'cost').length;
  const lines = [
    `# ${labels.current} against ${labels.previous}`,
    '',
    `${comparison.matched} configuration(s) in both (tokbench ${comparison.versions.before.join(', ')} → ${comparison.versions.after.join(', ')}), joined on \`config\`; ` +
      `each change is tested with Welch's t-test over the seeds' ok rows, and a change is flagged when Holm's correction over all ${changes.filter((c) => c.p !== null).length} tests ` +
      `rejects "no change" at a family-wise rate of ${options.alpha ?? ALPHA}; its ${Math.round(CONFIDENCE * 100)}% interval is shown beside it. ` +
      `Quality metrics (computed) that get worse are a regression; costs (measured, analytic) ${options.strictCost ? 'too, with --strict-cost' : 'only with --strict-cost'}.`,
    '',
  ];
  lines.push(`## Worse: ${flagged.length}`, '');
  if (flagged.length > 0) lines.push(...changeTable(flagged, label), '');
  if (failing.length > 0) {
    lines.push(`## Runs that no longer finish ok: ${failing.length}`, '');
    for (const f of failing) lines.push(`- ${label(f.config).join(' · ')}: ok ${f.before.ok}/${f.before.total} → ${f.after.ok}/${f.after.total}`);
    lines.push('');
  }
  if (better.length > 0) lines.push(`## Better: ${better.length}`, '', ...changeTable(better, label), '');
  if (untested.length > 0) lines.push(`## Changed with one run on each side (no interval, never flagged): ${untested.length}`, '', ...changeTable(untested, label), '');
  if (untestedCosts > 0) lines.push(`${untestedCosts} cost change(s) without an interval (one run on each side, or no spread over seeds) are not shown; --json lists them.`, '');
  if (comparison.dataChanged.length > 0) lines.push(`## Data changed (another data hash): ${comparison.dataChanged.length}`, '', ...configList(comparison.dataChanged, label), '');
  if (added.length > 0) lines.push(`## Only in ${labels.current}: ${added.length}`, '', ...configList(added, label), '');
  if (removed.length > 0) lines.push(`## Only in ${labels.previous}: ${removed.length}`, '', ...configList(removed, label), '');
  const listed = flagged.length + failing.length + better.length + untested.length + comparison.dataChanged.length + added.length + removed.length > 0;
  if (listed && common.size > 0) lines.push(`Every configuration shares ${[...common].map(([k, v]) => `${k}=${v}`).join(' ')}.`, '');
  lines.push(comparison.regression ? 'Regression.' : 'No regression.');
  return `${lines.join('\n')}\n`;
}
