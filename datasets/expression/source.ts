// The pipeline every expression reader shares: values checked and their kind named, cells and genes filtered as scanpy's filter_cells / filter_genes, the seeded split (validation carved from training), Seurat HVGs, sparse samples.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { canonicalJson } from '../../harness/grid/canonical-json.js';
import { TokbenchError } from '../../harness/errors.js';
import { sortLabels, untrained } from '../sequence/assemble.js';
import { onceWhileUnchanged } from '../parsed-files.js';
import { splitParams, splitRows } from '../split-params.js';
import { valFractionOf } from '../split.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, ExpressionSample, LoadedDataset, Split } from '../types.js';
import type { CellMatrix } from './cell-matrix.js';
import { indexArray, sameType, type IndexArray, type ValueArray } from './compact-arrays.js';
import { highlyVariableGenes } from './hvg.js';
import { cellAt, LOG1P_MAX, valuesKind } from './values-kind.js';

/** The parameters every expression reader takes, spread into its `strictObject` beside its own. */
export const expressionSourceParams = {
  label_column: z
    .string()
    .min(1)
    .optional()
    .describe("Where each cell's label is: an obs column (h5ad), a column of the labels file (10x), a column of the table (expression-csv). Cells without a label are dropped and counted; absent: the source is unlabelled (tokenize and `classify: none` only)."),
  hvg: z
    .int()
    .min(1)
    .optional()
    .describe("Keep only the N most highly variable genes, by Seurat's normalised dispersion (scanpy's flavor 'seurat') of log-normalised values over the training cells; the other genes are dropped from both splits. Refused on scaled values."),
  min_genes: z.int().min(0).default(0).describe('Drop cells with fewer genes above zero than this (scanpy filter_cells(min_genes)); counted. 0 drops nothing.'),
  min_cells: z.int().min(0).default(0).describe('After the cell filters, drop genes above zero in fewer cells than this (scanpy filter_genes(min_cells)); counted. 0 drops nothing.'),
  values: z
    .enum(['auto', 'counts', 'normalised', 'log1p', 'scaled'])
    .default('auto')
    .describe(
      `What the stored values are. auto detects it: any negative value → scaled; all integers → counts; otherwise log1p when the largest value is at most ${LOG1P_MAX} (log1p of counts per 10k stays below 9.3, per million below 13.9), else normalised. A kind the data contradicts (counts with a non-integer, anything but scaled with a negative) is refused.`,
    ),
  ...splitParams('cells'),
};

export type ExpressionSourceParams = z.output<z.ZodObject<typeof expressionSourceParams>>;

/** What a reader supplies: its files and its matrix as the file holds it; the pipeline does the rest. */
export interface ExpressionReader<P extends ExpressionSourceParams> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  /** Resolved data files (resolveDataPath from datasets/paths.ts), for the cache key and the data hash. */
  files(params: P, context?: DatasetContext): readonly string[];
  /** The cells × genes matrix as stored, with labels when `label_column` names them. */
  read(params: P, context?: DatasetContext): Promise<CellMatrix>;
}

/** The loaded data and the shape `describe` reports, from one build. */
interface Built {
  readonly data: LoadedDataset<'expression'>;
  readonly shape: DatasetShape<'expression'>;
}

/** Compressed sparse rows: row r's non-zeros at `[indptr[r], indptr[r+1])`, as compact as the reader made them. */
interface Csr {
  readonly indptr: Float64Array;
  readonly indices: IndexArray;
  readonly data: ValueArray;
}

/** Cells kept (matrix rows, ascending) and why the others went, in the order the checks run. */
interface KeptCells {
  readonly rows: Int32Array;
  readonly dropped: { empty: number; unlabelled: number; minGenes: number };
  /** Whether the kept rows hold stored zeros, which the samples leave out. */
  readonly storedZeros: boolean;
}

/**
 * Cells in scanpy's order: no value other than zero (always dropped: a cell with no counts has no library
 * to normalise by), then no label in a labelled source, then fewer than `min_genes` genes above zero. "Above
 * zero" is scanpy's test (`X > 0`); on scaled data it counts values above each gene's mean, as there.
 */
function keepCells(matrix: CellMatrix, minGenes: number): KeptCells {
  const { indptr, data, labels } = matrix;
  const dropped = { empty: 0, unlabelled: 0, minGenes: 0 };
  const rows: number[] = [];
  let storedZeros = false;
  for (let cell = 0; cell + 1 < indptr.length; cell++) {
    let nonZero = 0;
    let detected = 0;
    for (let k = indptr[cell]; k < indptr[cell + 1]; k++) {
      if (data[k] !== 0) nonZero++;
      if (data[k] > 0) detected++;
    }
    if (nonZero === 0) dropped.empty++;
    else if (labels !== undefined && labels[cell] === undefined) dropped.unlabelled++;
    else if (detected < minGenes) dropped.minGenes++;
    else {
      rows.push(cell);
      storedZeros ||= nonZero < indptr[cell + 1] - indptr[cell];
    }
  }
  return { rows: Int32Array.from(rows), dropped, storedZeros };
}

