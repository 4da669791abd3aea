// HDF5 files (AnnData's .h5ad, CellRanger's .h5) read with h5wasm: opened after a signature check, numbers read in bounded slices, dense and sparse matrices as compressed sparse rows, AnnData dataframe columns.
import { open } from 'node:fs/promises';
import type { Dataset, Group, OutputData } from 'h5wasm/node';

type H5wasm = typeof import('h5wasm/node');
/**
 * h5wasm, loaded by the first file opened: instantiating its wasm build costs ~600 MB of resident memory,
 * which every process that only imports the dataset registry (a sweep of images, a worker) would otherwise pay.
 */
let loaded: H5wasm | undefined;

/** The loaded module; every caller runs inside `withHdf5`, which loads it first. */
function h5(): H5wasm {
  if (loaded === undefined) throw new Error('h5wasm is used before withHdf5 loaded it');
  return loaded;
}
import { TokbenchError } from '../../harness/errors.js';
import { entrySorter, indexArray, resized, sameType, storeIndices, ValueColumn, type IndexArray, type ValueArray } from './compact-arrays.js';

/** Values per read: bounds the wasm heap and the garbage one read makes (4 MB of float32) whatever the dataset's size; larger slices were no faster. */
const SLICE = 1 << 20;

/** The 8 bytes every HDF5 file starts with, after its user block if it has one. */
const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A file being read: its resolved path and the dataset parameter that named it, the path of every error. */
export interface Hdf5Source {
  readonly file: string;
  readonly param: string;
}

/** Whether `file` holds the HDF5 signature at byte 0 or at 512, 1024, 2048, … (where a user block moves it). */
async function hasSignature(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(SIGNATURE.length);
    for (let offset = 0; offset + SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      await handle.read(bytes, 0, bytes.length, offset);
      if (bytes.equals(SIGNATURE)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Throws unless `file` is a readable HDF5 file. Checked here because h5wasm, given a file that is not HDF5,
 * prints the library's diagnostics and returns a file that fails later instead of throwing. `expected` names the format.
 */
async function checkSignature({ file, param }: Hdf5Source, expected: string): Promise<void> {
  const found = await hasSignature(file).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TokbenchError('input', `cannot read data file ${file} (${reason})`, [param]);
  });
  if (!found) throw new TokbenchError('input', `${file}: found no HDF5 signature; expected ${expected}, an HDF5 file`, [param]);
}

/** `read(root)` on the open file, closed afterwards whatever happens; `expected` names the format for a file that is not HDF5. */
export async function withHdf5<T>(source: Hdf5Source, expected: string, read: (root: Group) => T): Promise<T> {
  await checkSignature(source, expected);
  loaded ??= await import('h5wasm/node');
  await loaded.default.ready;
  const root = new loaded.default.File(source.file, 'r');
  try {
    return read(root);
  } finally {
    root.close();
  }
}

/** The dataset or group at `path` under `group`; undefined when absent (a link or a named type counts as absent). */
export function entityAt(group: Group, path: string): Dataset | Group | undefined {
  const entity = group.get(path);
  return entity instanceof h5().default.Dataset || entity instanceof h5().default.Group ? entity : undefined;
}

/** Names of the members of the group at `path`; empty when there is none. */
export function memberNames(group: Group, path: string): string[] {
  const entity = entityAt(group, path);
  return entity instanceof h5().default.Group ? entity.keys() : [];
}

/** The group at `path`; `expected` finishes the error when it is absent or a dataset ("expected AnnData's obs dataframe"). */
export function groupAt(group: Group, path: string, source: Hdf5Source, expected: string): Group {
  const entity = entityAt(group, path);
  if (entity instanceof h5().default.Group) return entity;
  const found = entity === undefined ? 'nothing' : 'a dataset';
  throw new TokbenchError('input', `${source.file}: found ${found} at '${path}'; expected a group, ${expected}`, [source.param]);
}

/** The dataset at `path`, as `groupAt`. */
export function datasetAt(group: Group, path: string, source: Hdf5Source, expected: string): Dataset {
  const entity = entityAt(group, path);
  if (entity instanceof h5().default.Dataset) return entity;
  const found = entity === undefined ? 'nothing' : 'a group';
  throw new TokbenchError('input', `${source.file}: found ${found} at '${path}'; expected a dataset, ${expected}`, [source.param]);
}

/** An attribute's value; h5wasm gives a scalar attribute as a one-element array, unwrapped here. */
function attributeValue(entity: Dataset | Group, name: string): OutputData | undefined {
  const value = name in entity.attrs ? entity.attrs[name].value : null;
  return Array.isArray(value) && value.length === 1 ? value[0] : (value ?? undefined);
}

/** A string attribute (AnnData's `encoding-type`, `_index`), undefined when absent or not a string. */
export function stringAttribute(entity: Dataset | Group, name: string): string | undefined {
  const value = attributeValue(entity, name);
  return typeof value === 'string' ? value : undefined;
}

/** A numeric attribute as numbers (AnnData's `shape`, stored as int64); undefined when absent or not numeric. */
function numberAttribute(entity: Dataset | Group, name: string): number[] | undefined {
  const value = name in entity.attrs ? entity.attrs[name].value : null;
  return isBigIntArray(value) || isNumberArray(value) ? Array.from(value, Number) : undefined;
}

function isBigIntArray(value: unknown): value is BigInt64Array | BigUint64Array {
  return value instanceof BigInt64Array || value instanceof BigUint64Array;
}

function isNumberArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !isBigIntArray(value);
}

