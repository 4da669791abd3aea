// Writes a sweep's outputs: results.arrow (primary), then results.csv and summary.md derived from it.
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { ColumnSpec, ResultRow } from './columns.js';
import { tableToCsv } from './csv.js';
import { writeFileAtomic } from './files.js';
import { summarize } from './summary.js';
import type { TableMetadata } from './table.js';
import { axisColumn, axisColumnName, buildTable } from './table.js';

/** One finished row as JSON in `DIR/rows/`, written as soon as it exists, so a sweep that dies keeps what finished. */
export function writeRow(directory: string, row: ResultRow): Promise<void> {
  return writeFileAtomic(join(directory, 'rows', `${row.cell_id}-seed${row.seed}.json`), `${JSON.stringify(row)}\n`);
}

export interface WrittenResults {
  readonly arrow: string;
  readonly csv: string;
  readonly summary: string;
  readonly summaryText: string;
}

type WithAxes = { readonly axes: Readonly<Record<string, unknown>> };

/** Every axis of a sweep, sorted: `dataset.*`, `model.*`, `strategy.*`, `train.*`. */
export function sweepAxes(cells: readonly WithAxes[]): string[] {
  return [...new Set(cells.flatMap((c) => Object.keys(c.axes)))].sort();
}

/** The columns a sweep adds to the fixed ones: its `dataset.*` and `strategy.*` axes. */
function axisColumns(cells: readonly WithAxes[]): ColumnSpec[] {
  return sweepAxes(cells).filter((name) => axisColumnName(name) === name).map((name) => axisColumn(name, cells.map((c) => c.axes[name])));
}

export async function writeResults(
  directory: string,
  sweepName: string,
  rows: readonly ResultRow[],
  cells: readonly WithAxes[],
  metadata: Omit<TableMetadata, 'backend'>,
): Promise<WrittenResults> {
  const backends = [...new Set(rows.map((r) => String(r.backend)))].sort().join(',');
  const table = buildTable(rows, axisColumns(cells), { ...metadata, backend: backends });
  const paths = { arrow: join(directory, 'results.arrow'), csv: join(directory, 'results.csv'), summary: join(directory, 'summary.md') };
  const summaryText = summarize(sweepName, rows, sweepAxes(cells));
  await writeFileAtomic(paths.arrow, tableToIPC(table, 'file'));
  await writeFileAtomic(paths.csv, tableToCsv(table));
  await writeFileAtomic(paths.summary, summaryText);
  return { ...paths, summaryText };
}
