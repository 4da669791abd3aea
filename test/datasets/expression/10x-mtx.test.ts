import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tenxMtx } from '../../../datasets/expression/10x-mtx.js';
import type { ExpressionSample, LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { bySourceRow } from '../split-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-10x-mtx-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };
const parse = (params: object) => tenxMtx.params.parse(params);
const load = (params: object) => tenxMtx.load(parse(params), context);

/** Source row → the sample's genes (panel names) and values, over both sides. */
function cellsOf(data: LoadedDataset<'expression'>): Map<number, { genes: string[]; values: number[]; librarySize: number }> {
  const named = (sample: ExpressionSample) => ({ genes: Array.from(sample.genes, (g) => data.info.genes[g]), values: [...sample.counts], librarySize: sample.librarySize });
  return new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, named(sample)]));
}

/** Writes a matrix folder under `dir`, each file gzipped when its name ends in .gz; returns the folder's name. */
function folder(name: string, files: Readonly<Record<string, string>>): string {
  mkdirSync(join(dir, name));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, name, file), file.endsWith('.gz') ? gzipSync(text) : text);
  return name;
}

// CellRanger 3 layout: 4 features (one antibody, a repeated symbol) × 5 barcodes, entries in no particular order.
//   AAAC: TP53 2, GAPDH 1   AAAG: TP53-1 4   CCCT: —   GGGA: TP53 1, CD3E 3, GAPDH 5   TTTA: TP53 7
const FEATURES = 'ENSG1\tTP53\tGene Expression\nAB1\tCD3E\tAntibody Capture\nENSG3\tTP53\tGene Expression\nENSG4\tCD3E\tGene Expression\nENSG5\tGAPDH\tGene Expression\n';
const BARCODES = 'AAAC-1\nAAAG-1\nCCCT-1\nGGGA-1\nTTTA-1\n';
const MATRIX =
  '%%MatrixMarket matrix coordinate integer general\n%metadata_json: {"format_version": 2}\n5 5 9\n5 1 1\n1 1 2\n3 2 4\n2 2 9\n5 4 5\n4 4 3\n1 4 1\n2 4 6\n1 5 7\n';
const v3 = folder('v3', { 'matrix.mtx.gz': MATRIX, 'features.tsv.gz': FEATURES, 'barcodes.tsv.gz': BARCODES });

