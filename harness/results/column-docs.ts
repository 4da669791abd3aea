// The column tables of results/README.md, rendered from the declarations so docs and code cannot drift.
import { IDENTITY_COLUMNS, METRIC_COLUMNS, STATUS_COLUMNS } from './columns.js';
import type { ColumnSpec } from './columns.js';

function table(columns: readonly ColumnSpec[]): string {
  const lines = ['| column | type | unit | better | provenance | meaning |', '| --- | --- | --- | --- | --- | --- |'];
  for (const c of columns) lines.push(`| \`${c.name}\` | ${c.type} | ${c.unit || '–'} | ${c.direction === 'none' ? '–' : c.direction} | ${c.provenance} | ${c.description} |`);
  return lines.join('\n');
}

export function columnDocs(): string {
  return ['### Identity and configuration', table(IDENTITY_COLUMNS), '', '### Status and provenance', table(STATUS_COLUMNS), '', '### Metrics', table(METRIC_COLUMNS)].join('\n');
}
