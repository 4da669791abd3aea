// CellRanger's HDF5 feature-barcode matrix (`filtered_feature_bc_matrix.h5`: CellRanger ≥ 3's `matrix` group, or CellRanger 2's one group per genome), read with h5wasm as scanpy's read_10x_h5 reads it.
import { basename } from 'node:path';
import { z } from 'zod';
import type { Group } from 'h5wasm/node';
import { TokbenchError } from '../../harness/errors.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams } from '../split-params.js';
import type { DatasetContext } from '../types.js';
import { barcodeLabels } from './barcode-labels.js';
import type { CellMatrix } from './cell-matrix.js';
import { datasetAt, entityAt, groupAt, numbers, readCellRows, strings, withHdf5, type Hdf5Source } from './hdf5-file.js';
import { defineExpressionReader, expressionSourceParams } from './source.js';
import { tenxPanel, tenxParams, type TenxFeatures } from './tenx-params.js';

const NAME = '10x-h5';

export const tenxH5Params = z
  .strictObject({
    path: z.string().min(1).describe("CellRanger's HDF5 matrix (filtered_feature_bc_matrix.h5, or CellRanger 2's filtered_gene_bc_matrices_h5.h5 with a single genome), relative to the sweep file's folder."),
    ...tenxParams,
    ...expressionSourceParams,
  })
  .superRefine(checkSplitParams(NAME));
export type TenxH5Params = z.infer<typeof tenxH5Params>;

/** The group holding the matrix, its features, and its name for messages. */
interface Layout {
  readonly group: Group;
  readonly features: TenxFeatures;
  readonly name: string;
}

/**
 * CellRanger ≥ 3 writes `matrix/` with `features/{id,name,feature_type}` (gene expression beside antibody
 * capture, CRISPR guides, …); CellRanger 2 writes one group per genome with `genes` (ids) and `gene_names`
 * (symbols), genes only. A file of several genomes is refused, as by scanpy without its `genome` argument.
 */
function layoutOf(root: Group, source: Hdf5Source): Layout {
  const column = (group: Group, path: string, what: string) => strings(datasetAt(group, path, source, `${what} in CellRanger's layout`), source);
  if (entityAt(root, 'matrix') !== undefined) {
    const group = groupAt(root, 'matrix', source, "CellRanger's matrix group");
    const features = {
      ids: column(group, 'features/id', 'the feature ids'),
      symbols: column(group, 'features/name', 'the feature names'),
      ...(entityAt(group, 'features/feature_type') === undefined ? {} : { types: column(group, 'features/feature_type', 'the feature types') }),
    };
    return { group, features, name: "'matrix'" };
  }
  const genomes = root.keys().filter((name) => entityAt(root, `${name}/indptr`) !== undefined);
  if (genomes.length !== 1) {
    const found = genomes.length === 0 ? 'neither a matrix group nor a genome group' : `${genomes.length} genome groups (${genomes.join(', ')})`;
    throw new TokbenchError('input', `${source.file}: found ${found}; expected CellRanger's layout: matrix/ (CellRanger ≥ 3) or a single <genome>/ with indptr (CellRanger 2)`, ['path']);
  }
  const group = groupAt(root, genomes[0], source, "CellRanger 2's genome group");
  return { group, features: { ids: column(group, 'genes', 'the gene ids'), symbols: column(group, 'gene_names', 'the gene names') }, name: `genome '${genomes[0]}'` };
}

/**
 * The matrix as stored, gene expression features only, without labels: features × barcodes CSC is barcodes ×
 * features CSR, so each barcode's column is one cell's row. The origin counts the features left out.
 */
function readStored(p: TenxH5Params, source: Hdf5Source) {
  return withHdf5(source, "CellRanger's HDF5 matrix", (root) => {
    const { group, features, name } = layoutOf(root, source);
    const barcodes = strings(datasetAt(group, 'barcodes', source, "the barcodes in CellRanger's layout"), source);
    const [rows, cols] = numbers(datasetAt(group, 'shape', source, "the matrix shape in CellRanger's layout"), source);
    const fields = [`${features.ids.length} feature ids`, `${features.symbols.length} names`, ...(features.types === undefined ? [] : [`${features.types.length} types`])];
    const lengths = [features.ids.length, features.symbols.length, features.types?.length ?? rows];
    if (lengths.some((length) => length !== rows) || barcodes.length !== cols) {
      throw new TokbenchError('input', `${source.file}: found ${fields.join(', ')} and ${barcodes.length} barcodes in ${name}; expected ${rows} × ${cols}, its shape (features × barcodes)`, ['path']);
    }
    const panel = tenxPanel(features, p.gene_names);
    const { indptr, indices, data } = readCellRows(group, barcodes.length, features.ids.length, { ...source, name }, panel.columnOfRow);
    const others = features.ids.length - panel.genes.length;
    const kept = others === 0 ? '' : ` (its ${panel.genes.length} gene expression features; ${others} of other types left out)`;
    return { genes: panel.genes, cells: barcodes, indptr, indices, data, origin: `${name} of ${basename(source.file)}${kept}` };
  });
}

/** The gene expression features of the file's matrix, labelled by the labels file when the params give one. */
export async function readTenxH5(p: TenxH5Params, context?: DatasetContext): Promise<CellMatrix> {
  const source = { file: resolveDataPath(p.path, context), param: 'path' };
  const matrix = await readStored(p, source);
  const joined = await barcodeLabels(matrix.cells, p, NAME, context);
  return {
    ...matrix,
    ...(joined === undefined ? {} : { labels: joined.labels }),
    otherLayers: [],
    files: joined === undefined ? [source.file] : [source.file, joined.file],
  };
}

export const tenxH5 = defineExpressionReader<TenxH5Params>({
  name: NAME,
  description: "Cells × genes from CellRanger's HDF5 matrix (gene expression features only), labelled by a CSV joined on barcode",
  params: tenxH5Params,
  files: (p, context) => [p.path, ...(p.labels === undefined ? [] : [p.labels])].map((path) => resolveDataPath(path, context)),
  read: readTenxH5,
});
