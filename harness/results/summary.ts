// summary.md: one line per grid cell (grouped by dataset, then strategy), mean ± sd over its seeds.
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { ResultRow } from './columns.js';
import { axisColumnName } from './table.js';
import { engineering } from './format.js';

interface SummaryColumn {
  readonly header: string;
  /** Metric columns tried in order; the first one a row has decides (reconstruction error differs by modality). */
  readonly sources: readonly string[];
  readonly format: (value: number) => string;
}

const fixed = (digits: number) => (v: number) => v.toFixed(digits);

const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { header: 'accuracy', sources: ['accuracy'], format: fixed(3) },
  { header: 'macro-F1', sources: ['macro_f1'], format: fixed(3) },
  { header: 'baseline acc.', sources: ['baseline_accuracy'], format: fixed(3) },
  { header: 'recon. error', sources: ['reconstruction_mse', 'reconstruction_base_error'], format: (v) => v.toPrecision(3) },
  { header: 'masked acc.', sources: ['masked_token_accuracy'], format: fixed(3) },
  { header: 'tokens', sources: ['tokens_mean'], format: fixed(1) },
  { header: 'MACs/sample', sources: ['total_macs'], format: engineering },
  { header: 'train s', sources: ['train_seconds'], format: fixed(1) },
];

function cellText(rows: readonly ResultRow[], column: SummaryColumn): string {
  const source = column.sources.find((s) => rows.some((r) => typeof r[s] === 'number'));
  if (source === undefined) return '–';
  const values = rows.map((r) => r[source]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return '–';
  const m = column.format(mean(values));
  return values.length > 1 ? `${m} ± ${column.format(sampleStandardDeviation(values))}` : m;
}

/** `patch_size=4, lr=0.002`: the row's values of the sweep's axes (those its strategy has). */
export function axesText(row: ResultRow, axes: readonly string[]): string {
  const parts = axes.flatMap((axis) => {
    const value = row[axisColumnName(axis)];
    return value === null || value === undefined ? [] : [`${axis.slice(axis.indexOf('.') + 1)}=${value}`];
  });
  return parts.length > 0 ? parts.join(', ') : '–';
}

/** Markdown table; rows that are not `ok` are counted, not averaged. */
export function summarize(sweepName: string, rows: readonly ResultRow[], axes: readonly string[]): string {
  const cells = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = String(row.cell_id);
    cells.set(key, [...(cells.get(key) ?? []), row]);
  }
  const groups = [...cells.values()].sort((a, b) =>
    `${a[0].dataset}\u0000${a[0].strategy}`.localeCompare(`${b[0].dataset}\u0000${b[0].strategy}`));
  const header = ['dataset', 'strategy', 'axes', 'seeds ok', ...SUMMARY_COLUMNS.map((c) => c.header)];
  const lines = [
    `# ${sweepName}`,
    '',
    'Mean ± sample sd over seeds of the rows with status `ok`. Reconstruction error is MSE in the canonical input space for images and expression, and the per-base error rate for DNA. MACs are analytic (one forward pass).',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
  ];
  for (const group of groups) {
    const ok = group.filter((r) => r.status === 'ok');
    const first = group[0];
    lines.push(`| ${[first.dataset, first.strategy, axesText(first, axes), `${ok.length}/${group.length}`, ...SUMMARY_COLUMNS.map((c) => cellText(ok, c))].join(' | ')} |`);
  }
  const bad = rows.filter((r) => r.status !== 'ok');
  if (bad.length > 0) {
    lines.push('', `## ${bad.length} row(s) not ok`, '');
    for (const r of bad) lines.push(`- ${r.dataset} / ${r.strategy} cell ${r.cell_id} seed ${r.seed}: ${r.status}: ${r.error}`);
  }
  return `${lines.join('\n')}\n`;
}
