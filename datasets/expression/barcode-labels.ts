// Cell labels of a 10x matrix from a CSV or TSV file, joined on barcode (a column of labels per barcode, as a Seurat or scanpy obs export writes them).
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex, parseTable } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import type { DatasetContext } from '../types.js';

/** The params that ask for the join: the labels file, its barcode column and the shared `label_column`. */
export interface LabelJoinParams {
  readonly labels?: string;
  readonly barcode_column: string;
  readonly label_column?: string;
}

/** Each matrix cell's label, undefined where the file has none; `file` is the labels file as resolved. */
export interface BarcodeLabels {
  readonly labels: readonly (string | undefined)[];
  readonly file: string;
}

/**
 * The label of each of `barcodes` (the matrix's cells in order) from `p.labels`, or undefined without a labels
 * file. The file's first row is its header. A barcode the file does not name, or names with an empty label, is
 * unlabelled; the file's rows for barcodes outside the matrix are ignored (a labels table often covers more
 * cells than one matrix holds), but a file naming none of them is an error, as is a barcode it names twice.
 * `dataset` is the reader's name, for messages.
 */
export async function barcodeLabels(barcodes: readonly string[], p: LabelJoinParams, dataset: string, context?: DatasetContext): Promise<BarcodeLabels | undefined> {
  if (p.labels === undefined) {
    if (p.label_column === undefined) return undefined;
    throw new TokbenchError(
      'invalid-param',
      `The 'label_column' parameter of ${dataset} names a column of the \`labels\` file; got '${p.label_column}' without a \`labels\` file (a 10x matrix holds no cell annotations).`,
      ['label_column'],
    );
  }
  const file = resolveDataPath(p.labels, context);
  const table = await parseFileOnce(file, 'table', 'labels', (text) => parseTable(text, file, 'labels'));
  const header = table.rows[0] ?? [];
  if (p.label_column === undefined) {
    throw new TokbenchError(
      'invalid-param',
      `The 'label_column' parameter of ${dataset} must name the column of ${file} that holds the labels; got none (columns: ${header.map((field) => field.trim()).join(', ')}).`,
      ['label_column'],
    );
  }
  const barcodeColumn = columnIndex(header, p.barcode_column, 'barcode_column', dataset, file);
  const labelColumn = columnIndex(header, p.label_column, 'label_column', dataset, file);
  const byBarcode = new Map<string, { readonly label: string; readonly line: number }>();
  for (let row = 1; row < table.rows.length; row++) {
    const barcode = table.rows[row][barcodeColumn].trim();
    const line = table.lines[row];
    const earlier = byBarcode.get(barcode);
    if (earlier !== undefined) {
      throw new TokbenchError('input', `${file} line ${line}: found barcode '${barcode}' again (first on line ${earlier.line}); expected one row per barcode`, ['labels']);
    }
    byBarcode.set(barcode, { label: table.rows[row][labelColumn].trim(), line });
  }
  const labels = barcodes.map((barcode) => {
    const label = byBarcode.get(barcode)?.label;
    return label === '' ? undefined : label;
  });
  if (!barcodes.some((barcode) => byBarcode.has(barcode))) {
    const sample = (names: readonly string[]) => names.slice(0, 3).map((name) => `'${name}'`).join(', ');
    throw new TokbenchError(
      'input',
      `${file}: found no barcode of the matrix in column '${p.barcode_column}' (${byBarcode.size} rows, e.g. ${sample([...byBarcode.keys()])}; the matrix has ${barcodes.length} barcodes, e.g. ${sample(barcodes)}); expected the barcodes as the matrix writes them`,
      ['labels'],
    );
  }
  return { labels, file };
}
