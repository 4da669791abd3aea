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

  it("takes any field of the header's first word with any separator", async () => {
    const byChromosome = await load({ path: 'records.fa', field: 2 });
    assert.deepEqual(byChromosome.classNames, ['chr1', 'chr2', 'chr3']);
    const byTwoCharacters = await load({ path: 'records.fa', separator: '|c', field: 1 });
    // 'r1|promoter|chr1' split by '|c': 'r1|promoter', 'hr1'.
    assert.deepEqual(byTwoCharacters.classNames, ['hr1', 'hr2', 'hr3']);
  });

  it('reads the fields from the first word only: the description after it never reaches a label', async () => {
    // described.fa: '>rec0|cls0 some description', '>rec1|cls1 another | description', '>rec2|cls0', '>rec3|cls1 x'.
    const data = await load({ path: 'described.fa' });
    assert.deepEqual(data.classNames, ['cls0', 'cls1']);
    assert.deepEqual(held(data), new Map([[0, ['ACGTACGTAC', 'cls0']], [1, ['GGGGCCCC', 'cls1']], [2, ['TTTTAAAA', 'cls0']], [3, ['CCCCGGGG', 'cls1']]]));
    const message = await assertBothRefuse(fasta, parse({ path: 'described.fa', field: 2 }), ['field'], context);
    assert.equal(message, `The 'field' parameter of fasta must index a field of every header's first word; record 'rec0|cls0' (${join(fixtures, 'described.fa')} line 1) has 2 fields split by '|'; got 2 instead.`);
  });

  it('refuses a separator holding whitespace, which could never split the first word', () => {
    const issues = fasta.params.safeParse({ path: 'x.fa', separator: ' ' }).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    assert.deepEqual(issues, [['separator', "expected no whitespace: the fields are split from the header's first word"]]);
  });

  it('names the record whose header lacks the field', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'records.fa', field: 3 }), ['field'], context);
    assert.equal(message, `The 'field' parameter of fasta must index a field of every header's first word; record 'r1|promoter|chr1' (${join(fixtures, 'records.fa')} line 1) has 3 fields split by '|'; got 3 instead.`);
  });

  it('counts the classes the test split holds and training lacks: one class per record, field 0 (the ids)', async () => {
    const shape = await assertDescribeMatchesLoad(fasta, parse({ path: 'records.fa', field: 0 }), context);
    // 6 records, 6 classes; ceil(0.3 × 6) = 2 test records, each the only record of its class.
    assert.deepEqual([shape.records, shape.classes, shape.trainSize, shape.testSize, shape.untrainedClasses], [6, 6, 4, 2, 2]);
    assert.equal((await fasta.describe(parse({ path: 'records.fa' }), context)).untrainedClasses, 0);
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

  it('names the file line and column of an invalid base, with its record and place in the joined sequence', async () => {
    const message = await assertBothRefuse(fasta, parse({ path: 'invalid.fa' }), ['path'], context, 'input');
    // Record bad1|b (header on line 3): 'ACGT' on line 4, 'ACXT' on line 5; X is base 4 + 3 = 7, column 3.
    assert.equal(
      message,
      `${join(fixtures, 'invalid.fa')} line 5, column 3 (record 'bad1|b', base 7): the sequence has "X", outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
    );
    const skipped = await fasta.describe(parse({ path: 'invalid.fa', on_invalid: 'skip', test_fraction: 0.5 }), context);
    assert.deepEqual([skipped.trainSize, skipped.testSize, skipped.skipped], [1, 2, 1]);
  });

  it('as-n: reads the invalid base as N and counts the record and the character', async () => {
    const params = parse({ path: 'invalid.fa', on_invalid: 'as-n' });
    assert.equal(held(await fasta.load(params, context)).get(1)?.[0], 'ACGTACNT');
    const shape = await assertDescribeMatchesLoad(fasta, params, context);
    assert.deepEqual([shape.readAsN, shape.charactersAsN, shape.skipped], [1, 1, 0]);
  });

  it('cuts windows of max_bases after the split, all of a record on its side', async () => {
    const data = await load({ path: 'records.fa', max_bases: 4, on_long: 'windows' });
    const records = await load({ path: 'records.fa' });
    assert.deepEqual([[...new Set(data.train.index)], [...new Set(data.test.index)]], [[...records.train.index], [...records.test.index]]);
    // 14, 10, 8, 12, 7, 10 bases: 4 + 3 + 2 + 3 + 2 + 3 windows.
    assert.deepEqual(rowsOf(data), { train: [0, 0, 0, 0, 1, 1, 1, 4, 4, 5, 5, 5], test: [2, 2, 3, 3, 3] });
    assert.deepEqual([...(data.train.window ?? [])], [0, 1, 2, 3, 0, 1, 2, 0, 1, 0, 1, 2]);
    assert.deepEqual(data.train.samples.slice(0, 4), ['ACGT', 'ACGT', 'ACGT', 'AC']);
    const shape = await fasta.describe(parse({ path: 'records.fa', max_bases: 4, on_long: 'windows' }), context);
    assert.deepEqual([shape.cut, shape.windows, shape.shortWindows], [6, 17, 0]);
  });

  it('min_bases drops leftover windows shorter than it, and counts them', async () => {
    const params = parse({ path: 'records.fa', max_bases: 4, on_long: 'windows', min_bases: 3 });
    const data = await fasta.load(params, context);
    // The 2-base leftovers of the 14-, 10- and 10-base records (rows 0, 1, 5) go; the 3-base one of row 4 stays.
    assert.deepEqual(rowsOf(data), { train: [0, 0, 0, 1, 1, 4, 4, 5, 5], test: [2, 2, 3, 3, 3] });
    assert.deepEqual(data.train.samples, ['ACGT', 'ACGT', 'ACGT', 'ACGT', 'NNAC', 'GATT', 'ACA', 'TACG', 'TACG']);
    assert.deepEqual(data.info, { minLength: 3, maxLength: 4 });
    const shape = await assertDescribeMatchesLoad(fasta, params, context);
    assert.deepEqual([shape.cut, shape.windows, shape.shortWindows, shape.short], [6, 14, 3, 0]);
  });

  it('min_bases drops whole records shorter than it before the split', async () => {
    const shape = await assertDescribeMatchesLoad(fasta, parse({ path: 'records.fa', min_bases: 9 }), context);
    // The 8- and 7-base records go; 4 are left: ceil(0.3 × 4) = 2 test records.
    assert.deepEqual([shape.records, shape.short, shape.trainSize, shape.testSize, shape.info.minLength], [4, 2, 2, 2, 10]);
  });

  it('counts only the long records the split drew', async () => {
    // Records of 14, 10, 8, 12, 7 and 10 bases: four longer than 9, but train_size 2 and test_size 2 draw rows 0, 1, 2, 3.
    const params = parse({ path: 'records.fa', max_bases: 9, train_size: 2, test_size: 2 });
    assert.deepEqual(rowsOf(await fasta.load(params, context)), { train: [0, 1], test: [2, 3] });
    const shape = await fasta.describe(params, context);
    assert.deepEqual([shape.cut, shape.windows], [3, undefined]);
  });

  it('splits stratified by the split seed alone', async () => {
    await assertSplitSeedMovesRowsOnly(load, { path: 'records.fa' }, 6);
  });

  it('describes exactly what load gives', async () => {
    for (const params of [{ path: 'records.fa' }, { path: 'records.fa', max_bases: 5 }, { path: 'records.fa', max_bases: 5, on_long: 'windows', train_size: 3, test_size: 3 }]) {
      await assertDescribeMatchesLoad(fasta, parse(params), context);
    }
  });

  it("words its split sizes without a test file of the data's own, which fasta does not take", () => {
    const { shape } = fasta.params as unknown as { shape: Record<string, { description?: string }> };
    assert.equal(shape.train_size.description, 'Training records, drawn stratified by label; with `test_size`, instead of `test_fraction`.');
    for (const param of ['test_fraction', 'train_size', 'test_size']) assert.doesNotMatch(shape[param].description ?? '', /own test|test file/, param);
  });

  it('requires labels with label_from: file and refuses them otherwise', () => {
    const issues = (params: object) => fasta.params.safeParse(params).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    assert.deepEqual(issues({ path: 'x.fa', label_from: 'file' }), [['labels', 'expected the CSV of record ids and labels, which label_from: file needs']]);
    assert.deepEqual(issues({ path: 'x.fa', labels: 'y.csv' }), [['labels', 'expected nothing, as labels are read only with label_from: file; set label_from: file or remove labels']]);
    assert.equal(fasta.params.safeParse({ path: 'x.fa', test_path: 'y.fa' }).success, false);
  });
});
