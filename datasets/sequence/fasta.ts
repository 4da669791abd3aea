// DNA records from a FASTA file (multi-line, gzip accepted), labelled by a field of each header or by a CSV of record ids and labels.
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex, parseTable } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import type { DatasetContext } from '../types.js';
import { checkSplitParams, splitParams } from '../split-params.js';
import { assemble, sequenceReader } from './assemble.js';
import { parseFasta, type FastaRecord } from './fasta-format.js';
import { checkCutParams, checkRecords, recordParams, type RawRecord } from './records.js';

const NAME = 'fasta';

export const fastaParams = z
  .strictObject({
    path: z.string().min(1).describe("FASTA file (gzip accepted), relative to the sweep file's folder; a record's id is the first word of its header."),
    label_from: z.enum(['header', 'file']).default('header').describe('`header`: the label is a field of each header line; `file`: a CSV or TSV (`labels`) maps record ids to labels.'),
    separator: z.string().min(1).default('|').describe('With `label_from: header`: what separates the fields of a header line (the text after \'>\').'),
    field: z.int().min(0).default(1).describe('With `label_from: header`: the 0-based field of the header that holds the label (field 0 usually starts with the id).'),
    labels: z.string().min(1).optional().describe("With `label_from: file`: CSV or TSV with a header row, relative to the sweep file's folder; every record's id must be in it."),
    id_column: z.string().min(1).default('id').describe('With `label_from: file`: the column of `labels` holding record ids.'),
    label_column: z.string().min(1).default('label').describe('With `label_from: file`: the column of `labels` holding the label; label names are the class names, sorted (numerically when all are integers).'),
    ...recordParams,
    ...splitParams('records'),
  })
  .refine((p) => p.label_from !== 'file' || p.labels !== undefined, {
    message: "The 'labels' parameter of fasta is required with label_from: file; give the CSV of record ids and labels",
    path: ['labels'],
  })
  .refine((p) => p.label_from !== 'header' || p.labels === undefined, {
    message: "The 'labels' parameter of fasta is read only with label_from: file; set label_from: file or remove 'labels'",
    path: ['labels'],
  })
  .superRefine(checkCutParams(NAME))
  .superRefine(checkSplitParams(NAME));
export type FastaParams = z.infer<typeof fastaParams>;

/** Each record's label from field `field` of its header, split by `separator`. */
function headerLabels(records: readonly FastaRecord[], params: FastaParams, file: string): string[] {
  return records.map(({ id, header, line }) => {
    const fields = header.split(params.separator);
    if (params.field < fields.length) return fields[params.field].trim();
    throw new TokbenchError(
      'invalid-param',
      `The 'field' parameter of ${NAME} must index a field of every header; record '${id}' (${file} line ${line}) has ${fields.length} field${fields.length === 1 ? '' : 's'} split by '${params.separator}'; got ${params.field} instead.`,
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
  const raw = records.map(({ id, sequence, line }, row): RawRecord => ({ row, where: `${file} record '${id}' (line ${line})`, sequence, label: labels[row] }));
  const train = checkRecords(raw, params.on_invalid, file, 'path');
  return assemble(NAME, { train }, params, labelsFile === undefined ? [file] : [file, labelsFile]);
}

export const fasta = sequenceReader<FastaParams>(
  {
    name: NAME,
    description: 'DNA records from a FASTA file (multi-line, gzip accepted), labelled by a header field or a CSV of record ids, with a seeded stratified split',
    params: fastaParams,
  },
  build,
);