describe('10x-mtx on hand-made folders', () => {
  it('keeps Gene Expression features, symbols made unique as scanpy, cells by barcode with rows transposed and sorted', async () => {
    const data = await load({ path: v3 });
    // The antibody is dropped but took 'CD3E' first, so the gene is 'CD3E-1'.
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
    const shape = await assertDescribeMatchesLoad(tenxMtx, parse({ path: v3 }), context);
    assert.deepEqual([shape.cellsDropped, shape.labelled, shape.files], [{ empty: 1, unlabelled: 0, minGenes: 0 }, false, ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz'].map((f) => join(dir, v3, f))]);
  });

  it('names genes by Ensembl id with gene_names: id', async () => {
    assert.deepEqual((await load({ path: v3, gene_names: 'id' })).info.genes, ['ENSG1', 'ENSG3', 'ENSG4', 'ENSG5']);
  });

  it('reads CellRanger 2 output (plain genes.tsv with id and symbol, every row a gene) and real values', async () => {
    const v2 = folder('v2', {
      'matrix.mtx': '%%MatrixMarket matrix coordinate real general\n2 2 3\n2 1 0.5\n1 2 1.25e1\n2 2 3\n',
      'genes.tsv': 'ENSG1\tA\nENSG2\tB\n',
      'barcodes.tsv': 'AC-1\nGT-1\n',
    });
    const data = await load({ path: v2, train_size: 1, test_size: 1 });
    assert.deepEqual(data.info.genes, ['A', 'B']);
    assert.equal(data.info.values, 'log1p');
    assert.deepEqual(
      cellsOf(data),
      new Map([
        [0, { genes: ['B'], values: [0.5], librarySize: 0.5 }],
        [1, { genes: ['A', 'B'], values: [12.5, 3], librarySize: 15.5 }],
      ]),
    );
  });

  it('joins labels on barcode: unnamed cells are dropped and counted', async () => {
    writeFileSync(join(dir, 'v3-labels.csv'), 'barcode,type\nGGGA-1,T\nAAAC-1,B\nAAAG-1,B\nCCCT-1,T\nNOPE-1,T\n');
    const params = parse({ path: v3, labels: 'v3-labels.csv', label_column: 'type', train_size: 2, test_size: 1 });
    const data = await tenxMtx.load(params, context);
    assert.deepEqual(data.classNames, ['B', 'T']);
    // CCCT-1 is empty (dropped as such before its label counts) and TTTA-1 has no label.
    const labels = new Map([...bySourceRow(data)].map(([row, { label }]) => [row, data.classNames[label]]));
    assert.deepEqual(labels, new Map([[0, 'B'], [1, 'B'], [3, 'T']]));
    const shape = await tenxMtx.describe(params, context);
    assert.deepEqual([shape.cellsDropped, shape.labelled, shape.files.at(-1)], [{ empty: 1, unlabelled: 1, minGenes: 0 }, true, join(dir, 'v3-labels.csv')]);
    const other = join(dir, 'other-labels.csv');
    writeFileSync(other, 'barcode,type\nAAAC,B\n');
    const message = await assertBothRefuse(tenxMtx, parse({ path: v3, labels: 'other-labels.csv', label_column: 'type' }), ['labels'], context, 'input');
    assert.match(message, /^.*other-labels\.csv: found no barcode of the matrix in column 'barcode' \(1 rows, e\.g\. 'AAAC'; the matrix has 5 barcodes/);
    const noColumn = await assertBothRefuse(tenxMtx, parse({ path: v3, labels: 'other-labels.csv', label_column: 'cell_type' }), ['label_column'], context);
    assert.equal(noColumn, `The 'label_column' parameter of 10x-mtx must name a column of ${other}; got 'cell_type' instead (columns: barcode, type).`);
  });

  it('says which names it looked for when a file of the folder is missing', async () => {
    const partial = folder('partial', { 'matrix.mtx': MATRIX, 'barcodes.tsv': BARCODES });
    const message = await assertBothRefuse(tenxMtx, parse({ path: partial }), ['path'], context, 'input');
    assert.equal(
      message,
      `${join(dir, partial)}: found none of features.tsv.gz, features.tsv, genes.tsv.gz, genes.tsv; expected a CellRanger matrix folder holding matrix.mtx, features.tsv or genes.tsv, and barcodes.tsv (each gzipped or plain)`,
    );
    const absent = await assertBothRefuse(tenxMtx, parse({ path: 'absent' }), ['path'], context, 'input');
    assert.match(absent, /absent: found no such folder; expected a CellRanger matrix folder/);
  });

  it('refuses a matrix whose size disagrees with its features or barcodes, naming both files', async () => {
    const features = folder('features', { 'matrix.mtx.gz': MATRIX, 'features.tsv.gz': FEATURES.split('\n').slice(1).join('\n'), 'barcodes.tsv.gz': BARCODES });
    const f = (name: string, file: string) => join(dir, name, file);
    assert.equal(
      await assertBothRefuse(tenxMtx, parse({ path: features }), ['path'], context, 'input'),
      `${f(features, 'matrix.mtx.gz')}: found 5 matrix rows (features); expected 4, the features listed in ${f(features, 'features.tsv.gz')}`,
    );
    const barcodes = folder('barcodes', { 'matrix.mtx': MATRIX, 'features.tsv': FEATURES, 'barcodes.tsv': `${BARCODES}CCCC-1\n` });
    assert.equal(
      await assertBothRefuse(tenxMtx, parse({ path: barcodes }), ['path'], context, 'input'),
      `${f(barcodes, 'matrix.mtx')}: found 5 matrix columns (barcodes); expected 6, the barcodes listed in ${f(barcodes, 'barcodes.tsv')}`,
    );
  });

  it('refuses a matrix that is not MatrixMarket coordinate, an index out of range and a malformed line, naming file and line', async () => {
    const cases: [string, string, string][] = [
      ['banner', '%%MatrixMarket matrix array integer general\n5 5\n', "line 1: found '%%MatrixMarket matrix array integer general'; expected the banner '%%MatrixMarket matrix coordinate integer|real general'"],
      ['range', MATRIX.replace('\n1 5 7\n', '\n1 6 7\n'), 'line 12: found row 1, column 6; expected rows 1 … 5 and columns 1 … 5, as the size line (line 3) says'],
      ['malformed', MATRIX.replace('\n4 4 3\n', '\n4 4\n'), "line 9: found '4 4'; expected an entry: row, column and an integer value"],
    ];
    for (const [name, matrix, expected] of cases) {
      for (const gz of ['.gz', '']) {
        const path = folder(`${name}${gz}`, { [`matrix.mtx${gz}`]: matrix, [`features.tsv${gz}`]: FEATURES, [`barcodes.tsv${gz}`]: BARCODES });
        assert.equal(await assertBothRefuse(tenxMtx, parse({ path }), ['path'], context, 'input'), `${join(dir, path, `matrix.mtx${gz}`)} ${expected}`);
      }
    }
  });
});

const real = fileURLToPath(new URL('../../../../shared/data/tenx_v3/', import.meta.url));
const noData = existsSync(real) ? false : `no real data at ${real} (../shared/data beside the repository)`;

// Reference numbers from scipy.io.mmread of matrix.mtx.gz, transposed to cells × genes.
describe('10x-mtx on CellRanger 3 output (scanpy test data)', { skip: noData }, () => {
  const path = join(real, 'filtered_feature_bc_matrix');

  it('reads 1,107 cells × 507 genes with 23,866 non-zeros and the exact entries of scipy', async () => {
    const data = await load({ path });
    assert.equal(data.info.genes.length, 507);
    assert.deepEqual([data.info.genes[0], data.info.genes[456], data.info.genes[457], data.info.genes[506]], ['CH507-9B2.2', 'PTTG1IP', 'ITGB2', 'PRMT2']);
    assert.equal(data.info.values, 'counts');
    const cells = bySourceRow(data);
    assert.equal(cells.size, 1107);
    let nonZeros = 0;
    let total = 0;
    for (const { sample } of cells.values()) {
      nonZeros += sample.genes.length;
      total += sample.librarySize;
    }
    assert.deepEqual([nonZeros, total], [23_866, 41_549]);
    const cell = (row: number) => cells.get(row)?.sample as ExpressionSample;
    // 507 genes and counts: both stored as uint16.
    assert.deepEqual([cell(0).genes.constructor, cell(0).counts.constructor], [Uint16Array, Uint16Array]);
    // Cell 0 (AAACCCAAGGAGAGTA-1): 26 genes summing to 36, the first three 138, 139, 140 at 1, the last 457 (ITGB2) at 3.
    assert.deepEqual([cell(0).genes.length, cell(0).librarySize, [...cell(0).genes.subarray(0, 3)], [...cell(0).counts.subarray(0, 3)]], [26, 36, [138, 139, 140], [1, 1, 1]]);
    assert.deepEqual([cell(0).genes.at(-1), cell(0).counts.at(-1)], [457, 3]);
    assert.deepEqual([cell(500).genes.length, cell(500).librarySize, [...cell(500).genes.subarray(0, 3)], [...cell(500).counts.subarray(0, 3)]], [19, 33, [61, 211, 214], [2, 1, 3]]);
    assert.deepEqual([cell(1106).genes.length, cell(1106).librarySize, cell(1106).genes.at(-1)], [24, 34, 504]);
    // The largest count, 36, is cell 575's (the largest library, 280) gene 335.
    assert.deepEqual([cell(575).librarySize, cell(575).counts[cell(575).genes.indexOf(335)]], [280, 36]);
    const shape = await tenxMtx.describe(parse({ path }), context);
    assert.deepEqual([shape.trainSize + shape.testSize, shape.cellsDropped, shape.labelled], [1107, { empty: 0, unlabelled: 0, minGenes: 0 }, false]);
  });

  it('names genes by Ensembl id on request', async () => {
    const genes = (await load({ path, gene_names: 'id' })).info.genes;
    assert.deepEqual([genes[0], genes[457], genes.length], ['ENSG00000279493', 'ENSG00000160255', 507]);
  });

  it('joins a labels CSV on barcode, dropping and counting the cells it does not name', async () => {
    const barcodes = gunzipSync(readFileSync(join(path, 'barcodes.tsv.gz'))).toString('utf8').trim().split('\n');
    // The first 600 barcodes alternate between two types; the other 507 have no row.
    const rows = barcodes.slice(0, 600).map((barcode, i) => `${barcode},${i % 2 === 0 ? 'even' : 'odd'}`);
    writeFileSync(join(dir, 'real-labels.csv'), `barcode,type\n${rows.join('\n')}\n`);
    const params = parse({ path, labels: 'real-labels.csv', label_column: 'type' });
    const shape = await assertDescribeMatchesLoad(tenxMtx, params, context);
    assert.deepEqual([shape.trainSize + shape.testSize, shape.classes, shape.cellsDropped], [600, 2, { empty: 0, unlabelled: 507, minGenes: 0 }]);
    const data = await tenxMtx.load(params, context);
    const labels = [...bySourceRow(data)].sort(([a], [b]) => a - b).map(([, { label }]) => data.classNames[label]);
    assert.deepEqual(labels, Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? 'even' : 'odd')));
  });
});
