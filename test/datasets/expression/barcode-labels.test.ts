import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { barcodeLabels, type LabelJoinParams } from '../../../datasets/expression/barcode-labels.js';
import { TokbenchError } from '../../../harness/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-barcode-labels-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };
const BARCODES = ['AAAC-1', 'AAAG-1', 'CCCT-1', 'GGGA-1'];

function labelsFrom(name: string, text: string, params: Omit<LabelJoinParams, 'labels'>) {
  writeFileSync(join(dir, name), name.endsWith('.gz') ? gzipSync(text) : text);
  return barcodeLabels(BARCODES, { labels: name, ...params }, '10x-mtx', context);
}

/** Expects a TokbenchError with this code, path and exact message. */
async function refuses(promise: Promise<unknown>, code: string, path: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.deepEqual([error.code, error.path, error.message], [code, [path], message]);
    return true;
  });
}

describe('barcodeLabels', () => {
  it('labels each barcode from its row; barcodes without a row or with an empty label get none, rows of other barcodes are ignored', async () => {
    const csv = 'cell_type,barcode,score\nB cell,CCCT-1,0.1\nT cell, AAAC-1 ,0.2\n,GGGA-1,0.3\nNK,TTTT-1,0.4\n';
    const joined = await labelsFrom('labels.csv', csv, { barcode_column: 'barcode', label_column: 'cell_type' });
    assert.deepEqual(joined, { labels: ['T cell', undefined, 'B cell', undefined], file: join(dir, 'labels.csv') });
  });

  it('reads a gzipped TSV with its own barcode column name', async () => {
    const joined = await labelsFrom('labels.tsv.gz', 'bc\tlouvain\nAAAG-1\t3\nAAAC-1\t1\n', { barcode_column: 'bc', label_column: 'louvain' });
    assert.deepEqual(joined?.labels, ['1', '3', undefined, undefined]);
  });

  it('is undefined without a labels file, and refuses a label_column without one', async () => {
    assert.equal(await barcodeLabels(BARCODES, { barcode_column: 'barcode' }, '10x-mtx'), undefined);
    await refuses(
      barcodeLabels(BARCODES, { barcode_column: 'barcode', label_column: 'cell_type' }, '10x-mtx'),
      'invalid-param',
      'label_column',
      "The 'label_column' parameter of 10x-mtx names a column of the `labels` file; got 'cell_type' without a `labels` file (a 10x matrix holds no cell annotations).",
    );
  });

  it('lists the columns the file has when the label or barcode column is missing or not named', async () => {
    const csv = 'barcode,cell_type\nAAAC-1,B\n';
    const file = join(dir, 'cols.csv');
    await refuses(
      labelsFrom('cols.csv', csv, { barcode_column: 'barcode' }),
      'invalid-param',
      'label_column',
      `The 'label_column' parameter of 10x-mtx must name the column of ${file} that holds the labels; got none (columns: barcode, cell_type).`,
    );
    await refuses(
      labelsFrom('cols.csv', csv, { barcode_column: 'barcode', label_column: 'type' }),
      'invalid-param',
      'label_column',
      `The 'label_column' parameter of 10x-mtx must name a column of ${file}; got 'type' instead (columns: barcode, cell_type).`,
    );
    await refuses(
      labelsFrom('cols.csv', csv, { barcode_column: 'cell', label_column: 'cell_type' }),
      'invalid-param',
      'barcode_column',
      `The 'barcode_column' parameter of 10x-mtx must name a column of ${file}; got 'cell' instead (columns: barcode, cell_type).`,
    );
  });

  it('refuses a file naming no barcode of the matrix, with examples of both', async () => {
    const file = join(dir, 'other.csv');
    await refuses(
      labelsFrom('other.csv', 'barcode,label\nAAAC,B\nAAAG,T\n', { barcode_column: 'barcode', label_column: 'label' }),
      'input',
      'labels',
      `${file}: found no barcode of the matrix in column 'barcode' (2 rows, e.g. 'AAAC', 'AAAG'; the matrix has 4 barcodes, e.g. 'AAAC-1', 'AAAG-1', 'CCCT-1'); expected the barcodes as the matrix writes them`,
    );
  });

  it('refuses a barcode listed twice, naming both lines', async () => {
    const file = join(dir, 'twice.csv');
    await refuses(
      labelsFrom('twice.csv', 'barcode,label\nAAAC-1,B\n\nCCCT-1,T\nAAAC-1,B\n', { barcode_column: 'barcode', label_column: 'label' }),
      'input',
      'labels',
      `${file} line 5: found barcode 'AAAC-1' again (first on line 2); expected one row per barcode`,
    );
  });
});
