// Writes a sweep's outputs: results.arrow (primary), then results.csv and summary.md derived from it,
// and predictions.arrow with every row's per-sample test predictions.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { ColumnSpec, RowOutcome } from './columns.js';
import { tableToCsv } from './csv.js';
import { writeFileAtomic } from './files.js';
import { buildPredictionsTable, concatPredictionFiles } from './predictions.js';
import type { StoredRun } from './row-store.js';
import { ROWS_FOLDER, rowFile } from './row-store.js';
import { summarize } from './summary.js';
import type { TableMetadata } from './provenance.js';
import { axisColumn, axisColumnName, buildTable } from './table.js';

/**
 * One finished run as JSON in `DIR/rows/`, with its predictions beside it as Arrow, a failure's full error as
 * text and, when asked, its fitted tokenizer in a `.tokenizer` folder, written as soon as they exist, so a
 * sweep that dies keeps what finished.
 */
export async function writeRow(directory: string, outcome: RowOutcome, metadata: TableMetadata): Promise<void> {
  const { row, predictions } = outcome;
  const cellId = String(row.cell_id);
  const seed = Number(row.seed);
  // Predictions first: a row on disk promises its predictions are there too.
  if (predictions !== null) {
    const table = buildPredictionsTable([predictions], predictions.probabilities !== null, metadata);
    await writeFileAtomic(rowFile(directory, cellId, seed, '.predictions.arrow'), tableToIPC(table, 'file'));
  }
  // A run that succeeds on a retry leaves no error of an earlier attempt behind.
  const errorFile = rowFile(directory, cellId, seed, '.error.txt');
  if (outcome.errorDetail !== null) await writeFileAtomic(errorFile, `${outcome.errorDetail}\n`);
  else await rm(errorFile, { force: true });
  for (const [name, text] of Object.entries(outcome.artifacts ?? {})) {
    await writeFileAtomic(join(directory, ROWS_FOLDER, `${cellId}-seed${seed}.tokenizer`, name), text);
  }
  await writeFileAtomic(rowFile(directory, cellId, seed, '.json'), `${JSON.stringify(row)}\n`);

}

export const ERROR_LOG = 'errors.log';

/** errors.log: the full error of every run in the table that did not finish ok; none when all did. */
async function writeErrorLog(directory: string, runs: readonly StoredRun[]): Promise<void> {
  const path = join(directory, ERROR_LOG);
  const entries: string[] = [];
  for (const { row, error } of runs) {
    if (error === null) continue;
    entries.push(`${row.dataset} / ${row.strategy} cell ${row.cell_id} seed ${row.seed}: ${row.status}\n${await readFile(error, 'utf8')}\n`);
  }
  if (entries.length > 0) await writeFileAtomic(path, entries.join(''));
  else await rm(path, { force: true });
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
  runs: readonly StoredRun[],
  cells: readonly WithAxes[],
  metadata: Omit<TableMetadata, 'backend'>,
  withProbabilities: boolean,
): Promise<WrittenResults> {
  const rows = runs.map((r) => r.row);
  const backends = [...new Set(rows.map((r) => String(r.backend)))].sort().join(',');
  const provenance = { ...metadata, backend: backends };
  const table = buildTable(rows, axisColumns(cells), provenance);
  const predictionFiles = runs.flatMap((r) => (r.predictions === null ? [] : [r.predictions]));
  const predictions = await concatPredictionFiles(predictionFiles, withProbabilities, provenance);
  const paths = {
    arrow: join(directory, 'results.arrow'),
    csv: join(directory, 'results.csv'),
    summary: join(directory, 'summary.md'),
    predictions: join(directory, 'predictions.arrow'),
  };
  const summaryText = summarize(sweepName, rows, sweepAxes(cells));
  await writeErrorLog(directory, runs);
  await writeFileAtomic(paths.arrow, tableToIPC(table, 'file'));
  await writeFileAtomic(paths.csv, tableToCsv(table));
  await writeFileAtomic(paths.summary, summaryText);
  await writeFileAtomic(paths.predictions, tableToIPC(predictions, 'file'));
  return { ...paths, summaryText };
}
