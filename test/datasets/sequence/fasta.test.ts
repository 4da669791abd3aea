import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { fasta } from '../../../datasets/sequence/fasta.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, rowsOf } from '../split-checks.js';

const fixtures = fileURLToPath(new URL('../../fixtures/dna/', import.meta.url));
const context = { baseDir: fixtures };
const parse = (params: object) => fasta.params.parse(params);
const load = (params: object) => fasta.load(parse(params), context);

/** records.fa's records in file order, multi-line sequences joined: [sequence, label of field 1]. */
const RECORDS: [string, string][] = [
  ['ACGTACGTACGTAC', 'promoter'],
  ['ACGTNNACGT', 'enhancer'],
  ['TTTTGGGG', 'promoter'],
  ['CCCCAAAAGGTT', 'enhancer'],
  ['GATTACA', 'promoter'],
  ['TACGTACGTA', 'enhancer'],
];

/** Source row → [sample, class name] over both sides. */
function held(data: Awaited<ReturnType<typeof load>>): Map<number, [string, string]> {
  return new Map([...bySourceRow(data)].map(([row, { sample, label }]) => [row, [sample, data.classNames[label]]]));
}

describe('fasta', () => {
  it('joins multi-line records, upper-cased, labelled by a header field', async () => {
    const data = await load({ path: 'records.fa' });
    assert.deepEqual(data.classNames, ['enhancer', 'promoter']);
    assert.deepEqual(held(data), new Map(RECORDS.map((record, row) => [row, record])));
    assert.deepEqual(data.info, { minLength: 7, maxLength: 14 });
  });

  it('reads the gzip file as the plain one', async () => {
    assert.equal(gunzipSync(readFileSync(join(fixtures, 'records.fa.gz'))).toString(), readFileSync(join(fixtures, 'records.fa'), 'utf8'));
    const gz = await load({ path: 'records.fa.gz' });
    assert.deepEqual(gz, await load({ path: 'records.fa' }));
    assert.deepEqual((await fasta.describe(parse({ path: 'records.fa.gz' }), context)).files, [join(fixtures, 'records.fa.gz')]);
  });

  it('takes any field of the header with any separator', async () => {
    const byChromosome = await load({ path: 'records.fa', field: 2 });
    assert.deepEqual(byChromosome.classNames, ['chr1', 'chr2', 'chr3']);
    const bySpace = await load({ path: 'ids.fa', separator: ' ', field: 0 });
    assert.deepEqual(bySpace.classNames, ['r1', 'r2', 'r3', 'r4']);
  });

  it('names the record whose header lacks the field', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'records.fa', field: 3 }), ['field'], context);
    assert.equal(message, `The 'field' parameter of fasta must index a field of every header; record 'r1|promoter|chr1' (${join(fixtures, 'records.fa')} line 1) has 3 fields split by '|'; got 3 instead.`);
  });

  it('labels records by id from a CSV, the id being the first word of the header', async () => {
    const params = parse({ path: 'ids.fa', label_from: 'file', labels: 'ids-labels.csv', label_column: 'class' });
    const data = await fasta.load(params, context);
    assert.deepEqual(data.classNames, ['distal', 'tss']);
    assert.deepEqual(held(data), new Map([[0, ['ACGTACGTACGTAC', 'distal']], [1, ['ACGTNNACGT', 'tss']], [2, ['TTTTGGGG', 'distal']], [3, ['CCCCAAAAGGTT', 'tss']]]));
    const shape = await assertDescribeMatchesLoad(fasta, params, context);
    assert.deepEqual(shape.files, [join(fixtures, 'ids.fa'), join(fixtures, 'ids-labels.csv')]);
  });

  it('lists the columns of the labels file when one is missing', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'ids.fa', label_from: 'file', labels: 'ids-labels.csv' }), ['label_column'], context);
    assert.equal(message, `The 'label_column' parameter of fasta must name a column of ${join(fixtures, 'ids-labels.csv')}; got 'label' instead (columns: id, class, note).`);
    await assertBothRefuse(fasta, parse({ path: 'ids.fa', label_from: 'file', labels: 'ids-labels.csv', id_column: 'name', label_column: 'class' }), ['id_column'], context);
  });

  it('names a record the labels file does not list', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'records.fa', label_from: 'file', labels: 'ids-labels.csv', label_column: 'class' }), ['labels'], context, 'input');
    assert.equal(message, `${join(fixtures, 'records.fa')} record 'r1|promoter|chr1' (line 1): no row of ${join(fixtures, 'ids-labels.csv')} has 'r1|promoter|chr1' in its 'id' column`);
  });

  it('names the record and position of an invalid base, within the joined sequence', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'invalid.fa' }), ['path'], context, 'input');
    assert.match(message, /invalid\.fa record 'bad1\|b' \(line 3\): the sequence has "X" at position 7 \(1-based\)/);
    const skipped = await fasta.describe(parse({ path: 'invalid.fa', on_invalid: 'skip', test_fraction: 0.5 }), context);
    assert.deepEqual([skipped.trainSize, skipped.testSize, skipped.skipped], [1, 2, 1]);
    const asN = await load({ path: 'invalid.fa', on_invalid: 'as-n' });
    assert.equal(held(asN).get(1)?.[0], 'ACGTACNT');
  });

  it('cuts windows of max_bases after the split, all of a record on its side', async () => {
    const data = await load({ path: 'records.fa', max_bases: 4, on_long: 'windows' });
    const records = await load({ path: 'records.fa' });
    assert.deepEqual([[...new Set(data.train.index)], [...new Set(data.test.index)]], [[...records.train.index], [...records.test.index]]);
    // 14, 10, 8, 12, 7, 10 bases: 4 + 3 + 2 + 3 + 2 + 3 windows.
    assert.deepEqual(rowsOf(data), { train: [0, 0, 0, 0, 1, 1, 1, 4, 4, 5, 5, 5], test: [2, 2, 3, 3, 3] });
    assert.deepEqual([...(data.train.window ?? [])], [0, 1, 2, 3, 0, 1, 2, 0, 1, 0, 1, 2]);
    assert.deepEqual(data.train.samples.slice(0, 4), ['ACGT', 'ACGT', 'ACGT', 'AC']);
  });

  it('splits stratified by the split seed alone', async () => {
    await assertSplitSeedMovesRowsOnly(load, { path: 'records.fa' }, 6);
  });

  it('describes exactly what load gives', async () => {
    for (const params of [{ path: 'records.fa' }, { path: 'records.fa', max_bases: 5 }, { path: 'records.fa', max_bases: 5, on_long: 'windows', train_size: 3, test_size: 3 }]) {
      await assertDescribeMatchesLoad(fasta, parse(params), context);
    }
  });

  it('requires labels with label_from: file and refuses them otherwise', () => {
    const issues = (params: object) => fasta.params.safeParse(params).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    assert.deepEqual(issues({ path: 'x.fa', label_from: 'file' }), [['labels', "The 'labels' parameter of fasta is required with label_from: file; give the CSV of record ids and labels"]]);
    assert.deepEqual(issues({ path: 'x.fa', labels: 'y.csv' }), [['labels', "The 'labels' parameter of fasta is read only with label_from: file; set label_from: file or remove 'labels'"]]);
    assert.equal(fasta.params.safeParse({ path: 'x.fa', test_path: 'y.fa' }).success, false);
  });
});
