// CellRanger's matrix folder (matrix.mtx, features.tsv or genes.tsv, barcodes.tsv; gzipped or plain), read as scanpy's read_10x_mtx reads it, with cell labels joined on barcode.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { parseTable } from '../csv-table.js';
import { parseFileOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams } from '../split-params.js';
import type { DatasetContext } from '../types.js';
import { barcodeLabels } from './barcode-labels.js';
import type { CellMatrix } from './cell-matrix.js';
import { readMatrixMarketColumns } from './matrix-market.js';
import { defineExpressionReader, expressionSourceParams } from './source.js';
import { tenxPanel, tenxParams, type TenxFeatures } from './tenx-params.js';

const NAME = '10x-mtx';

export const tenxMtxParams = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe(
        "CellRanger matrix folder (e.g. filtered_feature_bc_matrix), relative to the sweep file's folder: matrix.mtx (features × barcodes), features.tsv (CellRanger ≥ 3: id, symbol, type) or genes.tsv (CellRanger 2: id, symbol), and barcodes.tsv, each gzipped (.gz) or plain. Only `Gene Expression` features are kept when the type is given.",
      ),
    ...tenxParams,
    ...expressionSourceParams,
  })
  .superRefine(checkSplitParams(NAME));
export type TenxMtxParams = z.infer<typeof tenxMtxParams>;

/** The names each file of the folder may have, in the order they are looked for (CellRanger ≥ 3 gzips them; 2 wrote genes.tsv). */
const NAMES = {
  matrix: ['matrix.mtx.gz', 'matrix.mtx'],
  features: ['features.tsv.gz', 'features.tsv', 'genes.tsv.gz', 'genes.tsv'],
  barcodes: ['barcodes.tsv.gz', 'barcodes.tsv'],
} as const;

interface FolderFiles {
  readonly matrix: string;
  readonly features: string;
  readonly barcodes: string;
}

/** The folder's three files, the first name found of each; a missing one is an error saying which names were looked for. */
function folderFiles(params: TenxMtxParams, context?: DatasetContext): FolderFiles {
  const folder = resolveDataPath(params.path, context);
  const find = (names: readonly string[]) => {
    const found = names.map((name) => join(folder, name)).find((file) => existsSync(file));
    if (found !== undefined) return found;
    const what = existsSync(folder) ? `none of ${names.join(', ')}` : 'no such folder';
    throw new TokbenchError('input', `${folder}: found ${what}; expected a CellRanger matrix folder holding matrix.mtx, features.tsv or genes.tsv, and barcodes.tsv (each gzipped or plain)`, ['path']);
  };
  return { matrix: find(NAMES.matrix), features: find(NAMES.features), barcodes: find(NAMES.barcodes) };
}

function files(params: TenxMtxParams, context?: DatasetContext): string[] {
  const { matrix, features, barcodes } = folderFiles(params, context);
  return params.labels === undefined ? [matrix, features, barcodes] : [matrix, features, barcodes, resolveDataPath(params.labels, context)];
}

/** features.tsv's or genes.tsv's rows: id and symbol, then (CellRanger ≥ 3) the feature type. No header. */
async function readFeatures(file: string): Promise<TenxFeatures> {
  const { rows } = await parseFileOnce(file, 'table', 'path', (text) => parseTable(text, file, 'path'));
  if (rows.length > 0 && rows[0].length < 2) {
    throw new TokbenchError('input', `${file} line 1: found 1 field; expected a feature id and a gene symbol, tab-separated (and the feature type, from CellRanger 3 on)`, ['path']);
  }
  return {
    ids: rows.map((fields) => fields[0].trim()),
    symbols: rows.map((fields) => fields[1].trim()),
    ...(rows.length > 0 && rows[0].length > 2 ? { types: rows.map((fields) => fields[2].trim()) } : {}),
  };
}

/** barcodes.tsv: one barcode per line (a further column, if any, is ignored). */
async function readBarcodes(file: string): Promise<string[]> {
  const { rows } = await parseFileOnce(file, 'table', 'path', (text) => parseTable(text, file, 'path'));
  return rows.map((fields) => fields[0].trim());
}

/** The matrix transposed on read into cells × genes rows, keeping the panel's features; labels when `labels` is given. */
async function read(params: TenxMtxParams, context?: DatasetContext): Promise<CellMatrix> {
  const folder = folderFiles(params, context);
  const [features, barcodes] = await Promise.all([readFeatures(folder.features), readBarcodes(folder.barcodes)]);
  const panel = tenxPanel(features, params.gene_names);
  // Labels first: a labels file that does not fit fails before the long read of the matrix.
  const joined = await barcodeLabels(barcodes, params, NAME, context);
  const { indptr, indices, data } = await readMatrixMarketColumns(folder.matrix, 'path', (header) => {
    if (header.rows !== features.ids.length) {
      throw new TokbenchError('input', `${folder.matrix}: found ${header.rows} matrix rows (features); expected ${features.ids.length}, the features listed in ${folder.features}`, ['path']);
    }
    if (header.columns !== barcodes.length) {
      throw new TokbenchError('input', `${folder.matrix}: found ${header.columns} matrix columns (barcodes); expected ${barcodes.length}, the barcodes listed in ${folder.barcodes}`, ['path']);
    }
    return panel.columnOfRow;
  });
  return {
    genes: panel.genes,
    cells: barcodes,
    indptr,
    indices,
    data,
    ...(joined === undefined ? {} : { labels: joined.labels }),
    origin: folder.matrix,
    otherLayers: [],
    files: files(params, context),
  };
}

export const tenxMtx = defineExpressionReader<TenxMtxParams>({
  name: NAME,
  description: "Single-cell counts from a CellRanger matrix folder (matrix.mtx, features.tsv or genes.tsv, barcodes.tsv), labels joined on barcode from a CSV, split by a seeded stratified split",
  params: tenxMtxParams,
  files,
  read,
});
