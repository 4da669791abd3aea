// AnnData .h5ad files (anndata ≥ 0.7, and the h5sparse / __categories encodings of older files), read with h5wasm as anndata.read_h5ad reads them: one layer's cells × genes matrix, gene names from var, labels and library sizes from obs.
import { basename } from 'node:path';
import { z } from 'zod';
import type { Dataset, Group } from 'h5wasm/node';
import { TokbenchError } from '../../harness/errors.js';
import { columnIndex } from '../csv-table.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams } from '../split-params.js';
import type { DatasetContext } from '../types.js';
import type { CellMatrix } from './cell-matrix.js';
import { entityAt, frameColumn, frameColumnNames, frameIndex, groupAt, memberNames, readMatrix, withHdf5, type FrameColumn, type Hdf5Source } from './hdf5-file.js';
import { defineExpressionReader, expressionSourceParams } from './source.js';
import { valuesKind } from './values-kind.js';

const NAME = 'h5ad';

export const h5adParams = z
  .strictObject({
    path: z.string().min(1).describe("The .h5ad file, relative to the sweep file's folder."),
    layer: z
      .string()
      .min(1)
      .default('X')
      .describe('Which values to read: `X` (default), `raw` (raw/X, with the gene names of raw/var), or the name of a matrix under `layers/`. Dense, CSR or CSC; a sparse one is never densified.'),
    gene_column: z
      .string()
      .min(1)
      .optional()
      .describe("A var column (raw/var's with `layer: raw`) holding the gene names, e.g. `gene_symbols`; default: var's index."),
    total_column: z
      .string()
      .min(1)
      .optional()
      .describe("A numeric obs column holding each cell's library size (e.g. `n_counts`, the total before genes were subset); default: the sum of the cell's stored values."),
    ...expressionSourceParams,
  })
  .superRefine(checkSplitParams(NAME));
export type H5adParams = z.infer<typeof h5adParams>;

/** Stored values a look at another layer reads: enough to tell counts from log1p, cheap for any file size. */
const SAMPLE_VALUES = 10_000;

/** A value layer of the file: the `layer` param that picks it, where its matrix is, and the dataframe naming its genes. */
interface Layer {
  readonly param: string;
  readonly path: string;
  readonly matrix: Dataset | Group;
  readonly var: string;
}

/** The layers the file holds, in anndata's order: X, raw/X, then layers/ by name. */
function layersOf(root: Group): Layer[] {
  const places = [
    { param: 'X', path: 'X', var: 'var' },
    { param: 'raw', path: 'raw/X', var: 'raw/var' },
    ...memberNames(root, 'layers').map((name) => ({ param: name, path: `layers/${name}`, var: 'var' })),
  ];
  return places.flatMap((place) => {
    const matrix = entityAt(root, place.path);
    return matrix === undefined ? [] : [{ ...place, matrix }];
  });
}

/** Column `name` of `frame` (obs or var) for `param`, checked to hold `length` values; an unknown name lists the columns the frame has. */
function namedColumn(frame: Group, name: string, param: string, length: number, source: Hdf5Source): FrameColumn {
  const where = `${frame.path.replace(/^\//, '')} in ${source.file}`;
  columnIndex(frameColumnNames(frame), name, param, NAME, where);
  const column = frameColumn(frame, name, source);
  if (column.values.length !== length) throw new TokbenchError('input', `${source.file}: found ${column.values.length} values in column '${name}' of ${where}; expected ${length}, one per row of its index`, [param]);
  return column;
}

/** Labels as text: numbers written out, NaN (a missing value of a nullable column) as none. */
function asLabels(column: FrameColumn): (string | undefined)[] {
  return column.kind === 'labels' ? [...column.values] : Array.from(column.values, (value) => (Number.isNaN(value) ? undefined : String(value)));
}

