// A dense cells × genes CSV or TSV (a cell column, an optional label column, one column per gene), the text layout of Seurat's and scanpy's exported matrices (scanpy.read_csv).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex, parseTable } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams } from '../split-params.js';
import type { DatasetContext } from '../types.js';
import type { CellMatrix } from './cell-matrix.js';
import { indexArrayOf, valueArrayOf } from './compact-arrays.js';
import { defineExpressionReader, expressionSourceParams } from './source.js';

const NAME = 'expression-csv';

export const expressionCsvParams = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe("CSV or TSV file (gzip accepted), relative to the sweep file's folder; tab-separated when its first line holds a tab. Its first row names the columns: every column but the cell and label columns is a gene."),
    cell_column: z.string().min(1).optional().describe('Header of the column holding cell names (default: the first column).'),
    ...expressionSourceParams,
  })
  .superRefine(checkSplitParams(NAME));
export type ExpressionCsvParams = z.infer<typeof expressionCsvParams>;

/** A decimal number as C's strtod and pandas read it; the spellings of NaN and infinity are read too, for the pipeline to refuse by cell and gene. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NOT_FINITE: Readonly<Record<string, number>> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function files(params: ExpressionCsvParams, context?: DatasetContext): string[] {
  return [resolveDataPath(params.path, context)];
}

/** The table's cells as sparse rows: zeros are left out as they are read, so no dense matrix outlives its text. */
async function read(params: ExpressionCsvParams, context?: DatasetContext): Promise<CellMatrix> {
  const [file] = files(params, context);
  const { rows, lines } = await parseFileOnce(file, 'table', 'path', (text) => parseTable(text, file, 'path'));
  if (rows.length === 0) throw new TokbenchError('input', `${file} is empty; expected a header row naming the cell, label and gene columns`, ['path']);
  const header = rows[0];
  const cellAt = params.cell_column === undefined ? 0 : columnIndex(header, params.cell_column, 'cell_column', NAME, file);
  const labelAt = params.label_column === undefined ? -1 : columnIndex(header, params.label_column, 'label_column', NAME, file);
  const geneColumns = header.map((_, c) => c).filter((c) => c !== cellAt && c !== labelAt);
  const cells: string[] = [];
  const labels: (string | undefined)[] = [];
  const indptr = new Float64Array(rows.length);
  const indices: number[] = [];
  const data: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const fields = rows[r];
    cells.push(fields[cellAt].trim());
    // An empty label field is a cell without a label, which the pipeline drops and counts.
    labels.push(labelAt < 0 || fields[labelAt].trim() === '' ? undefined : fields[labelAt].trim());
    geneColumns.forEach((column, g) => {
      const field = fields[column].trim();
      const value = NUMBER.test(field) ? Number(field) : NOT_FINITE[field.toLowerCase()];
      if (value === undefined) {
        throw new TokbenchError('input', `${file} line ${lines[r]} column ${column + 1} ('${header[column].trim()}'): found '${field}'; expected a number`, ['path']);
      }
      if (value !== 0) {
        indices.push(g);
        data.push(value);
      }
    });
    indptr[r] = indices.length;
  }
  return {
    genes: geneColumns.map((c) => header[c].trim()),
    cells,
    indptr,
    indices: indexArrayOf(geneColumns.length, indices),
    data: valueArrayOf(data),
    ...(labelAt < 0 ? {} : { labels }),
    origin: file,
    otherLayers: [],
    files: [file],
  };
}

export const expressionCsv = defineExpressionReader<ExpressionCsvParams>({
  name: NAME,
  description: 'Single-cell expression from a dense cells × genes CSV or TSV with an optional label column, split by a seeded stratified split',
  params: expressionCsvParams,
  files,
  read,
});
