import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm, { type Group } from 'h5wasm/node';
import type { CellMatrix } from '../../../datasets/expression/cell-matrix.js';
import { h5ad, readH5ad } from '../../../datasets/expression/h5ad.js';
import type { ExpressionSample, LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { bySourceRow } from '../split-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-h5ad-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };
const parse = (params: object) => h5ad.params.parse(params);
const read = (params: object) => readH5ad(parse(params), context);

/** Writes an HDF5 file under `dir` with h5wasm; returns its name. */
async function write(name: string, build: (root: Group) => void): Promise<string> {
  await h5wasm.ready;
  const root = new h5wasm.File(join(dir, name), 'w');
  try {
    build(root);
  } finally {
    root.close();
  }
  return name;
}

/** An array gzipped in one chunk, as anndata writes with compression='gzip'. */
function gzipped(group: Group, name: string, data: Int8Array | Int32Array | Float32Array | Float64Array | BigInt64Array, shape = [data.length]) {
  return group.create_dataset({ name, data, shape, compression: 'gzip', chunks: shape });
}

/** A sparse matrix group: anndata ≥ 0.7's attributes, or `old` h5sparse ones (anndata < 0.7). */
function sparse(parent: Group, name: string, format: 'csr' | 'csc', shape: [number, number], parts: { indptr: number[]; indices: number[]; data: number[] }, old = false) {
  const group = parent.create_group(name);
  group.create_attribute(old ? 'h5sparse_format' : 'encoding-type', old ? format : `${format}_matrix`);
  group.create_attribute(old ? 'h5sparse_shape' : 'shape', BigInt64Array.from(shape, BigInt));
  gzipped(group, 'indptr', BigInt64Array.from(parts.indptr, BigInt));
  gzipped(group, 'indices', Int32Array.from(parts.indices));
  gzipped(group, 'data', Float32Array.from(parts.data));
}

/** A dataframe group with its index dataset named by `_index`, as anndata writes obs and var. */
function frame(parent: Group, name: string, index: string[]): Group {
  const group = parent.create_group(name);
  group.create_attribute('_index', '_index');
  group.create_attribute('encoding-type', 'dataframe');
  group.create_dataset({ name: '_index', data: index });
  return group;
}

/** A categorical column as anndata ≥ 0.8 writes it: a group of codes (−1: missing) and categories. */
function categorical(obs: Group, name: string, categories: string[], codes: number[]) {
  const group = obs.create_group(name);
  group.create_attribute('encoding-type', 'categorical');
  group.create_dataset({ name: 'categories', data: categories });
  gzipped(group, 'codes', Int8Array.from(codes));
}

// The matrix of every hand-made file: 4 cells × 3 genes, cell c1 empty.
//   c0: g0 1, g2 2   c1: —   c2: g1 3   c3: g0 4, g1 5, g2 6
const CELLS = ['c0', 'c1', 'c2', 'c3'];
const GENES = ['g0', 'g1', 'g2'];
const DENSE = [1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 5, 6];
const CSR = { indptr: [0, 2, 2, 3, 6], indices: [0, 2, 1, 0, 1, 2], data: [1, 2, 3, 4, 5, 6] };
// Row c3 stored out of order, as scipy may leave it (anndata writes indices as they are).
const UNSORTED = { ...CSR, indices: [2, 0, 1, 2, 0, 1], data: [2, 1, 3, 6, 4, 5] };
const CSC = { indptr: [0, 2, 4, 6], indices: [0, 3, 2, 3, 0, 3], data: [1, 4, 3, 5, 2, 6] };
// raw/X: log1p-like values over 4 genes (raw keeps a gene X dropped), one row per cell.
const RAW = { indptr: [0, 1, 2, 3, 4], indices: [3, 0, 1, 2], data: [0.5, 1.5, 2.25, 0.75] };

const counts = await write('counts.h5ad', (root) => {
  gzipped(root, 'X', Float32Array.from(DENSE), [4, 3]).create_attribute('encoding-type', 'array');
  const layers = root.create_group('layers');
  sparse(layers, 'csr', 'csr', [4, 3], UNSORTED);
  sparse(layers, 'csc', 'csc', [4, 3], CSC);
  gzipped(layers, 'scaled', Float64Array.from(DENSE, (v) => v - 2), [4, 3]);
  const raw = root.create_group('raw');
  sparse(raw, 'X', 'csr', [4, 4], RAW);
  frame(raw, 'var', ['r0', 'r1', 'r2', 'r3']);
  const obs = frame(root, 'obs', CELLS);
  categorical(obs, 'type', ['B', 'T'], [1, 0, 0, -1]);
  obs.create_dataset({ name: 'batch', data: ['x', 'y', 'x', 'y'] });
  gzipped(obs, 'total', BigInt64Array.from([10n, 20n, 30n, 40n]));
  gzipped(obs, 'cluster', Int32Array.from([2, 1, 2, 1]));
  const v = frame(root, 'var', GENES);
  v.create_dataset({ name: 'symbol', data: ['A', 'B', 'C'] });
});

/** The stored matrix as plain arrays, so a failing comparison prints readably. */
function plain(matrix: CellMatrix) {
  return { indptr: [...matrix.indptr], indices: [...matrix.indices], data: [...matrix.data] };
}

/** Source row → the sample's genes (panel names), values and library size, over both sides. */
function cellsOf(data: LoadedDataset<'expression'>): Map<number, { genes: string[]; values: number[]; librarySize: number }> {
  const named = (sample: ExpressionSample) => ({ genes: Array.from(sample.genes, (g) => data.info.genes[g]), values: [...sample.counts], librarySize: sample.librarySize });
  return new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, named(sample)]));
}

