// The column tables of results/README.md, rendered from the declarations so docs and code cannot drift.
import { MODALITIES } from '../../datasets/types.js';
import { IDENTITY_COLUMNS, STATUS_COLUMNS } from './columns.js';
import type { ColumnSpec } from './columns.js';
import { METRIC_NAMES, METRICS } from './metrics.js';

const better = (direction: ColumnSpec['direction']) => (direction === 'none' ? '–' : direction);

function table(columns: readonly ColumnSpec[]): string {
  const lines = ['| column | type | unit | better | provenance | meaning |', '| --- | --- | --- | --- | --- | --- |'];
  for (const c of columns) lines.push(`| \`${c.name}\` | ${c.type} | ${c.unit || '–'} | ${better(c.direction)} | ${c.provenance} | ${c.description} |`);
  return lines.join('\n');
}

/** Metrics add where they apply, how repeats combine and where tokbench shows them. */
function metricTable(): string {
  const lines = [
    '| column | type | unit | better | provenance | modalities | over repeats | shown in | meaning |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of METRIC_NAMES) {
    const m = METRICS[name];
    const modalities = m.modalities.length === MODALITIES.length ? 'all' : m.modalities.join(', ');
    const shown = [m.summary && `summary (${m.summary.reference ? `with ratio to \`${m.summary.reference}\`` : m.summary.header})`, m.progress && `progress (\`${m.progress.label}=\`)`]
      .filter((s) => s !== undefined)
      .join(', ');
    const aggregate = m.aggregate === 'mean' ? 'mean ± sd' : '–';
    lines.push(`| \`${name}\` | ${m.type} | ${m.unit || '–'} | ${better(m.direction)} | ${m.provenance} | ${modalities} | ${aggregate} | ${shown || '–'} | ${m.description} |`);
  }
  return lines.join('\n');
}

export function columnDocs(): string {
  return ['### Identity and configuration', table(IDENTITY_COLUMNS), '', '### Status and provenance', table(STATUS_COLUMNS), '', '### Metrics', metricTable()].join('\n');
}
