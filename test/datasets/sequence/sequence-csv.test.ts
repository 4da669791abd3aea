import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sequenceCsv } from '../../../datasets/sequence/sequence-csv.js';
import type { LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass, rowsOf } from '../split-checks.js';

const fixtures = fileURLToPath(new URL('../../fixtures/dna/', import.meta.url));
const context = { baseDir: fixtures };
const parse = (params: object) => sequenceCsv.params.parse(params);
const load = (params: object) => sequenceCsv.load(parse(params), context);

/** labelled.csv's records in file order: data row → [sequence as read, label]. */
const LABELLED: [string, string][] = [
  ['ACGTACGTAC', 'enhancer'],
  ['ACGTACGTAA', 'enhancer'],
  ['TTTTGGGGCC', 'background'],
  ['ACGTTTGCAN', 'enhancer'],
  ['GGGCCCAAAT', 'background'],
  ['ACGTACGTCC', 'enhancer'],
  ['CCCCAAAAGG', 'background'],
  ['ACGTAAAAAA', 'enhancer'],
  ['ACGTCCCCCC', 'enhancer'],
  ['GGGGTTTTAA', 'background'],
  ['ACGTGGGGGG', 'enhancer'],
  ['ACGTTTTTTT', 'enhancer'],
];

/** Source row → [sample, class name] over both sides. */
function held(data: LoadedDataset<'sequence'>): Map<number, [string, string]> {
  return new Map([...bySourceRow(data)].map(([row, { sample, label }]) => [row, [sample, data.classNames[label]]]));
}