describe('h5ad on hand-made files', () => {
  it('reads a dense X, a CSR layer with an unsorted row and a CSC layer into the same sorted rows', async () => {
    for (const layer of ['X', 'csr', 'csc']) {
      const matrix = await read({ path: counts, layer });
      assert.deepEqual(plain(matrix), CSR, layer);
      assert.deepEqual([matrix.cells, matrix.genes, matrix.origin, matrix.files], [CELLS, GENES, `layer '${layer}' of counts.h5ad`, [join(dir, counts)]]);
      assert.equal(matrix.labels, undefined);
      assert.equal(matrix.librarySizes, undefined);
    }
  });

  it("names the other layers with what a look at their values shows, and reads raw/X with raw/var's genes", async () => {
    assert.deepEqual((await read({ path: counts })).otherLayers, ["layer 'raw' (log1p)", "layer 'csc' (counts)", "layer 'csr' (counts)", "layer 'scaled' (scaled)"]);
    const raw = await read({ path: counts, layer: 'raw' });
    assert.deepEqual([raw.genes, plain(raw), raw.otherLayers[0]], [['r0', 'r1', 'r2', 'r3'], RAW, "layer 'X' (counts)"]);
  });

  it('takes labels from a categorical (code −1: none), a string or a numeric obs column, library sizes from an int64 one, genes from a var column', async () => {
    const labels = async (label_column: string) => (await read({ path: counts, label_column })).labels;
    assert.deepEqual(await labels('type'), ['T', 'B', 'B', undefined]);
    assert.deepEqual(await labels('batch'), ['x', 'y', 'x', 'y']);
    assert.deepEqual(await labels('cluster'), ['2', '1', '2', '1']);
    const matrix = await read({ path: counts, total_column: 'total', gene_column: 'symbol' });
    assert.deepEqual([[...(matrix.librarySizes ?? [])], matrix.genes], [[10, 20, 30, 40], ['A', 'B', 'C']]);
  });

  it('loads through the pipeline: the empty cell and the unlabelled cell dropped and counted, library sizes from total_column', async () => {
    const params = parse({ path: counts, label_column: 'type', total_column: 'total', train_size: 1, test_size: 1 });
    const data = await h5ad.load(params, context);
    assert.deepEqual(data.classNames, ['B', 'T']);
    assert.deepEqual(
      cellsOf(data),
      new Map([
        [0, { genes: ['g0', 'g2'], values: [1, 2], librarySize: 10 }],
        [2, { genes: ['g1'], values: [3], librarySize: 30 }],
      ]),
    );
    const shape = await assertDescribeMatchesLoad(h5ad, params, context);
    assert.deepEqual([shape.cellsDropped, shape.labelled, shape.files], [{ empty: 1, unlabelled: 1, minGenes: 0 }, true, [join(dir, counts)]]);
    assert.equal(
      shape.info.valuesSource,
      "layer 'X' of counts.h5ad holds counts values (min 0, max 6); the file also has: layer 'raw' (log1p), layer 'csc' (counts), layer 'csr' (counts), layer 'scaled' (scaled)",
    );
  });

  it('reads the encodings of anndata < 0.8: h5sparse_format csc and categories referenced from obs/__categories', async () => {
    const old = await write('old.h5ad', (root) => {
      sparse(root, 'X', 'csc', [4, 3], CSC, true);
      const obs = frame(root, 'obs', CELLS);
      const categories = obs.create_group('__categories').create_dataset({ name: 'type', data: ['B', 'T'] });
      gzipped(obs, 'type', Int8Array.from([-1, 1, 0, 1])).create_attribute('categories', categories.create_reference());
      frame(root, 'var', GENES);
    });
    const matrix = await read({ path: old, label_column: 'type' });
    assert.deepEqual([plain(matrix), matrix.labels], [CSR, [undefined, 'T', 'B', 'T']]);
    const missing = await assertBothRefuse(h5ad, parse({ path: old, label_column: 'kind' }), ['label_column'], context);
    assert.equal(missing, `The 'label_column' parameter of h5ad must name a column of obs in ${join(dir, old)}; got 'kind' instead (columns: type).`);
  });
});

