// summary.md: one line per configuration (grouped by dataset, then strategy), mean ± sd over its repeats —
// the rows that differ only in the run seed or the dataset's split seed.
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { MODALITIES, SPLIT_SEED_PARAM } from '../../datasets/types.js';
import { canonicalJson } from '../grid/canonical-json.js';
import type { ResultRow } from './columns.js';
import { METRIC_NAMES, METRICS } from './metrics.js';
import type { MetricName } from './metrics.js';
import { axisColumnName } from './table.js';

const SHOWN = METRIC_NAMES.filter((name) => METRICS[name].summary !== undefined && METRICS[name].aggregate === 'mean');

function numbers(rows: readonly ResultRow[], name: string): number[] {
  return rows.map((r) => r[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** `mean ± sd` (sample sd, when there are several values), then `(0.47× ref)` for a metric with a reference. */
function cellText(rows: readonly ResultRow[], name: MetricName): string {
  const { summary } = METRICS[name];
  if (summary === undefined) return '–';
  const values = numbers(rows, name);
  if (values.length === 0) return '–';
  const centre = mean(values);
  let text = summary.format(centre);
  if (values.length > 1) {
    // Equal values give an sd of rounding noise (1e-20); shown as the 0 it is.
    const sd = sampleStandardDeviation(values);
    text += ` ± ${summary.format(sd <= 1e-9 * Math.abs(centre) ? 0 : sd)}`;
  }
  if (summary.reference !== undefined) {
    const reference = summary.reference;
    const ratios = rows.flatMap((r) => {
      const value = r[name];
      const base = r[reference];
      return typeof value === 'number' && Number.isFinite(value) && typeof base === 'number' && base > 0 ? [value / base] : [];
    });
    if (ratios.length > 0) text += ` (${mean(ratios).toFixed(2)}×)`;
  }
  return text;
}

/** Text safe inside a Markdown table cell: pipes escaped, line breaks as spaces. */
const tableCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** `patch_size=4, lr=0.002`: the row's values of the sweep's axes (those its strategy has). */
export function axesText(row: ResultRow, axes: readonly string[]): string {
  const parts = axes.flatMap((axis) => {
    const value = row[axisColumnName(axis)];
    return value === null || value === undefined ? [] : [`${axis.slice(axis.indexOf('.') + 1)}=${value}`];
  });
  return parts.length > 0 ? parts.join(', ') : '–';
}

/** The row's configuration without its dataset's split seed: rows with equal keys are repeats. */
export function repeatKey(row: ResultRow): string {
  const params = JSON.parse(String(row.params_json)) as { dataset: { params: Record<string, unknown> } };
  delete params.dataset.params[SPLIT_SEED_PARAM];
  return canonicalJson(params);
}

/** Markdown table; rows that are not `ok` are counted, not averaged, and a configuration with any is flagged. */
export function summarize(sweepName: string, rows: readonly ResultRow[], axes: readonly string[]): string {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = repeatKey(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const shownAxes = axes.filter((axis) => axis !== `dataset.${SPLIT_SEED_PARAM}`);
  const sorted = [...groups.values()].sort((a, b) => String(a[0].dataset).localeCompare(String(b[0].dataset)) || String(a[0].strategy).localeCompare(String(b[0].strategy)));
  // A modality's own metric (bases/token) gets a column only when the sweep has rows of that modality.
  const modalities = new Set(rows.map((r) => r.modality));
  const shown = SHOWN.filter((name) => METRICS[name].modalities.length === MODALITIES.length || METRICS[name].modalities.some((m) => modalities.has(m)));
  const header = ['dataset', 'strategy', 'axes', 'runs ok', ...shown.map((name) => METRICS[name].summary?.header ?? name)];
  const lines = [
    `# ${sweepName}`,
    '',
    'Mean ± sample sd over the repeats of each configuration (its seeds and split seeds) whose status is `ok`; ⚠ marks a configuration where some repeats failed, so its means rest on the survivors only. ' +
      'Reconstruction errors are over every element of every test sample (MSE in the canonical input space for images and expression, the fraction of wrong bases for DNA); ' +
      "the ratio after recon. error is to the fill reference (the visible tokens kept, the training mean or most frequent base put where only masked tokens were): below 1.00× the model's predictions beat the mean. " +
      'Masked recon. is over what only masked tokens carried, as a ratio to the training mean there, comparable within one strategy only; roundtrip is the tokenizer alone, as a ratio to predicting the training mean everywhere. ' +
      'MACs are analytic (one forward pass); times are wall-clock and depend on the machine and on how many cells ran at once.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
  ];
  for (const group of sorted) {
    const ok = group.filter((r) => r.status === 'ok');
    const first = group[0];
    const runs = `${ok.length}/${group.length}${ok.length < group.length ? ' ⚠' : ''}`;
    lines.push(`| ${[first.dataset, first.strategy, axesText(first, shownAxes), runs, ...shown.map((name) => cellText(ok, name))].map(String).map(tableCell).join(' | ')} |`);
  }
  const bad = rows.filter((r) => r.status !== 'ok');
  if (bad.length > 0) {
    lines.push('', `## ${bad.length} row(s) not ok`, '');
    for (const r of bad) lines.push(`- ${r.dataset} / ${r.strategy} cell ${r.cell_id} seed ${r.seed}: ${r.status}: ${String(r.error).replace(/\s*\n\s*/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
