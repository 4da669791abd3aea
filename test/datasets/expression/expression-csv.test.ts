// The dense cells × genes CSV/TSV reader: columns by header, labels, gzip, and errors that name the file, line and column.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expressionCsv } from '../../../datasets/expression/expression-csv.js';
import type { LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow } from '../split-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-expression-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };
const parse = (params: object) => expressionCsv.params.parse(params);
const load = (params: object) => expressionCsv.load(parse(params), context);

function write(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Six cells, the label column between two genes. */
const CELLS = ['cell,CD3E,type,MS4A1,LYZ', 'T1,4,T,0,1', 'B1,0,B,7,0', 'T2,2,T,0,0', 'B2,1,B,3,2', 'T3,5,T,1,0', 'B3,0,B,2.0,1'];
const csv = write('cells.csv', `${CELLS.join('\n')}\n`);

/** Source row → [gene names held, values, library size, class name]. */
function held(data: LoadedDataset<'expression'>): Map<number, unknown[]> {
  return new Map(
    [...bySourceRow(data)].map(([row, { sample, label }]) => [row, [Array.from(sample.genes, (g) => data.info.genes[g]), [...sample.counts], sample.librarySize, data.classNames[label]]]),
  );
}

const EXPECTED = new Map<number, unknown[]>([
  [0, [['CD3E', 'LYZ'], [4, 1], 5, 'T']],
  [1, [['MS4A1'], [7], 7, 'B']],
  [2, [['CD3E'], [2], 2, 'T']],
  [3, [['CD3E', 'MS4A1', 'LYZ'], [1, 3, 2], 6, 'B']],
  [4, [['CD3E', 'MS4A1'], [5, 1], 6, 'T']],
  [5, [['MS4A1', 'LYZ'], [2, 1], 3, 'B']],
]);

describe('expression-csv', () => {
  it('reads cells as rows and every column but the cell and label columns as a gene, zeros left out', async () => {
    const shape = await assertDescribeMatchesLoad(expressionCsv, parse({ path: csv, label_column: 'type' }), context);
    assert.deepEqual(shape.info, { genes: ['CD3E', 'MS4A1', 'LYZ'], values: 'counts', valuesSource: `${join(dir, csv)} holds counts values (min 0, max 7)` });
    assert.deepEqual(shape.files, [join(dir, csv)]);
    const data = await load({ path: csv, label_column: 'type' });
    assert.deepEqual(data.classNames, ['B', 'T']);
    assert.deepEqual(held(data), EXPECTED);
  });

  it('stores counts as uint16, a count of 70,000 or a fraction as float32 with the same numbers, and 70,000 genes with int32 indices', async () => {
    const types = (data: LoadedDataset<'expression'>) => [data.train.samples[0].genes.constructor, data.train.samples[0].counts.constructor];
    assert.deepEqual(types(await load({ path: csv, label_column: 'type' })), [Uint16Array, Uint16Array]);
    for (const [odd, value] of [['70000', 70_000], ['0.1', Math.fround(0.1)]] as const) {
      const name = write(`odd-${odd}.csv`, `${CELLS.join('\n').replace('B1,0,B,7,0', `B1,0,B,${odd},0`)}\n`);
      const data = await load({ path: name, label_column: 'type' });
      assert.deepEqual(types(data), [Uint16Array, Float32Array]);
      assert.deepEqual(held(data), new Map([...EXPECTED, [1, [['MS4A1'], [value], value, 'B']]]));
    }
    // 3 cells × 70,000 genes: c0 holds G69999 (2), c1 G5 (3), c2 G0 (1) and G69999 (4).
    const genes = Array.from({ length: 70_000 }, (_, g) => `G${g}`);
    const row = (values: Record<number, number>) => genes.map((_, g) => values[g] ?? 0).join(',');
    const wide = write('wide.csv', ['cell', ...genes].join(',') + `\nc0,${row({ 69_999: 2 })}\nc1,${row({ 5: 3 })}\nc2,${row({ 0: 1, 69_999: 4 })}\n`);
    const data = await load({ path: wide });
    assert.deepEqual(types(data), [Int32Array, Uint16Array]);
    const cells = new Map([...bySourceRow(data)].map(([source, { sample }]) => [source, [[...sample.genes], [...sample.counts]]]));
    assert.deepEqual(cells, new Map([[0, [[69_999], [2]]], [1, [[5], [3]]], [2, [[0, 69_999], [1, 4]]]]));
  });

  it('reads a gzipped TSV alike, and the cell names from `cell_column` wherever it stands', async () => {
    const tsv = CELLS.map((line) => line.split(',')).map(([cell, ...rest]) => [...rest, cell].join('\t'));
    const name = write('cells.tsv.gz', gzipSync(`${tsv.join('\r\n')}\r\n`));
    const data = await load({ path: name, label_column: 'type', cell_column: 'cell' });
    assert.deepEqual(data.info.genes, ['CD3E', 'MS4A1', 'LYZ']);
    assert.deepEqual(held(data), EXPECTED);
  });

  it('splits stratified by label, and the split seed moves only rows', async () => {
    const data = await load({ path: csv, label_column: 'type' });
    // ceil(0.3 × 6) = 2 test cells, one per class.
    assert.deepEqual([...data.test.labels].sort(), [0, 1]);
    await assertSplitSeedMovesRowsOnly(load, { path: csv, label_column: 'type' }, 6);
  });

  it('without `label_column` the source is unlabelled', async () => {
    const name = write('genes-only.csv', 'cell,A,B\nc0,1,0\nc1,0,2\nc2,3,3\n');
    const shape = await assertDescribeMatchesLoad(expressionCsv, parse({ path: name }), context);
    assert.deepEqual([shape.classes, shape.labelled, shape.info.genes], [0, false, ['A', 'B']]);
  });

  it('names a missing label or cell column and lists the columns the file has', async () => {
    const label = await assertBothRefuse(expressionCsv, parse({ path: csv, label_column: 'celltype' }), ['label_column'], context);
    assert.equal(label, `The 'label_column' parameter of expression-csv must name a column of ${join(dir, csv)}; got 'celltype' instead (columns: cell, CD3E, type, MS4A1, LYZ).`);
    const cell = await assertBothRefuse(expressionCsv, parse({ path: csv, cell_column: 'barcode' }), ['cell_column'], context);
    assert.match(cell, /got 'barcode' instead \(columns: cell, CD3E, type, MS4A1, LYZ\)/);
  });

  it('refuses a field that is not a number, naming the file, line and column', async () => {
    const name = write('typo.csv', 'cell,A,B\nc0,1,0\n\nc1,2,x7\n');
    const message = await assertBothRefuse(expressionCsv, parse({ path: name }), ['path'], context, 'input');
    assert.equal(message, `${join(dir, name)} line 4 column 3 ('B'): found 'x7'; expected a number`);
    const empty = write('blank-field.csv', 'cell,A,B\nc0,1,\n');
    assert.match(await assertBothRefuse(expressionCsv, parse({ path: empty }), ['path'], context, 'input'), /line 2 column 3 \('B'\): found ''; expected a number$/);
  });

  it('refuses an empty file', async () => {
    const name = write('empty.csv', '');
    assert.equal(await assertBothRefuse(expressionCsv, parse({ path: name }), ['path'], context, 'input'), `${join(dir, name)} is empty; expected a header row naming the cell, label and gene columns`);
  });
});