describe('sequence-csv', () => {
  it('reads a CSV with a header, upper-casing lower-case sequences, label names as sorted class names', async () => {
    const data = await load({ path: 'labelled.csv' });
    assert.deepEqual(data.classNames, ['background', 'enhancer']);
    assert.deepEqual(held(data), new Map(LABELLED.map((record, row) => [row, record])));
    assert.deepEqual(data.info, { minLength: 10, maxLength: 10 });
    assert.equal(data.train.window, undefined);
  });

  it('splits off ceil(0.3 × 12) = 4 records by default, stratified, the same rows for the same split seed', async () => {
    const data = await load({ path: 'labelled.csv' });
    assert.deepEqual(rowsOf(data), { train: [0, 1, 2, 3, 4, 5, 8, 9], test: [6, 7, 10, 11] });
    assert.deepEqual([perClass(data.train.labels, 2), perClass(data.test.labels, 2)], [[3, 5], [1, 3]]);
    assert.deepEqual(rowsOf(await load({ path: 'labelled.csv', split_seed: 3 })), rowsOf(await load({ path: 'labelled.csv', seed: 9, split_seed: 3 })));
    await assertSplitSeedMovesRowsOnly(load, { path: 'labelled.csv' }, 12);
  });

  it('draws train_size and test_size records, stratified', async () => {
    const data = await load({ path: 'labelled.csv', train_size: 6, test_size: 3 });
    assert.deepEqual([perClass(data.train.labels, 2), perClass(data.test.labels, 2)], [[2, 4], [1, 2]]);
    await assertBothRefuse(sequenceCsv, parse({ path: 'labelled.csv', train_size: 10, test_size: 3 }), ['train_size'], context);
  });

  it('reads a TSV with its columns in any order, by their header names', async () => {
    const data = await load({ path: 'labelled.tsv', sequence_column: 'seq' });
    assert.deepEqual(data.classNames, ['other', 'promoter']);
    assert.deepEqual(held(data), new Map([[0, ['ACGTAC', 'promoter']], [1, ['TGCATG', 'other']], [2, ['ACGTTT', 'promoter']], [3, ['GGCCAA', 'other']]]));
  });

  it('reads a first row without a sequence field as a header, and lists its columns when one is missing', async () => {
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'labelled.tsv' }), ['sequence_column'], context);
    assert.equal(
      message,
      `The 'sequence_column' parameter of sequence-csv must name a column of ${join(fixtures, 'labelled.tsv')}; got 'sequence' instead (columns: name, label, seq); a first row whose first field is not nucleotide letters is read as the header.`,
    );
  });

  it('lists the columns when the label column is missing', async () => {
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'labelled.csv', label_column: 'class' }), ['label_column'], context);
    assert.match(message, /got 'class' instead \(columns: sequence, label\)\.$/);
  });

  it('reads a file whose first row is a sequence as headerless: sequence, then label; integer labels sort numerically', async () => {
    const data = await load({ path: 'no-header.csv' });
    assert.deepEqual(data.classNames, ['1', '2', '10']);
    assert.deepEqual(held(data).get(1), ['TTGACA', '10']);
    assert.equal(bySourceRow(data).get(1)?.label, 2);
    assert.equal(data.train.samples.length + data.test.samples.length, 6);
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'no-header.csv', label_column: 'label' }), ['label_column'], context);
    assert.match(message, /has no header \(its first row starts with nucleotide letters\); remove 'label_column' or add a header row\.$/);
  });

  it('reads a headerless first record holding IUPAC ambiguity codes as data, which on_invalid then treats', async () => {
    // no-header-iupac.tsv: ACGRTACG 1, ACGTTTGG 2, GGCCAATT 1, TTAACCGG 2.
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'no-header-iupac.tsv' }), ['path'], context, 'input');
    assert.match(message, /no-header-iupac\.tsv line 1: the sequence has "R" at position 4 \(1-based\)/);
    const data = await load({ path: 'no-header-iupac.tsv', on_invalid: 'as-n' });
    assert.deepEqual(held(data), new Map([[0, ['ACGNTACG', '1']], [1, ['ACGTTTGG', '2']], [2, ['GGCCAATT', '1']], [3, ['TTAACCGG', '2']]]));
  });

  it("reads a first row of nucleotide letters as a header when it holds the label column's given name", async () => {
    // dna-header.csv's header 'DNA,class': D, N and A are IUPAC letters, so only the name 'class' marks it.
    await assertBothRefuse(sequenceCsv, parse({ path: 'dna-header.csv' }), ['path'], context, 'input');
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'dna-header.csv', label_column: 'class' }), ['sequence_column'], context);
    assert.match(message, /got 'sequence' instead \(columns: DNA, class\)\.$/);
    const data = await load({ path: 'dna-header.csv', sequence_column: 'DNA', label_column: 'class' });
    assert.deepEqual(held(data), new Map([[0, ['ACGTAC', 'a']], [1, ['TTGACA', 'b']], [2, ['GGCATT', 'a']], [3, ['CCATGA', 'b']]]));
  });

  it('takes the test records from test_path, numbering each file\'s rows on its own', async () => {
    const data = await load({ path: 'labelled.csv', test_path: 'labelled-test.csv' });
    assert.deepEqual(rowsOf(data), { train: LABELLED.map((_, row) => row), test: [0, 1, 2, 3] });
    assert.deepEqual(data.test.samples, ['ACGTACGTTT', 'GGGGCCCCAA', 'ACGTACGGGG', 'TTTTCCCCGG']);
    assert.deepEqual([...data.test.labels], [1, 0, 1, 0]);
    const shape = await assertDescribeMatchesLoad(sequenceCsv, parse({ path: 'labelled.csv', test_path: 'labelled-test.csv' }), context);
    assert.deepEqual(shape.files, [join(fixtures, 'labelled.csv'), join(fixtures, 'labelled-test.csv')]);
  });

  it('draws from each file with train_size and test_size when test_path is given', async () => {
    const data = await load({ path: 'labelled.csv', test_path: 'labelled-test.csv', train_size: 6, test_size: 2 });
    assert.deepEqual([perClass(data.train.labels, 2), perClass(data.test.labels, 2)], [[2, 4], [1, 1]]);
    const message = await assertBothRefuse(sequenceCsv, parse({ path: 'labelled.csv', test_path: 'labelled-test.csv', test_size: 5 }), ['test_size'], context);
    assert.equal(message, `The 'test_size' parameter of sequence-csv must be at most 4, the records of ${join(fixtures, 'labelled-test.csv')}; got 5 instead.`);
  });

  it('counts the classes of test_path that training lacks', async () => {
    // unseen-test.csv: enhancer (in labelled.csv), silencer and insulator (not).
    const shape = await assertDescribeMatchesLoad(sequenceCsv, parse({ path: 'labelled.csv', test_path: 'unseen-test.csv' }), context);
    assert.deepEqual([shape.classes, shape.records, shape.untrainedClasses], [4, 15, 2]);
  });

  describe('on_invalid', () => {
    it('error: names the file, line and position', async () => {
      const message = await assertBothRefuse(sequenceCsv, parse({ path: 'invalid.csv' }), ['path'], context, 'input');
      assert.equal(
        message,
        `${join(fixtures, 'invalid.csv')} line 3: the sequence has "X" at position 4 (1-based), outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
      );
    });

    it('skip: drops the records and counts them, rows keeping their place in the file', async () => {
      const params = parse({ path: 'invalid.csv', on_invalid: 'skip' });
      const data = await sequenceCsv.load(params, context);
      assert.deepEqual([...bySourceRow(data).keys()].sort(), [0, 3, 4, 5]);
      assert.equal((await assertDescribeMatchesLoad(sequenceCsv, params, context)).skipped, 2);
    });

    it('as-n: reads each such character as N, counting the records and characters', async () => {
      const params = parse({ path: 'invalid.csv', on_invalid: 'as-n' });
      const data = await sequenceCsv.load(params, context);
      assert.deepEqual([held(data).get(1)?.[0], held(data).get(2)?.[0]], ['ACGNACGT', 'ACGTNCGT']);
      const shape = await sequenceCsv.describe(params, context);
      // Rows 1 (X) and 2 (R), one character each, both drawn into a side.
      assert.deepEqual([shape.readAsN, shape.charactersAsN], [2, 2]);
    });

    it('refuses an empty sequence by its line, or skips it', async () => {
      const message = await assertBothRefuse(sequenceCsv, parse({ path: 'empty-sequence.csv' }), ['path'], context, 'input');
      assert.equal(message, `${join(fixtures, 'empty-sequence.csv')} line 3: the sequence is empty (on_invalid: skip drops such records)`);
      await assertBothRefuse(sequenceCsv, parse({ path: 'empty-sequence.csv', on_invalid: 'as-n' }), ['path'], context, 'input');
      const shape = await sequenceCsv.describe(parse({ path: 'empty-sequence.csv', on_invalid: 'skip' }), context);
      assert.deepEqual([shape.trainSize + shape.testSize, shape.skipped], [5, 1]);
    });
  });

  describe('max_bases', () => {
    // long.csv: records of 10, 4, 7, 12, 3 and 8 bases, labels a, b, a, b, a, b.
    const LONG = ['ACGTACGTAC', 'TTTT', 'GGGCCCA', 'ACGTACGTACGT', 'CAT', 'GATTACAG'];

    it('truncate: keeps the first max_bases bases, with no window numbers', async () => {
      const data = await load({ path: 'long.csv', max_bases: 4 });
      assert.deepEqual(new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, sample])), new Map(LONG.map((s, row) => [row, s.slice(0, 4)])));
      assert.deepEqual(data.info, { minLength: 3, maxLength: 4 });
      assert.equal(data.train.window, undefined);
      assert.equal(data.test.window, undefined);
      const shape = await sequenceCsv.describe(parse({ path: 'long.csv', max_bases: 8 }), context);
      // The 10- and 12-base records, truncated: no windows counted.
      assert.deepEqual([shape.cut, shape.windows, shape.shortWindows], [2, undefined, undefined]);
    });

    it('windows: cut after the split, all windows of a record on its side, numbered, each with its label', async () => {
      const params = parse({ path: 'long.csv', max_bases: 4, on_long: 'windows', train_size: 4, test_size: 2 });
      const data = await sequenceCsv.load(params, context);
      const rows = await load({ path: 'long.csv', train_size: 4, test_size: 2 });
      assert.deepEqual([[...new Set(data.train.index)], [...new Set(data.test.index)]], [[...rows.train.index], [...rows.test.index]]);
      for (const side of [data.train, data.test]) {
        const pieces = new Map<number, string[]>();
        side.index.forEach((row, i) => {
          const list = pieces.get(row) ?? [];
          assert.equal(side.window?.[i], list.length, `window number of row ${row}`);
          assert.equal(side.labels[i], row % 2, `label of row ${row}`);
          pieces.set(row, [...list, side.samples[i]]);
        });
        for (const [row, list] of pieces) assert.equal(list.join(''), LONG[row]);
      }
      // 3 + 1 + 2 + 3 + 1 + 2 windows; the shortest is the 2 bases left of the 10-base record.
      assert.equal(data.train.samples.length + data.test.samples.length, 12);
      assert.deepEqual(data.info, { minLength: 2, maxLength: 4 });
      assert.deepEqual(rowsOf(data), { train: [0, 0, 0, 1, 4, 5, 5], test: [2, 2, 3, 3, 3] });
      const shape = await assertDescribeMatchesLoad(sequenceCsv, params, context);
      // Records of 10, 7, 12 and 8 bases are longer than 4, cut into 3 + 2 + 3 + 2 windows.
      assert.deepEqual([shape.trainSize, shape.testSize, shape.cut, shape.windows, shape.shortWindows], [7, 5, 4, 10, 0]);
    });

    it('windows with min_bases: a leftover window shorter than it is dropped and counted', async () => {
      const params = parse({ path: 'long.csv', max_bases: 4, on_long: 'windows', min_bases: 3, train_size: 4, test_size: 2 });
      const data = await sequenceCsv.load(params, context);
      // As above, less the 2-base leftover 'AC' of row 0; the 3-base record 'CAT' and leftover 'CCA' stay.
      assert.deepEqual(rowsOf(data), { train: [0, 0, 1, 4, 5, 5], test: [2, 2, 3, 3, 3] });
      assert.deepEqual(data.train.samples, ['ACGT', 'ACGT', 'TTTT', 'CAT', 'GATT', 'ACAG']);
      assert.deepEqual([...(data.train.window ?? [])], [0, 1, 0, 0, 0, 1]);
      const shape = await assertDescribeMatchesLoad(sequenceCsv, params, context);
      assert.deepEqual([shape.cut, shape.windows, shape.shortWindows, shape.short], [4, 9, 1, 0]);
    });

    it('min_bases drops whole records shorter than it before the split', async () => {
      const params = parse({ path: 'long.csv', min_bases: 4 });
      const data = await sequenceCsv.load(params, context);
      // 'CAT' (row 4) goes; the split draws from the other 5: ceil(0.3 × 5) = 2 test records.
      assert.deepEqual(rowsOf(data), { train: [1, 2, 3], test: [0, 5] });
      const shape = await assertDescribeMatchesLoad(sequenceCsv, params, context);
      assert.deepEqual([shape.records, shape.short], [5, 1]);
    });

    it('windows need max_bases, and min_bases at most max_bases', () => {
      const issues = (params: object) => sequenceCsv.params.safeParse(params).error?.issues.map((issue) => [issue.path, issue.message]);
      assert.deepEqual(issues({ path: 'long.csv', on_long: 'windows' }), [[['max_bases'], 'expected the window length in bases, which on_long: windows needs']]);
      assert.deepEqual(issues({ path: 'long.csv', max_bases: 4, min_bases: 5 }), [[['min_bases'], 'expected at most max_bases (4), as every cut sample would be shorter']]);
    });
  });

  it('resolves a relative path against the sweep file\'s folder, else the working folder', async () => {
    const params = parse({ path: 'labelled.csv' });
    assert.deepEqual((await sequenceCsv.describe(params, context)).files, [join(fixtures, 'labelled.csv')]);
    const fromCwd = parse({ path: relative(process.cwd(), join(fixtures, 'labelled.csv')) });
    assert.deepEqual(await sequenceCsv.load(fromCwd), await sequenceCsv.load(params, context));
    await assertBothRefuse(sequenceCsv, params, ['path'], { baseDir: join(fixtures, 'elsewhere') }, 'input');
  });

  it('describes exactly what load gives', async () => {
    for (const params of [{ path: 'labelled.csv' }, { path: 'no-header.csv', test_fraction: 0.5 }, { path: 'long.csv', max_bases: 5 }, { path: 'invalid.csv', on_invalid: 'as-n' }]) {
      const shape = await assertDescribeMatchesLoad(sequenceCsv, parse(params), context);
      assert.equal(shape.skipped, 0);
    }
    assert.deepEqual(await sequenceCsv.describe(parse({ path: 'labelled.csv' }), context), {
      info: { minLength: 10, maxLength: 10 },
      trainSize: 8,
      validationSize: 0,
      testSize: 4,
      classes: 2,
      files: [join(fixtures, 'labelled.csv')],
      records: 12,
      skipped: 0,
      short: 0,
      readAsN: 0,
      charactersAsN: 0,
      cut: 0,
      untrainedClasses: 0,
    });
  });

  it('rejects unknown parameters and contradictory split parameters, saying why', () => {
    const issues = (params: object) => sequenceCsv.params.safeParse(params).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    assert.equal(sequenceCsv.params.safeParse({ path: 'x.csv', labels: 'y' }).success, false);
    assert.equal(sequenceCsv.params.safeParse({}).success, false);
    assert.deepEqual(issues({ path: 'x.csv', test_fraction: 0.2, test_size: 3 }), [['test_fraction', 'expected no test_fraction for sequence-csv beside train_size or test_size, because the sizes set the split']]);
    assert.deepEqual(issues({ path: 'x.csv', train_size: 3 }), [['test_size', 'expected a size too, because sequence-csv takes train_size and test_size together (or neither, to hold out test_fraction)']]);
    assert.deepEqual(issues({ path: 'x.csv', test_path: 'y.csv', test_fraction: 0.2 }), [['test_fraction', "expected no test_fraction for sequence-csv, because 'test_path' gives the test records"]]);
    assert.equal(sequenceCsv.params.safeParse({ path: 'x.csv', test_path: 'y.csv', train_size: 3 }).success, true);
  });
});
