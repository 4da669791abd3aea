// CSV and TSV tables parsed by csv-parse, each row with its line, and columns found by header name with the valid names listed.
import { CsvError, parse } from 'csv-parse/sync';
import { TokbenchError } from '../harness/errors.js';

export interface Table {
  /** Rows as parsed, the header row (if any) included; every row has as many fields as the first. */
  readonly rows: readonly (readonly string[])[];
  /** Line of each row in the file, 1-based (where the row ends, for a quoted field spanning lines). */
  readonly lines: readonly number[];
}

interface ParsedRow {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/**
 * Tab-separated when the first line holds a tab, comma-separated otherwise: the data these readers take
 * (DNA, labels, record ids) never holds either character, and sniffing one line is easier to predict
 * than csv-parse's scoring of every character (which would pick a DNA letter). Blank lines are skipped;
 * a row whose field count differs from the first row's is an error naming its line. `param` is the
 * dataset parameter that named `file`, the path of the error.
 */
export function parseTable(text: string, file: string, param: string): Table {
  const firstLine = text.split('\n', 1)[0];
  try {
    const parsed = parse(text, { delimiter: firstLine.includes('\t') ? '\t' : ',', info: true, skip_empty_lines: true }) as unknown as ParsedRow[];
    return { rows: parsed.map((row) => row.record), lines: parsed.map((row) => row.info.lines) };
  } catch (error) {
    if (error instanceof CsvError) throw new TokbenchError('input', `${file}: ${error.message}`, [param]);
    throw error;
  }
}

/**
 * Index of the column named `name` (surrounding spaces ignored) in `header`; otherwise an `invalid-param`
 * error at `param` that lists the columns `file` has. `hint` is added to the message when given.
 */
export function columnIndex(header: readonly string[], name: string, param: string, dataset: string, file: string, hint = ''): number {
  const names = header.map((field) => field.trim());
  const index = names.indexOf(name);
  if (index >= 0) return index;
  throw new TokbenchError(
    'invalid-param',
    `The '${param}' parameter of ${dataset} must name a column of ${file}; got '${name}' instead (columns: ${names.length === 0 ? 'none' : names.join(', ')})${hint}.`,
    [param],
  );
}