/** A read slice as numbers: int64 (indptr, counts, obs columns) converted, anything but numbers refused. */
function asNumbers(value: OutputData | null, dataset: Dataset, source: Hdf5Source): ArrayLike<number> {
  if (isNumberArray(value)) return value;
  if (isBigIntArray(value)) return Float64Array.from(value, Number);
  throw new TokbenchError('input', `${source.file}: found ${JSON.stringify(dataset.dtype)} values in '${dataset.path}'; expected numbers`, [source.param]);
}

/** Elements [0, end) of a 1-D numeric dataset, one bounded slice at a time: `store(slice, position of its first element)`. */
function readSlices(dataset: Dataset, end: number, source: Hdf5Source, store: (values: ArrayLike<number>, at: number) => void): void {
  for (let from = 0; from < end; from += SLICE) store(asNumbers(dataset.slice([[from, Math.min(end, from + SLICE)]]), dataset, source), from);
}

/** The length of a 1-D dataset; refuses any other rank. */
function lengthOf(dataset: Dataset, source: Hdf5Source): number {
  const shape = dataset.shape ?? [];
  if (shape.length !== 1) throw new TokbenchError('input', `${source.file}: found '${dataset.path}' of shape [${shape.join(', ')}]; expected a 1-D array`, [source.param]);
  return shape[0];
}

/** A whole 1-D numeric dataset as float64 (exact for int64 values below 2⁵³). */
export function numbers(dataset: Dataset, source: Hdf5Source): Float64Array {
  const values = new Float64Array(lengthOf(dataset, source));
  readSlices(dataset, values.length, source, (slice, at) => values.set(slice, at));
  return values;
}

/** A whole 1-D dataset of strings (variable or fixed length, padding dropped by h5wasm); numbers are written out. */
export function strings(dataset: Dataset, source: Hdf5Source): string[] {
  lengthOf(dataset, source);
  const value = dataset.value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return Array.from(asNumbers(value, dataset, source), String);
}

/**
 * A cells × genes block as compressed sparse rows: row r's non-zeros at `[indptr[r], indptr[r+1])`, gene columns
 * strictly ascending. `rows` × `cols` is what was read: the whole matrix, or a leading block of a bounded read.
 * Indices and values are as compact as `cols` and the values allow (compact-arrays.ts).
 */
export interface CsrBlock {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Float64Array;
  readonly indices: IndexArray;
  readonly data: ValueArray;
}

/** Where a matrix is, for messages: `name` as the reader calls it ("layer 'X'"). */
export interface MatrixSource extends Hdf5Source {
  readonly name: string;
}

function badMatrix(source: MatrixSource, found: string, expected: string): TokbenchError {
  return new TokbenchError('input', `${source.file}: found ${found} in ${source.name}; expected ${expected}`, [source.param]);
}

/**
 * A compressed sparse group (`indptr`, `indices`, `data`) whose `indptr` runs over `majors` (the stored matrix's
 * rows or columns, as `across` says, for messages) with indices below `minors`, exactly as stored: the block holds
 * its compressed axis as rows. With `limit`, only the leading majors whose values fit in `limit` (at least one) are
 * read. Each slice is checked and stored straight into compact arrays: the indices' width is `minors` (cells, for
 * a CSC matrix), so no int32 or float32 copy of the whole matrix is ever made.
 */