describe('h5ad refusals', () => {
  it('names a missing file, a file that is not HDF5 and a layer the file lacks (listing those it has)', async () => {
    const absent = await assertBothRefuse(h5ad, parse({ path: 'absent.h5ad' }), ['path'], context, 'input');
    assert.match(absent, new RegExp(`^cannot read data file ${join(dir, 'absent.h5ad')} \\(ENOENT`));
    writeFileSync(join(dir, 'text.h5ad'), 'cell,g0\nc0,1\n'.repeat(100));
    const text = await assertBothRefuse(h5ad, parse({ path: 'text.h5ad' }), ['path'], context, 'input');
    assert.equal(text, `${join(dir, 'text.h5ad')}: found no HDF5 signature; expected an AnnData .h5ad file, an HDF5 file`);
    const layer = await assertBothRefuse(h5ad, parse({ path: counts, layer: 'spliced' }), ['layer'], context);
    assert.equal(layer, `The 'layer' parameter of h5ad must name a layer of ${join(dir, counts)}; got 'spliced' instead (layers: X, raw, csc, csr, scaled).`);
  });

  it('lists the obs or var columns when a column param names none, and refuses a text total_column', async () => {
    const label = await assertBothRefuse(h5ad, parse({ path: counts, label_column: 'cell_type' }), ['label_column'], context);
    assert.equal(label, `The 'label_column' parameter of h5ad must name a column of obs in ${join(dir, counts)}; got 'cell_type' instead (columns: batch, cluster, total, type).`);
    const gene = await assertBothRefuse(h5ad, parse({ path: counts, gene_column: 'gene_ids' }), ['gene_column'], context);
    assert.equal(gene, `The 'gene_column' parameter of h5ad must name a column of var in ${join(dir, counts)}; got 'gene_ids' instead (columns: symbol).`);
    const total = await assertBothRefuse(h5ad, parse({ path: counts, total_column: 'batch' }), ['total_column'], context);
    assert.equal(total, `The 'total_column' parameter of h5ad must name a numeric obs column of ${join(dir, counts)}; got 'batch' instead, which holds text or categories.`);
  });

  it('refuses a matrix whose shape disagrees with obs and var, and a column stored twice in a row', async () => {
    const short = await write('short-var.h5ad', (root) => {
      sparse(root, 'X', 'csr', [4, 3], CSR);
      frame(root, 'obs', CELLS);
      frame(root, 'var', ['g0', 'g1']);
    });
    const shape = await assertBothRefuse(h5ad, parse({ path: short }), ['path'], context, 'input');
    assert.equal(shape, `${join(dir, short)}: found layer 'X' (X) of 4 × 3; expected 4 × 2, the lengths of obs and var`);
    const twice = await write('twice.h5ad', (root) => {
      sparse(root, 'X', 'csr', [4, 3], { ...CSR, indices: [0, 2, 1, 1, 0, 1] });
      frame(root, 'obs', CELLS);
      frame(root, 'var', GENES);
    });
    const duplicate = await assertBothRefuse(h5ad, parse({ path: twice }), ['path'], context, 'input');
    assert.equal(duplicate, `${join(dir, twice)}: found column 1 stored twice in row 3 in layer 'X'; expected each column once per row (a canonical sparse matrix: scipy sum_duplicates())`);
  });
});

const real = fileURLToPath(new URL('../../../../shared/data/pbmc68k/', import.meta.url));
const noData = existsSync(real) ? false : `no real data at ${real} (../shared/data beside the repository)`;

