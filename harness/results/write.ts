// Writes a sweep's outputs: results.arrow (primary), then results.csv and summary.md derived from it.
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { ColumnSpec, ResultRow } from './columns.js';
import { tableToCsv } from './csv.js';
import { writeFileAtomic } from './files.js';
import { summarize } from './summary.js';
import type { TableMetadata } from './table.js';
import { axisColumn, buildTable } from './table.js';

export interface WrittenResults {
  readonly arrow: string;
  readonly csv: string;
  readonly summary: string;
  readonly summaryText: string;
}

/** Axis columns of a sweep: `dataset.*` and `strategy.*` axes (model and train params are fixed columns). */
export function axisColumns(cells: readonly { readonly axes: Readonly<Record<string, unknown>> }[]): ColumnSpec[] {
  const names = [...new Set(cells.flatMap((c) => Object.keys(c.axes)))].filter((n) => n.startsWith('dataset.') || n.startsWith('strategy.')).sort();
  return names.map((name) => axisColumn(name, cells.map((c) => c.axes[name])));
}

export async function writeResults(
  directory: string,
  sweepName: string,
  rows: readonly ResultRow[],
  axes: readonly ColumnSpec[],
  metadata: Omit<TableMetadata, 'backend'>,
): Promise<WrittenResults> {
  const backends = [...new Set(rows.map((r) => String(r.backend)))].sort().join(',');
  const table = buildTable(rows, axes, { ...metadata, backend: backends });
  const paths = { arrow: join(directory, 'results.arrow'), csv: join(directory, 'results.csv'), summary: join(directory, 'summary.md') };
  const summaryText = summarize(sweepName, rows, axes);
  await writeFileAtomic(paths.arrow, tableToIPC(table, 'file'));
  await writeFileAtomic(paths.csv, tableToCsv(table));
  await writeFileAtomic(paths.summary, summaryText);
  return { ...paths, summaryText };
}