function readCompressed(group: Group, majors: number, minors: number, across: 'rows' | 'columns', source: MatrixSource, limit?: number): CsrBlock {
  const part = (name: string) => datasetAt(group, name, source, `a sparse matrix's '${name}' array in ${source.name}`);
  const fullIndptr = numbers(part('indptr'), source);
  if (fullIndptr.length !== majors + 1) throw badMatrix(source, `an indptr of ${fullIndptr.length} entries`, `${majors + 1} (one more than the compressed axis)`);
  let rows = majors;
  if (limit !== undefined) while (rows > 1 && fullIndptr[rows] > limit) rows--;
  const indptr = rows === majors ? fullIndptr : fullIndptr.slice(0, rows + 1);
  const size = indptr[rows];
  if (indptr[0] !== 0) throw badMatrix(source, `indptr[0] = ${indptr[0]}`, 'indptr to start at 0');
  for (let r = 0; r < rows; r++) {
    if (!(indptr[r] <= indptr[r + 1])) throw badMatrix(source, `indptr[${r}] = ${indptr[r]} and indptr[${r + 1}] = ${indptr[r + 1]}`, 'indptr never to decrease');
  }
  const indicesSet = part('indices');
  const dataSet = part('data');
  const stored = Math.min(lengthOf(indicesSet, source), lengthOf(dataSet, source));
  if (size > stored) throw badMatrix(source, `indptr ending at ${size} but ${stored} stored values`, 'indptr to end within indices and data');
  const indices = indexArray(minors, size);
  readSlices(indicesSet, size, source, (slice, at) => {
    const bad = storeIndices(indices, slice, at, minors);
    if (bad < 0) return;
    let major = 0;
    while (indptr[major + 1] <= at + bad) major++;
    const [index, along] = across === 'rows' ? ['column', 'row'] : ['row', 'column'];
    throw badMatrix(source, `${index} index ${slice[bad]} in ${along} ${major}`, `indices in 0..${minors - 1}`);
  });
  const data = new ValueColumn(size);
  readSlices(dataSet, size, source, (slice, at) => data.setAll(slice, at));
  return { rows, cols: minors, indptr, indices, data: data.values };
}

/**
 * `block` with its column indices renumbered by `columnOf` (−1: left out; increasing over kept columns, so it keeps
 * order) and every row put in strictly ascending column order. scipy writes a row's indices in any order (anndata
 * saves them as they are), so an unsorted row is sorted with its values; a column stored twice in one row (a
 * non-canonical matrix, whose entries scipy would sum) is refused rather than guessed. Works in place: a renumbered
 * column is never above the stored one, so it fits the block's index type.
 */
function canonicalRows(block: CsrBlock, source: MatrixSource, columnOf?: Int32Array): CsrBlock {
  const { rows, indptr, indices, data } = block;
  const cols = columnOf === undefined ? block.cols : columnOf.reduce((kept, column) => (column >= 0 ? kept + 1 : kept), 0);
  const sort = entrySorter(cols);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const start = at;
    let sorted = true;
    for (let k = indptr[r]; k < indptr[r + 1]; k++) {
      const column = columnOf === undefined ? indices[k] : columnOf[indices[k]];
      if (column < 0) continue;
      if (at > start && column <= indices[at - 1]) sorted = false;
      indices[at] = column;
      data[at++] = data[k];
    }
    indptr[r] = start;
    const twice = sorted ? -1 : sort(indices, data, start, at);
    if (twice >= 0) throw badMatrix(source, `column ${twice} stored twice in row ${r}`, 'each column once per row (a canonical sparse matrix: scipy sum_duplicates())');
  }
  indptr[rows] = at;
  return at === indices.length ? { ...block, cols } : { rows, cols, indptr, indices: indices.slice(0, at), data: data.slice(0, at) };
}

/**
 * The CSR of a CSC block (its rows are the matrix's columns, its indices cells, checked on read), by counting
 * sort: no dense matrix, rows come out ascending. The indices become genes, so their width is the block's rows;
 * the values keep their type.
 */