/** New column of each gene of `csr` (−1 when dropped): those above zero in at least `minCells` of `rows`. */
function keepGenes(csr: Csr, rows: Int32Array, genes: number, minCells: number): Int32Array {
  const cellsWith = new Int32Array(genes);
  if (minCells > 0) {
    for (const row of rows) {
      for (let k = csr.indptr[row]; k < csr.indptr[row + 1]; k++) if (csr.data[k] > 0) cellsWith[csr.indices[k]]++;
    }
  }
  let next = 0;
  return cellsWith.map((cells) => (cells >= minCells ? next++ : -1));
}

/**
 * The rows `rows` of `csr` with genes renumbered by `column` (−1: dropped) and stored zeros left out, in one new
 * CSR: values keep their type, indices take the narrowest type for the genes kept.
 */
function compact(csr: Csr, rows: Int32Array, column: Int32Array): Csr {
  const kept = (k: number) => csr.data[k] !== 0 && column[csr.indices[k]] >= 0;
  let size = 0;
  for (const row of rows) for (let k = csr.indptr[row]; k < csr.indptr[row + 1]; k++) if (kept(k)) size++;
  const indptr = new Float64Array(rows.length + 1);
  const indices = indexArray(column.reduce((genes, c) => Math.max(genes, c + 1), 0), size);
  const data = sameType(csr.data, size);
  let at = 0;
  rows.forEach((row, i) => {
    for (let k = csr.indptr[row]; k < csr.indptr[row + 1]; k++) {
      if (!kept(k)) continue;
      indices[at] = column[csr.indices[k]];
      data[at++] = csr.data[k];
    }
    indptr[i + 1] = at;
  });
  return { indptr, indices, data };
}

/**
 * Each kept cell's library size: the source's own (`total_column`) when it has one, else the sum of its
 * stored values over the file's whole panel. Taken before any gene is dropped because Geneformer and
 * log-normalisation divide by the cell's whole library, not by what a gene filter left of it.
 */
function librarySizes(matrix: CellMatrix, rows: Int32Array, dataset: string): Float64Array {
  const { indptr, data, librarySizes: given } = matrix;
  return Float64Array.from(rows, (row) => {
    if (given === undefined) {
      let sum = 0;
      for (let k = indptr[row]; k < indptr[row + 1]; k++) sum += data[k];
      return sum;
    }
    const size = given[row];
    if (!(Number.isFinite(size) && size > 0)) {
      throw new TokbenchError('input', `${dataset}: found library size ${size} for ${cellAt(matrix, row)} in ${matrix.origin}; expected a positive finite number`, ['path']);
    }
    return size;
  });
}

/** Row i of `csr` as a sample whose genes and values are views into it. */
function samplesOf(csr: Csr, libraries: Float64Array): ExpressionSample[] {
  return Array.from(libraries, (librarySize, i) => ({
    genes: csr.indices.subarray(csr.indptr[i], csr.indptr[i + 1]),
    counts: csr.data.subarray(csr.indptr[i], csr.indptr[i + 1]),
    librarySize,
  }));
}

function side(samples: readonly ExpressionSample[], positions: Int32Array, labels: Int32Array, rows: Int32Array): Split<'expression'> {
  return {
    samples: Array.from(positions, (i) => samples[i]),
    labels: Int32Array.from(positions, (i) => labels[i]),
    index: Int32Array.from(positions, (i) => rows[i]),
  };
}

/**
 * From the matrix a reader read to the loaded dataset and its shape: values, cells, genes, library sizes, labels and split
 * (with `context.valFraction` of the training cells carved into the validation split), HVGs, samples.
 */
