// Writes a sweep's outputs: results.arrow (primary), then results.csv and summary.md derived from it,
// and predictions.arrow with every row's per-sample test predictions.
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { ColumnSpec, RowOutcome } from './columns.js';
import { tableToCsv } from './csv.js';
import { writeFileAtomic } from './files.js';
import { buildPredictionsTable } from './predictions.js';
import { summarize } from './summary.js';
import type { TableMetadata } from './provenance.js';
import { axisColumn, axisColumnName, buildTable } from './table.js';

const rowFile = (directory: string, outcome: RowOutcome, suffix: string) => join(directory, 'rows', `${outcome.row.cell_id}-seed${outcome.row.seed}${suffix}`);

/**
 * One finished row as JSON in `DIR/rows/`, and its predictions beside it as Arrow, written as soon as they
 * exist, so a sweep that dies keeps what finished. Probabilities are kept there whenever the run made them.
 */
export async function writeRow(directory: string, outcome: RowOutcome, metadata: TableMetadata): Promise<void> {
  await writeFileAtomic(rowFile(directory, outcome, '.json'), `${JSON.stringify(outcome.row)}\n`);
  if (outcome.predictions !== null) {
    const table = buildPredictionsTable([outcome.predictions], outcome.predictions.probabilities !== null, metadata);
    await writeFileAtomic(rowFile(directory, outcome, '.predictions.arrow'), tableToIPC(table, 'file'));
  }
}

export interface WrittenResults {
  readonly arrow: string;
  readonly csv: string;
  readonly summary: string;
  readonly predictions: string;
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
  outcomes: readonly RowOutcome[],
  cells: readonly WithAxes[],
  metadata: Omit<TableMetadata, 'backend'>,
  withProbabilities: boolean,
): Promise<WrittenResults> {
  const rows = outcomes.map((o) => o.row);
  const backends = [...new Set(rows.map((r) => String(r.backend)))].sort().join(',');
  const provenance = { ...metadata, backend: backends };
  const table = buildTable(rows, axisColumns(cells), provenance);
  const predictions = buildPredictionsTable(outcomes.flatMap((o) => (o.predictions === null ? [] : [o.predictions])), withProbabilities, provenance);
  const paths = {
    arrow: join(directory, 'results.arrow'),
    csv: join(directory, 'results.csv'),
    summary: join(directory, 'summary.md'),
    predictions: join(directory, 'predictions.arrow'),
  };
  const summaryText = summarize(sweepName, rows, sweepAxes(cells));
  await writeFileAtomic(paths.arrow, tableToIPC(table, 'file'));
  await writeFileAtomic(paths.csv, tableToCsv(table));
  await writeFileAtomic(paths.summary, summaryText);
  await writeFileAtomic(paths.predictions, tableToIPC(predictions, 'file'));
  return { ...paths, summaryText };
}