function transpose(csc: CsrBlock): CsrBlock {
  const rows = csc.cols;
  const indptr = new Float64Array(rows + 1);
  for (const row of csc.indices) indptr[row + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  const next = indptr.slice(0, rows);
  const indices = indexArray(csc.rows, csc.indices.length);
  const data = sameType(csc.data, csc.data.length);
  for (let column = 0; column < csc.rows; column++) {
    for (let k = csc.indptr[column]; k < csc.indptr[column + 1]; k++) {
      const at = next[csc.indices[k]]++;
      indices[at] = column;
      data[at] = csc.data[k];
    }
  }
  return { rows, cols: csc.rows, indptr, indices, data };
}

/** A dense 2-D dataset's non-zeros, read block of rows by block of rows, so only one block is ever dense. */
function readDense(dataset: Dataset, source: MatrixSource, limit?: number): CsrBlock {
  const [allRows, cols] = dataset.shape ?? [];
  const rows = limit === undefined ? allRows : Math.min(allRows, Math.max(1, Math.ceil(limit / cols)));
  const indptr = new Float64Array(rows + 1);
  let indices = indexArray(cols, Math.min(rows * cols, SLICE));
  const data = new ValueColumn(indices.length);
  let size = 0;
  const step = Math.max(1, Math.floor(SLICE / cols));
  for (let from = 0; from < rows; from += step) {
    const to = Math.min(rows, from + step);
    const values = asNumbers(dataset.slice([[from, to], []]), dataset, source);
    if (size + values.length > indices.length) {
      const grown = Math.max(2 * indices.length, size + values.length);
      indices = resized(indices, grown);
      data.resize(grown);
    }
    for (let r = from; r < to; r++) {
      const offset = (r - from) * cols;
      for (let c = 0; c < cols; c++) {
        const value = values[offset + c];
        if (value === 0) continue;
        indices[size] = c;
        data.set(size++, value);
      }
      indptr[r + 1] = size;
    }
  }
  return { rows, cols, indptr, indices: indices.slice(0, size), data: data.values.slice(0, size) };
}

/** The sparse layout of a group (anndata's `encoding-type`, or `h5sparse_format` of files before anndata 0.7) and its shape. */
function sparseLayout(group: Group, source: MatrixSource): { readonly format: 'csr' | 'csc'; readonly shape: readonly [number, number] } {
  const encoding = stringAttribute(group, 'encoding-type') ?? stringAttribute(group, 'h5sparse_format');
  const format = encoding === 'csr_matrix' || encoding === 'csr' ? 'csr' : encoding === 'csc_matrix' || encoding === 'csc' ? 'csc' : undefined;
  if (format === undefined) throw badMatrix(source, `a group of encoding '${encoding ?? 'none'}'`, 'a dense array or a csr_matrix or csc_matrix group');
  const shape = numberAttribute(group, 'shape') ?? numberAttribute(group, 'h5sparse_shape');
  if (shape?.length !== 2) throw badMatrix(source, `a ${format} group with shape attribute ${JSON.stringify(shape ?? null)}`, 'a shape of two numbers (rows, columns)');
  return { format, shape: [shape[0], shape[1]] };
}

/**
 * The matrix stored at `entity` as CSR: a dense 2-D dataset (by blocks of rows), a CSR group, or a CSC group
 * (transposed by counting, never densified). With `limit`, a leading block holding about that many values:
 * the first rows of CSR and dense matrices, the first columns (all rows) of CSC ones, for a cheap look.
 */
export function readMatrix(entity: Dataset | Group, source: MatrixSource, limit?: number): CsrBlock {
  if (entity instanceof h5().default.Dataset) {
    const shape = entity.shape ?? [];
    if (shape.length !== 2) throw badMatrix(source, `an array of shape [${shape.join(', ')}]`, 'a 2-D array or a sparse group');
    return readDense(entity, source, limit);
  }
  const { format, shape } = sparseLayout(entity, source);
  if (format === 'csr') return canonicalRows(readCompressed(entity, shape[0], shape[1], 'rows', source, limit), source);
  return canonicalRows(transpose(readCompressed(entity, shape[1], shape[0], 'columns', source, limit)), source);
}

/**
 * A compressed group whose `indptr` runs over cells and whose indices are genes (CellRanger's features ×
 * barcodes CSC is exactly this) as CSR, the gene columns renumbered by `columnOf` (−1: left out).
 */
export function readCellRows(group: Group, cells: number, genes: number, source: MatrixSource, columnOf: Int32Array): CsrBlock {
  return canonicalRows(readCompressed(group, cells, genes, 'columns', source), source, columnOf);
}

/** A dataframe column: labels (strings, categories; undefined where missing) or numbers (NaN where missing). */
export type FrameColumn = { readonly kind: 'labels'; readonly values: readonly (string | undefined)[] } | { readonly kind: 'numbers'; readonly values: Float64Array };

/** The dataframe's index dataset: the one its `_index` attribute names (anndata's default `_index`). */
export function frameIndex(frame: Group, source: Hdf5Source): string[] {
  const name = stringAttribute(frame, '_index') ?? '_index';
  return strings(datasetAt(frame, name, source, `the index of dataframe '${frame.path}' (its _index attribute)`), source);
}

/** The dataframe's column names: its members but the index and the categories of anndata < 0.8. */
export function frameColumnNames(frame: Group): string[] {
  const index = stringAttribute(frame, '_index') ?? '_index';
  return frame.keys().filter((key) => key !== index && key !== '__categories');
}

/** Codes into categories; a negative code (pandas' −1) is a missing value. */
function decode(codes: Float64Array, categories: readonly string[], where: string, source: Hdf5Source): (string | undefined)[] {
  return Array.from(codes, (code) => {
    if (code >= categories.length) throw new TokbenchError('input', `${source.file}: found code ${code} in '${where}'; expected codes below its ${categories.length} categories`, [source.param]);
    return code < 0 ? undefined : categories[code];
  });
}

/** Values with anndata's `mask` (true: missing) applied. */
function masked(group: Group, source: Hdf5Source, labels: boolean): FrameColumn {
  const part = (name: string) => datasetAt(group, name, source, `a nullable column's '${name}' array`);
  const mask = numbers(part('mask'), source);
  if (labels) return { kind: 'labels', values: strings(part('values'), source).map((value, i) => (mask[i] ? undefined : value)) };
  return { kind: 'numbers', values: numbers(part('values'), source).map((value, i) => (mask[i] ? NaN : value)) };
}

/**
 * Column `name` of a dataframe group: a categorical as anndata ≥ 0.8 writes it (a group of `codes` and
 * `categories`) or as older anndata did (a codes dataset whose `categories` attribute references
 * `__categories/<name>`), a nullable column (`values` and `mask`), strings or numbers. The caller has
 * checked that the column exists.
 */
export function frameColumn(frame: Group, name: string, source: Hdf5Source): FrameColumn {
  const where = `${frame.path}/${name}`.replace(/^\/+/, '');
  const entity = entityAt(frame, name);
  if (entity instanceof h5().default.Group) {
    const encoding = stringAttribute(entity, 'encoding-type');
    if (encoding === 'categorical') {
      const categories = strings(datasetAt(entity, 'categories', source, `the categories of '${where}'`), source);
      return { kind: 'labels', values: decode(numbers(datasetAt(entity, 'codes', source, `the codes of '${where}'`), source), categories, where, source) };
    }
    if (encoding === 'nullable-integer' || encoding === 'nullable-boolean') return masked(entity, source, false);
    if (encoding === 'nullable-string-array') return masked(entity, source, true);
    throw new TokbenchError('input', `${source.file}: found a column '${where}' of encoding '${encoding ?? 'none'}'; expected a categorical, nullable, string or numeric column`, [source.param]);
  }
  if (entity === undefined) throw new TokbenchError('input', `${source.file}: found no column '${where}'; expected a dataframe column`, [source.param]);
  const reference = attributeValue(entity, 'categories');
  if (reference instanceof h5().Reference) {
    const categories = entity.dereference(reference);
    if (!(categories instanceof h5().default.Dataset)) throw new TokbenchError('input', `${source.file}: found a 'categories' reference of '${where}' that leads to no dataset; expected its __categories array`, [source.param]);
    return { kind: 'labels', values: decode(numbers(entity, source), strings(categories, source), where, source) };
  }
  lengthOf(entity, source);
  const value = entity.value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return { kind: 'labels', values: value };
  return { kind: 'numbers', values: Float64Array.from(asNumbers(value, entity, source)) };
}