function assembleCells(dataset: string, matrix: CellMatrix, params: ExpressionSourceParams, files: readonly string[], context: DatasetContext | undefined): Built {
  const { kind, source } = valuesKind(matrix, params.values, dataset);
  if (params.hvg !== undefined && kind === 'scaled') {
    throw new TokbenchError(
      'input',
      `The 'hvg' parameter of ${dataset} needs values it can log-normalise: found scaled values (${source}); expected counts, normalised or log1p values, because Seurat's dispersion is taken on log-normalised expression`,
      ['hvg'],
    );
  }
  const cells = keepCells(matrix, params.min_genes);
  const { rows } = cells;
  if (rows.length === 0) {
    const { empty, unlabelled, minGenes } = cells.dropped;
    const why = `${empty} without values, ${unlabelled} without a label, ${minGenes} with fewer genes than min_genes: ${params.min_genes}`;
    // The filter that emptied the data is where to look, when it is one.
    const at = minGenes > 0 ? 'min_genes' : 'path';
    throw new TokbenchError('input', `${dataset}: found no cell to keep among the ${matrix.cells.length} of ${matrix.origin} (${why}); expected at least one`, [at]);
  }
  const libraries = librarySizes(matrix, rows, dataset);
  const column = keepGenes(matrix, rows, matrix.genes.length, params.min_cells);
  const minCells = column.filter((c) => c < 0).length;
  // The reader's arrays serve as they are unless a cell, a gene or a stored zero has to go.
  const untouched = rows.length === matrix.cells.length && minCells === 0 && !cells.storedZeros;
  let csr = untouched ? matrix : compact(matrix, rows, column);
  let genes = matrix.genes.filter((_, g) => column[g] >= 0);
  let samples = samplesOf(csr, libraries);

  // Labels: class names sorted; an unlabelled source is one stratum and every label −1.
  const named = matrix.labels;
  const classNames = named === undefined ? [] : sortLabels([...new Set(Array.from(rows, (row) => named[row] as string))]);
  const classOf = new Map(classNames.map((name, c) => [name, c]));
  const labels = named === undefined ? new Int32Array(rows.length).fill(-1) : Int32Array.from(rows, (row) => classOf.get(named[row] as string) as number);
  const strata = named === undefined ? new Int32Array(rows.length) : labels;
  const positions = splitRows(dataset, 'cells', { labels: strata, where: matrix.origin }, undefined, params, context);

  if (params.hvg !== undefined && params.hvg > genes.length) {
    const panel = minCells > 0 ? `the ${genes.length} genes left after min_cells` : `the ${genes.length} genes of ${matrix.origin}`;
    throw new TokbenchError('invalid-param', `The 'hvg' parameter of ${dataset} must be at most ${panel}; got ${params.hvg} instead.`, ['hvg']);
  }
  // Genes vary over the training cells only (validation carved out already), so neither the validation nor the test cells shape the panel.
  let notVariable = 0;
  if (params.hvg !== undefined) {
    const chosen = highlyVariableGenes(Array.from(positions.train, (i) => samples[i]), genes.length, kind, params.hvg);
    notVariable = genes.length - chosen.length;
    if (notVariable > 0) {
      const renumbered = new Int32Array(genes.length).fill(-1);
      chosen.forEach((g, c) => (renumbered[g] = c));
      csr = compact(csr, Int32Array.from(rows, (_, i) => i), renumbered);
      genes = Array.from(chosen, (g) => genes[g]);
      samples = samplesOf(csr, libraries);
    }
  }

  const info = { genes, values: kind, valuesSource: source };
  const train = side(samples, positions.train, labels, rows);
  const validation = side(samples, positions.validation, labels, rows);
  const test = side(samples, positions.test, labels, rows);
  return {
    data: { modality: 'expression', info, classNames, train, validation, test },
    shape: {
      info,
      trainSize: train.samples.length,
      validationSize: validation.samples.length,
      testSize: test.samples.length,
      classes: classNames.length,
      files,
      cellsDropped: cells.dropped,
      genesDropped: { minCells, notVariable },
      labelled: named !== undefined,
      ...(named === undefined ? {} : { untrainedClasses: untrained(train.labels, test.labels) }),
    },
  };
}

/** The files' sizes and mtimes; a missing file stamps as such and its reader reports it. */
async function stampOf(files: readonly string[]): Promise<string> {
  const stats = await Promise.all(files.map((file) => stat(file).then(({ size, mtimeMs }) => `${size}:${mtimeMs}`, () => 'missing')));
  return stats.join('\0');
}

/**
 * One build by reader, canonical params, base folder and validation share, rebuilt when a file changed size or mtime.
 * Another validation share reads the files again: it changes the training cells and so the HVGs.
 */
async function buildOnce<P extends ExpressionSourceParams>(reader: ExpressionReader<P>, params: P, context?: DatasetContext): Promise<Built> {
  const files = reader.files(params, context);
  const key = ['expression-source', reader.name, canonicalJson(params), context?.baseDir ?? '', valFractionOf(context), ...files].join('\0');
  return onceWhileUnchanged(key, await stampOf(files), () => reader.read(params, context).then((matrix) => assembleCells(reader.name, matrix, params, files, context)));
}

/**
 * An expression reader's dataset definition: `describe` and `load` share one build per process, so the shape is
 * exactly what `load` gives. Defaults change nothing but dropping cells with no values: no normalisation, no
 * filter, no gene selection unless the params ask.
 */
export function defineExpressionReader<P extends ExpressionSourceParams>(reader: ExpressionReader<P>): DatasetDefinition<'expression', P> {
  return {
    name: reader.name,
    modality: 'expression',
    description: reader.description,
    params: reader.params,
    describe: async (params, context) => (await buildOnce(reader, params, context)).shape,
    load: async (params, context) => (await buildOnce(reader, params, context)).data,
  };
}