// Reference numbers from anndata 0.8 (Debian python3-anndata): read_h5ad, then X / raw.X with sort_indices().
describe('h5ad on pbmc68k (scanpy data, written by anndata 0.8)', { skip: noData }, () => {
  const countsFile = join(real, 'pbmc68k_counts.h5ad');
  const reducedFile = join(real, 'pbmc68k_reduced.h5ad');

  it('reads pbmc68k_counts: 700 × 765 gzipped CSR counts, bulk_labels and n_counts as anndata does', async () => {
    const matrix = await read({ path: countsFile, label_column: 'bulk_labels', total_column: 'n_counts' });
    assert.deepEqual([matrix.cells.length, matrix.genes.length, matrix.data.length], [700, 765, 174_400]);
    assert.deepEqual([matrix.cells[0], matrix.genes.slice(0, 3), matrix.genes[764]], ['AAAGCCTGGCTAAC-1', ['HES4', 'TNFRSF4', 'SSU72'], 'MT-ND3']);
    assert.deepEqual([[...matrix.indices.subarray(0, 5)], [...matrix.data.subarray(0, 5)]], [[3, 4, 6, 7, 8], [1, 1, 1, 2, 3]]);
    assert.deepEqual([[...matrix.indices.subarray(-3)], [...matrix.data.subarray(-3)]], [[758, 759, 761], [3, 1, 3]]);
    assert.deepEqual([matrix.indices.constructor, matrix.data.constructor], [Uint16Array, Uint16Array]);
    assert.deepEqual([[...matrix.data].reduce((sum, v) => sum + v, 0), [...matrix.data].reduce((max, v) => Math.max(max, v), 0)], [486_651, 259]);
    const perLabel = new Map<string | undefined, number>();
    for (const label of matrix.labels ?? []) perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
    assert.deepEqual(
      Object.fromEntries(perLabel),
      {
        Dendritic: 240,
        'CD14+ Monocyte': 129,
        'CD19+ B': 95,
        'CD4+/CD25 T Reg': 68,
        'CD8+ Cytotoxic T': 54,
        'CD8+/CD45RA+ Naive Cytotoxic': 43,
        'CD56+ NK': 31,
        'CD4+/CD45RO+ Memory': 19,
        'CD34+': 13,
        'CD4+/CD45RA+/CD25- Naive T': 8,
      },
    );
    // n_counts is each cell's library over the 68k study's whole panel, so it exceeds the 765-gene row sums.
    const rowSum = (cell: number) => [...matrix.data.subarray(matrix.indptr[cell], matrix.indptr[cell + 1])].reduce((sum, v) => sum + v, 0);
    assert.deepEqual([[...(matrix.librarySizes ?? []).slice(0, 3)], [0, 1, 2].map(rowSum)], [[2557, 2695, 3389], [628, 608, 566]]);
    assert.deepEqual(matrix.otherLayers, []);
    const shape = await h5ad.describe(parse({ path: countsFile, label_column: 'bulk_labels' }), context);
    assert.deepEqual([shape.info.values, shape.trainSize + shape.testSize, shape.classes, shape.cellsDropped], ['counts', 700, 10, { empty: 0, unlabelled: 0, minGenes: 0 }]);
  });

  it('reads pbmc68k_reduced: dense scaled X by row blocks, and raw/X (log-normalised, rows stored unsorted) sorted', async () => {
    const dense = await read({ path: reducedFile });
    // 67 of the 535,500 dense values are exactly 0 and are left out.
    assert.deepEqual([dense.data.length, [...dense.data.subarray(0, 3)]], [535_433, [-0.32600000500679016, -0.19099999964237213, -0.7279999852180481]]);
    assert.deepEqual([[...dense.data].reduce((min, v) => Math.min(min, v)), [...dense.data].reduce((max, v) => Math.max(max, v))], [-2.0320000648498535, 28.408000946044922]);
    assert.deepEqual([dense.indices.constructor, dense.data.constructor], [Uint16Array, Float32Array]);
    const shape = await h5ad.describe(parse({ path: reducedFile, label_column: 'bulk_labels' }), context);
    assert.equal(shape.info.values, 'scaled');
    assert.equal(shape.info.valuesSource, "layer 'X' of pbmc68k_reduced.h5ad holds scaled values (min -2.03, max 28.4; first negative -0.326 at cell 'AAAGCCTGGCTAAC-1', gene 'HES4'); the file also has: layer 'raw' (log1p)");
    const raw = await read({ path: reducedFile, layer: 'raw' });
    const row0 = raw.indptr[1];
    assert.deepEqual([raw.data.length, row0, [...raw.indices.subarray(0, 4)], [...raw.data.subarray(0, 4)]], [174_400, 217, [3, 4, 6, 7], [1.590999960899353, 1.590999960899353, 1.590999960899353, 2.177000045776367]]);
    assert.deepEqual([[...raw.indices.subarray(-2)], [...raw.data.subarray(-2)]], [[759, 761], [1.1419999599456787, 2.002000093460083]]);
    assert.deepEqual([raw.indices.constructor, raw.data.constructor], [Uint16Array, Float32Array]);
    assert.ok(Math.abs([...raw.data].reduce((sum, v) => sum + v, 0) - 319_044.238) < 1e-3);
    assert.deepEqual(raw.otherLayers, ["layer 'X' (scaled)"]);
  });
});
