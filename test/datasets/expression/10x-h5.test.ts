import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm, { type Group } from 'h5wasm/node';
import { readTenxH5, tenxH5 } from '../../../datasets/expression/10x-h5.js';
import { tenxMtx } from '../../../datasets/expression/10x-mtx.js';
import type { ExpressionSample, LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { bySourceRow } from '../split-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-10x-h5-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };
const parse = (params: object) => tenxH5.params.parse(params);
const load = (params: object) => tenxH5.load(parse(params), context);

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

/** Source row → the sample's genes (panel names) and values, over both sides. */
function cellsOf(data: LoadedDataset<'expression'>): Map<number, { genes: string[]; values: number[]; librarySize: number }> {
  const named = (sample: ExpressionSample) => ({ genes: Array.from(sample.genes, (g) => data.info.genes[g]), values: [...sample.counts], librarySize: sample.librarySize });
  return new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, named(sample)]));
}

// The matrix of 10x-mtx's hand-made folder, as CellRanger ≥ 3 writes it: 5 features (one antibody, a repeated
// symbol) × 5 barcodes, compressed by barcode, int32 counts and int64 indptr with shuffle + gzip.
//   AAAC: TP53 2, GAPDH 1   AAAG: AB 9, TP53-1 4   CCCT: —   GGGA: TP53 1, AB 6, CD3E 3, GAPDH 5   TTTA: TP53 7
const FEATURES = { id: ['ENSG1', 'AB1', 'ENSG3', 'ENSG4', 'ENSG5'], name: ['TP53', 'CD3E', 'TP53', 'CD3E', 'GAPDH'] };
const TYPES = ['Gene Expression', 'Antibody Capture', 'Gene Expression', 'Gene Expression', 'Gene Expression'];
const BARCODES = ['AAAC-1', 'AAAG-1', 'CCCT-1', 'GGGA-1', 'TTTA-1'];
const COLUMNS = { indptr: [0, 2, 4, 4, 8, 9], indices: [0, 4, 1, 2, 0, 1, 3, 4, 0], data: [2, 1, 9, 4, 1, 6, 3, 5, 7] };

/** The matrix arrays and shape of CellRanger's layout into `group`. */
function matrixArrays(group: Group, columns = COLUMNS, shape = [5, 5]) {
  const packed = (name: string, data: Int32Array | BigInt64Array) => group.create_dataset({ name, data, compression: 'gzip', chunks: [data.length] });
  group.create_dataset({ name: 'barcodes', data: BARCODES });
  packed('data', Int32Array.from(columns.data));
  packed('indices', BigInt64Array.from(columns.indices, BigInt));
  packed('indptr', BigInt64Array.from(columns.indptr, BigInt));
  group.create_dataset({ name: 'shape', data: Int32Array.from(shape) });
}

const v3 = await write('v3.h5', (root) => {
  const matrix = root.create_group('matrix');
  matrixArrays(matrix);
  const features = matrix.create_group('features');
  features.create_dataset({ name: 'id', data: FEATURES.id });
  features.create_dataset({ name: 'name', data: FEATURES.name });
  features.create_dataset({ name: 'feature_type', data: TYPES });
});

