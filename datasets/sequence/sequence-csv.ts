// `sequence,label` CSV or TSV files: the layout of the GUE benchmark (DNABERT-2, Zhou et al. 2024) and of DNABERT's fine-tuning data (Ji et al. 2021).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex, parseTable, type Table } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import type { DatasetContext } from '../types.js';
import { checkSplitParams, splitParams } from '../split-params.js';
import { assemble, sequenceReader } from './assemble.js';
import { checkCutParams, checkRecords, recordParams, type Records } from './records.js';

const NAME = 'sequence-csv';

export const sequenceCsvParams = z
  .strictObject({
    path: z.string().min(1).describe("CSV or TSV file (gzip accepted), relative to the sweep file's folder; tab-separated when its first line holds a tab."),
    test_path: z
      .string()
      .min(1)
      .optional()
      .describe("The data's own test file in the same layout (GUE's test.csv); its records' source rows count from 0 within it. Without it the records of `path` are split."),
    sequence_column: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Header of the sequence column (default `sequence`). The first row is data, not a header, when its first field holds only IUPAC nucleotide letters (A C G T U R Y S W K M B D H V N, either case: a first record with ambiguity codes is data, for `on_invalid` to handle) and none of its fields is this name or the given `label_column`: such a file has no header, its first column is the sequence and its second the label, and naming columns is an error.",
      ),
    label_column: z
      .string()
      .min(1)
      .optional()
      .describe('Header of the label column (default `label`); label names are the class names, sorted (numerically when all are integers). A first row holding this name is a header.'),
    ...recordParams,
    ...splitParams('records'),
  })
  .superRefine(checkCutParams)
  .superRefine(checkSplitParams(NAME, { param: 'test_path', unit: 'records' }));
export type SequenceCsvParams = z.infer<typeof sequenceCsvParams>;

/** Where the fields are: the first data row and the columns of the sequence and the label. */
interface Columns {
  readonly firstRow: number;
  readonly sequence: number;
  readonly label: number;
}

/** IUPAC nucleotide codes (A, C, G, T, U and the ambiguity codes R … N), either case. */
const NUCLEOTIDE_CODES = /^[ACGTURYSWKMBDHVN]+$/i;

/**
 * A first row is a header when one of its fields is the sequence column's name (or the label column's, when
 * given) or when its first field holds anything but IUPAC nucleotide letters; then columns are found by name.
 * Otherwise the file has no header and holds the GUE layout: sequence first, label second. Why all of IUPAC
 * rather than A, C, G, T, N: a headerless file whose first record holds an ambiguity code (R, Y, …) is data,
 * which `on_invalid` then treats like any other record.
 */
function locateColumns(table: Table, params: SequenceCsvParams, file: string): Columns {
  const first = table.rows[0];
  const sequenceName = params.sequence_column ?? 'sequence';
  const names = params.label_column === undefined ? [sequenceName] : [sequenceName, params.label_column];
  const named = first.some((field) => names.includes(field.trim()));
  if (named || !NUCLEOTIDE_CODES.test(first[0].trim())) {
    const hint = named ? '' : '; a first row whose first field is not nucleotide letters is read as the header';
    return {
      firstRow: 1,
      sequence: columnIndex(first, sequenceName, 'sequence_column', NAME, file, hint),
      label: columnIndex(first, params.label_column ?? 'label', 'label_column', NAME, file, hint),
    };
  }
  const given = params.sequence_column !== undefined ? 'sequence_column' : params.label_column !== undefined ? 'label_column' : undefined;
  if (given !== undefined) {
    throw new TokbenchError(
      'invalid-param',
      `The '${given}' parameter of ${NAME} names a header column, but ${file} has no header (its first row starts with nucleotide letters); remove '${given}' or add a header row.`,
      [given],
    );
  }
  if (first.length < 2) {
    throw new TokbenchError('input', `${file} has no header and 1 column; a file without a header must hold the sequence in its first column and the label in its second`, ['path']);
  }
  return { firstRow: 0, sequence: 0, label: 1 };
}

async function readRecords(path: string, param: 'path' | 'test_path', params: SequenceCsvParams, context?: DatasetContext): Promise<Records> {
  const file = resolveDataPath(path, context);
  const table = await parseFileOnce(file, 'table', param, (text) => parseTable(text, file, param));
  if (table.rows.length === 0) return checkRecords([], params, file, param);
  const columns = locateColumns(table, params, file);
  const raw = table.rows.slice(columns.firstRow).map((fields, row) => ({
    row,
    where: `${file} line ${table.lines[row + columns.firstRow]}`,
    sequence: fields[columns.sequence].trim(),
    label: fields[columns.label].trim(),
  }));
  return checkRecords(raw, params, file, param);
}

async function build(params: SequenceCsvParams, context?: DatasetContext) {
  const train = await readRecords(params.path, 'path', params, context);
  const test = params.test_path === undefined ? undefined : await readRecords(params.test_path, 'test_path', params, context);
  return assemble(NAME, { train, test }, params, test === undefined ? [train.file] : [train.file, test.file], context);
}

export const sequenceCsv = sequenceReader<SequenceCsvParams>(
  {
    name: NAME,
    description: "DNA from a `sequence,label` CSV or TSV (GUE's and DNABERT's fine-tuning layout), split by its own test file or a seeded stratified split",
    params: sequenceCsvParams,
  },
  build,
);