function geneNames(root: Group, layer: Layer, p: H5adParams, source: Hdf5Source): string[] {
  const frame = groupAt(root, layer.var, source, `the dataframe naming the genes of layer '${layer.param}'`);
  const index = frameIndex(frame, source);
  if (p.gene_column === undefined) return index;
  const names = asLabels(namedColumn(frame, p.gene_column, 'gene_column', index.length, source));
  const missing = names.indexOf(undefined);
  if (missing >= 0) throw new TokbenchError('input', `${source.file}: found no gene name in row ${missing} of var column '${p.gene_column}'; expected a name for every gene`, ['gene_column']);
  return names as string[];
}

function librarySizes(obs: Group, column: string, cells: number, source: Hdf5Source): Float64Array {
  const read = namedColumn(obs, column, 'total_column', cells, source);
  if (read.kind === 'numbers') return read.values;
  throw new TokbenchError('invalid-param', `The 'total_column' parameter of ${NAME} must name a numeric obs column of ${source.file}; got '${column}' instead, which holds text or categories.`, ['total_column']);
}

/**
 * "layer 'raw' (log1p)": what another layer holds, judged by the pipeline's own detection on its first
 * stored values (SAMPLE_VALUES of them), so a refusal can point at a layer that fits. A layer that cannot be
 * looked at (non-finite values, a broken var) is named without its kind: it must never stop the chosen one.
 */
function describeLayer(root: Group, layer: Layer, cells: readonly string[], source: Hdf5Source): string {
  const name = `layer '${layer.param}'`;
  try {
    const genes = frameIndex(groupAt(root, layer.var, source, 'its var dataframe'), source);
    const block = readMatrix(layer.matrix, { ...source, name }, SAMPLE_VALUES);
    const sample: CellMatrix = { ...block, genes: genes.slice(0, block.cols), cells: cells.slice(0, block.rows), origin: name, otherLayers: [], files: [] };
    return `${name} (${valuesKind(sample, 'auto', NAME).kind})`;
  } catch (error) {
    if (error instanceof TokbenchError) return name;
    throw error;
  }
}

/** The chosen layer of the file as stored, with the obs columns the params name; see `h5adParams`. */
export function readH5ad(p: H5adParams, context?: DatasetContext): Promise<CellMatrix> {
  const source = { file: resolveDataPath(p.path, context), param: 'path' };
  return withHdf5(source, 'an AnnData .h5ad file', (root) => {
    const layers = layersOf(root);
    const layer = layers.find((candidate) => candidate.param === p.layer);
    if (layer === undefined) {
      const names = layers.map((candidate) => candidate.param).join(', ') || 'none';
      throw new TokbenchError('invalid-param', `The 'layer' parameter of ${NAME} must name a layer of ${source.file}; got '${p.layer}' instead (layers: ${names}).`, ['layer']);
    }
    const obs = groupAt(root, 'obs', source, "AnnData's obs dataframe (files written before anndata 0.7 store it as a table: re-save them with a newer anndata)");
    const cells = frameIndex(obs, source);
    const genes = geneNames(root, layer, p, source);
    const name = `layer '${layer.param}'`;
    const { indptr, indices, data, rows, cols } = readMatrix(layer.matrix, { ...source, name });
    if (rows !== cells.length || cols !== genes.length) {
      throw new TokbenchError('input', `${source.file}: found ${name} (${layer.path}) of ${rows} × ${cols}; expected ${cells.length} × ${genes.length}, the lengths of obs and ${layer.var}`, ['path']);
    }
    return {
      genes,
      cells,
      indptr,
      indices,
      data,
      ...(p.total_column === undefined ? {} : { librarySizes: librarySizes(obs, p.total_column, cells.length, source) }),
      ...(p.label_column === undefined ? {} : { labels: asLabels(namedColumn(obs, p.label_column, 'label_column', cells.length, source)) }),
      origin: `${name} of ${basename(source.file)}`,
      otherLayers: layers.filter((other) => other !== layer).map((other) => describeLayer(root, other, cells, source)),
      files: [source.file],
    };
  });
}

export const h5ad = defineExpressionReader<H5adParams>({
  name: NAME,
  description: 'Cells × genes from an AnnData .h5ad file (X, raw/X or a layer; dense, CSR or CSC), labelled by an obs column',
  params: h5adParams,
  files: (p, context) => [resolveDataPath(p.path, context)],
  read: readH5ad,
});
