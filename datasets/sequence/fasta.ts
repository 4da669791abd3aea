// DNA records from a FASTA file (multi-line, gzip accepted), labelled by a field of each header or by a CSV of record ids and labels.
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex, parseTable } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import type { DatasetContext } from '../types.js';
import { checkSplitParams, DEFAULT_TEST_FRACTION, splitParams } from '../split-params.js';
import { assemble, sequenceReader } from './assemble.js';
import { basePlace, parseFasta, type FastaRecord } from './fasta-format.js';
import { checkCutParams, checkRecords, recordParams, type RawRecord } from './records.js';

const NAME = 'fasta';

const split = splitParams('records');

export const fastaParams = z
  .strictObject({
    path: z.string().min(1).describe("FASTA file (gzip accepted), relative to the sweep file's folder; a record's id is the first word of its header."),
    label_from: z.enum(['header', 'file']).default('header').describe("`header`: the label is a field of each header's first word; `file`: a CSV or TSV (`labels`) maps record ids to labels."),
    separator: z
      .string()
      .min(1)
      .refine((text) => !/\s/.test(text), { message: "expected no whitespace: the fields are split from the header's first word" })
      .default('|')
      .describe(
        "With `label_from: header`: what separates the fields of the header's first word (its id, NCBI's convention: `>rec0|cls0 some description` has the fields rec0 and cls0); the description after the first whitespace is never read, so the separator holds no whitespace.",
      ),
    field: z.int().min(0).default(1).describe("With `label_from: header`: the 0-based field of the header's first word that holds the label (field 0 usually is the record's own name)."),
    labels: z.string().min(1).optional().describe("With `label_from: file`: CSV or TSV with a header row, relative to the sweep file's folder; every record's id must be in it."),
    id_column: z.string().min(1).default('id').describe('With `label_from: file`: the column of `labels` holding record ids.'),
    label_column: z.string().min(1).default('label').describe('With `label_from: file`: the column of `labels` holding the label; label names are the class names, sorted (numerically when all are integers).'),
    ...recordParams,
    ...split,
    // fasta reads one file: its sizes always split it, so their texts leave out the data's own test split.
    test_fraction: split.test_fraction.describe(`Fraction of records held out for testing, stratified by label (default ${DEFAULT_TEST_FRACTION}); not with \`train_size\`/\`test_size\`.`),
    train_size: split.train_size.describe('Training records, drawn stratified by label; with `test_size`, instead of `test_fraction`.'),
    test_size: split.test_size.describe('Test records, drawn stratified by label; with `train_size`, instead of `test_fraction`. For a given split seed the test set does not depend on `train_size`.'),
  })
  .refine((p) => p.label_from !== 'file' || p.labels !== undefined, {
    message: 'expected the CSV of record ids and labels, which label_from: file needs',
    path: ['labels'],
  })
  .refine((p) => p.label_from !== 'header' || p.labels === undefined, {
    message: 'expected nothing, as labels are read only with label_from: file; set label_from: file or remove labels',
    path: ['labels'],
  })
  .superRefine(checkCutParams)
  .superRefine(checkSplitParams(NAME));
export type FastaParams = z.infer<typeof fastaParams>;

/**
 * Each record's label: field `field` of its id (the header's first word), split by `separator`. The
 * description after the id is never read: NCBI's convention puts free text there (`>rec0|cls0 some
 * description`), which would otherwise end up in the last field's label.
 */
function headerLabels(records: readonly FastaRecord[], params: FastaParams, file: string): string[] {
  return records.map(({ id, line }) => {
    const fields = id.split(params.separator);
    if (params.field < fields.length) return fields[params.field];
    throw new TokbenchError(
      'invalid-param',
      `The 'field' parameter of ${NAME} must index a field of every header's first word; record '${id}' (${file} line ${line}) has ${fields.length} field${fields.length === 1 ? '' : 's'} split by '${params.separator}'; got ${params.field} instead.`,
      ['field'],
    );
  });
}

/** Each record's label looked up by its id in the `labels` table; an id listed twice with two labels is an error. */
async function fileLabels(records: readonly FastaRecord[], params: FastaParams, labelsFile: string, fastaFile: string): Promise<string[]> {
  const table = await parseFileOnce(labelsFile, 'table', 'labels', (text) => parseTable(text, labelsFile, 'labels'));
  if (table.rows.length === 0) throw new TokbenchError('input', `${labelsFile} is empty; it needs a header row naming its columns`, ['labels']);
  const idAt = columnIndex(table.rows[0], params.id_column, 'id_column', NAME, labelsFile);
  const labelAt = columnIndex(table.rows[0], params.label_column, 'label_column', NAME, labelsFile);
  const byId = new Map<string, string>();
  table.rows.slice(1).forEach((fields, i) => {
    const id = fields[idAt].trim();
    const label = fields[labelAt].trim();
    const known = byId.get(id);
    if (known !== undefined && known !== label) {
      throw new TokbenchError('input', `${labelsFile} line ${table.lines[i + 1]}: record '${id}' is labelled '${label}' here and '${known}' before`, ['labels']);
    }
    byId.set(id, label);
  });
  return records.map(({ id, line }) => {
    const label = byId.get(id);
    if (label !== undefined) return label;
    throw new TokbenchError('input', `${fastaFile} record '${id}' (line ${line}): no row of ${labelsFile} has '${id}' in its '${params.id_column}' column`, ['labels']);
  });
}

async function build(params: FastaParams, context?: DatasetContext) {
  const file = resolveDataPath(params.path, context);
  const records = await parseFileOnce(file, 'fasta', 'path', (text) => parseFasta(text, file, 'path'));
  const labelsFile = params.labels === undefined ? undefined : resolveDataPath(params.labels, context);
  const labels = labelsFile === undefined ? headerLabels(records, params, file) : await fileLabels(records, params, labelsFile, file);
  const raw = records.map(
    (record, row): RawRecord => ({
      row,
      where: `${file} record '${record.id}' (line ${record.line})`,
      sequence: record.sequence,
      label: labels[row],
      baseAt: (position) => {
        const { line, column } = basePlace(record, position);
        return `${file} line ${line}, column ${column} (record '${record.id}', base ${position + 1})`;
      },
    }),
  );
  const train = checkRecords(raw, params, file, 'path');
  return assemble(NAME, { train }, params, labelsFile === undefined ? [file] : [file, labelsFile], context);
}

export const fasta = sequenceReader<FastaParams>(
  {
    name: NAME,
    description: 'DNA records from a FASTA file (multi-line, gzip accepted), labelled by a header field or a CSV of record ids, with a seeded stratified split',
    params: fastaParams,
  },
  build,
);