describe('10x-h5 on hand-made files', () => {
  it('keeps Gene Expression features, symbols made unique as scanpy, each barcode one cell, as 10x-mtx reads the same matrix', async () => {
    const data = await load({ path: v3 });
    assert.deepEqual(data.info.genes, ['TP53', 'TP53-1', 'CD3E-1', 'GAPDH']);
    assert.equal(data.info.values, 'counts');
    assert.deepEqual(data.classNames, []);
    assert.deepEqual(
      cellsOf(data),
      new Map([
        [0, { genes: ['TP53', 'GAPDH'], values: [2, 1], librarySize: 3 }],
        [1, { genes: ['TP53-1'], values: [4], librarySize: 4 }],
        [3, { genes: ['TP53', 'CD3E-1', 'GAPDH'], values: [1, 3, 5], librarySize: 9 }],
        [4, { genes: ['TP53'], values: [7], librarySize: 7 }],
      ]),
    );
    const shape = await assertDescribeMatchesLoad(tenxH5, parse({ path: v3 }), context);
    assert.deepEqual([shape.cellsDropped, shape.labelled, shape.files], [{ empty: 1, unlabelled: 0, minGenes: 0 }, false, [join(dir, v3)]]);
    assert.equal(shape.info.valuesSource, "'matrix' of v3.h5 (its 4 gene expression features; 1 of other types left out) holds counts values (min 0, max 7)");
    const matrix = await readTenxH5(parse({ path: v3 }), context);
    assert.deepEqual([matrix.cells, [...matrix.indptr], matrix.otherLayers], [BARCODES, [0, 2, 3, 3, 6, 7], []]);
  });

  it('names genes by Ensembl id with gene_names: id', async () => {
    assert.deepEqual((await load({ path: v3, gene_names: 'id' })).info.genes, ['ENSG1', 'ENSG3', 'ENSG4', 'ENSG5']);
  });

  it("reads CellRanger 2's layout: one genome group with genes and gene_names, every feature a gene", async () => {
    const v2 = await write('v2.h5', (root) => {
      const genome = root.create_group('hg19');
      matrixArrays(genome);
      genome.create_dataset({ name: 'genes', data: FEATURES.id });
      genome.create_dataset({ name: 'gene_names', data: FEATURES.name });
    });
    const data = await load({ path: v2 });
    assert.deepEqual(data.info.genes, ['TP53', 'CD3E', 'TP53-1', 'CD3E-1', 'GAPDH']);
    assert.deepEqual(cellsOf(data).get(3), { genes: ['TP53', 'CD3E', 'CD3E-1', 'GAPDH'], values: [1, 6, 3, 5], librarySize: 15 });
    assert.match(data.info.valuesSource ?? '', /^genome 'hg19' of v2\.h5 holds counts values/);
  });

  it('joins labels on barcode: unnamed cells are dropped and counted, the labels file is a data file', async () => {
    writeFileSync(join(dir, 'labels.csv'), 'barcode,type\nGGGA-1,T\nAAAC-1,B\nAAAG-1,B\nCCCT-1,T\nNOPE-1,T\n');
    const params = parse({ path: v3, labels: 'labels.csv', label_column: 'type', train_size: 2, test_size: 1 });
    const data = await tenxH5.load(params, context);
    const labels = new Map([...bySourceRow(data)].map(([row, { label }]) => [row, data.classNames[label]]));
    assert.deepEqual(labels, new Map([[0, 'B'], [1, 'B'], [3, 'T']]));
    const shape = await tenxH5.describe(params, context);
    assert.deepEqual([shape.cellsDropped, shape.labelled, shape.files], [{ empty: 1, unlabelled: 1, minGenes: 0 }, true, [join(dir, v3), join(dir, 'labels.csv')]]);
  });

  it('refuses a file with no matrix or several genomes, features that disagree with the shape, and a file that is not HDF5', async () => {
    const f = (name: string) => join(dir, name);
    const empty = await write('empty.h5', (root) => void root.create_group('other'));
    assert.equal(
      await assertBothRefuse(tenxH5, parse({ path: empty }), ['path'], context, 'input'),
      `${f(empty)}: found neither a matrix group nor a genome group; expected CellRanger's layout: matrix/ (CellRanger ≥ 3) or a single <genome>/ with indptr (CellRanger 2)`,
    );
    const two = await write('two.h5', (root) => {
      for (const name of ['hg19', 'mm10']) matrixArrays(root.create_group(name));
    });
    assert.match(await assertBothRefuse(tenxH5, parse({ path: two }), ['path'], context, 'input'), /: found 2 genome groups \(hg19, mm10\); expected CellRanger's layout/);
    const wide = await write('wide.h5', (root) => {
      const matrix = root.create_group('matrix');
      matrixArrays(matrix, COLUMNS, [6, 5]);
      const features = matrix.create_group('features');
      features.create_dataset({ name: 'id', data: FEATURES.id });
      features.create_dataset({ name: 'name', data: FEATURES.name });
    });
    assert.equal(
      await assertBothRefuse(tenxH5, parse({ path: wide }), ['path'], context, 'input'),
      `${f(wide)}: found 5 feature ids, 5 names and 5 barcodes in 'matrix'; expected 6 × 5, its shape (features × barcodes)`,
    );
    writeFileSync(f('matrix.h5'), '%%MatrixMarket matrix coordinate integer general\n');
    assert.equal(
      await assertBothRefuse(tenxH5, parse({ path: 'matrix.h5' }), ['path'], context, 'input'),
      `${f('matrix.h5')}: found no HDF5 signature; expected CellRanger's HDF5 matrix, an HDF5 file`,
    );
  });
});

const real = fileURLToPath(new URL('../../../../shared/data/tenx_v3/', import.meta.url));
const noData = existsSync(real) ? false : `no real data at ${real} (../shared/data beside the repository)`;

// Reference numbers from h5py + scipy: csc_matrix((data, indices, indptr), shape).T.tocsr(), the same from scipy.io.mmread of matrix.mtx.gz.
describe('10x-h5 on CellRanger 3 output (scanpy test data)', { skip: noData }, () => {
  const path = join(real, 'filtered_feature_bc_matrix.h5');

  it('reads 1,107 cells × 507 genes with 23,866 non-zeros, the checksum of scipy, and exactly what 10x-mtx reads from the folder', async () => {
    const matrix = await readTenxH5(parse({ path }), context);
    assert.deepEqual([matrix.cells.length, matrix.genes.length, matrix.data.length], [1107, 507, 23_866]);
    assert.deepEqual([matrix.cells[0], matrix.genes[0], matrix.genes[506]], ['AAACCCAAGGAGAGTA-1', 'CH507-9B2.2', 'PRMT2']);
    // Σ value and Σ value × (cell + 1) × (gene + 1): exact in float64, and the same for matrix.mtx.gz.
    let total = 0;
    let checksum = 0;
    for (let cell = 0; cell < matrix.cells.length; cell++) {
      for (let k = matrix.indptr[cell]; k < matrix.indptr[cell + 1]; k++) {
        total += matrix.data[k];
        checksum += matrix.data[k] * (cell + 1) * (matrix.indices[k] + 1);
      }
    }
    assert.deepEqual([total, checksum], [41_549, 7_376_015_539]);
    assert.deepEqual([[...matrix.indices.subarray(0, 5)], [...matrix.data.subarray(0, 5)]], [[138, 139, 140, 161, 165], [1, 1, 1, 1, 2]]);
    assert.deepEqual([matrix.indices.constructor, matrix.data.constructor], [Uint16Array, Uint16Array]);
    const fromH5 = await load({ path });
    const fromMtx = await tenxMtx.load(tenxMtx.params.parse({ path: join(real, 'filtered_feature_bc_matrix') }), context);
    assert.deepEqual(fromH5.info.genes, fromMtx.info.genes);
    assert.deepEqual(cellsOf(fromH5), cellsOf(fromMtx));
    assert.deepEqual((await load({ path, gene_names: 'id' })).info.genes.slice(0, 1), ['ENSG00000279493']);
  });
});
