// Tests of `tokbench tokenize`: truthful help, a stratified seeded --limit, a clear refusal of a directory as --out, a listing that tells cells apart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sampleRows } from '../../../harness/cli/commands/tokenize.js';
import { root, scratchDir, sweepFile, tokbench } from './spawn.js';

const dna = join(root, 'test', 'fixtures', 'dna');

// 12 samples sorted by class as a split often is: 5 of class 0, 4 of class 1, 3 of class 2, at these source rows.
const labels = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
const index = Int32Array.from([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]);
const classCounts = (rows: readonly number[]) => [0, 1, 2].map((c) => rows.filter((r) => labels[r] === c).length);

test('sampleRows: classes by largest remainder, ties to the lower class, drawn with the seed', () => {
  // 6 of 12: 6·5/12 = 2.5, 6·4/12 = 2, 6·3/12 = 1.5; the one left over ties between classes 0 and 2 and goes to 0.
  assert.deepEqual(sampleRows({ labels, index }, 6, 0), [1, 2, 4, 5, 8, 10]);
  assert.deepEqual(sampleRows({ labels, index }, 6, 1), [1, 3, 4, 6, 8, 11]);
  // 4 of 12: 1.67, 1.33, 1 → 1, 1, 1 and the left-over to the largest remainder, class 0.
  assert.deepEqual(sampleRows({ labels, index }, 4, 0), [1, 4, 5, 10]);
  for (const seed of [0, 1, 2, 3]) {
    assert.deepEqual(classCounts(sampleRows({ labels, index }, 6, seed)), [3, 2, 1]);
    assert.deepEqual(classCounts(sampleRows({ labels, index }, 4, seed)), [2, 1, 1]);
  }
});

test('sampleRows: an unlabelled split (labels −1) is one stratum, drawn with the seed', () => {
  const unlabelled = new Int32Array(12).fill(-1);
  const drawn = sampleRows({ labels: unlabelled, index }, 5, 0);
  assert.equal(new Set(drawn).size, 5);
  assert.ok(drawn.every((row) => row >= 0 && row < 12));
  assert.deepEqual(sampleRows({ labels: unlabelled, index }, 5, 0), drawn);
  assert.notDeepEqual(sampleRows({ labels: unlabelled, index }, 5, 1), drawn);
});

test('sampleRows: output in ascending source-row order; a limit of at least the split is the whole split', () => {
  // The same positions are drawn whatever the source rows; only their order follows the rows.
  const reversed = index.slice().reverse();
  assert.deepEqual(sampleRows({ labels, index: reversed }, 6, 0), [10, 8, 5, 4, 2, 1]);
  assert.deepEqual(sampleRows({ labels, index }, 12, 0), [...Array(12).keys()]);
  assert.deepEqual(sampleRows({ labels, index }, Number.POSITIVE_INFINITY, 5), [...Array(12).keys()]);
});

const MNIST = [
  'name: tokenize-test',
  'version: 1',
  'seeds: [0]',
  'datasets:',
  '  - name: mnist',
  '    params: { train_size: 20, test_size: 10 }',
  'strategies:',
  '  - name: patch',
  '    params: { patch_size: 7 }',
];

interface Line {
  split: string;
  index: number;
  label: string;
}

const readLines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);

describe('tokbench tokenize', { concurrency: true }, () => {
  test('--help examples use no made-up cell id and say where ids come from', async () => {
    const run = await tokbench('tokenize', '--help');
    assert.equal(run.code, 0);
    assert.ok(run.stdout.includes('--cell <id>'), run.stdout);
    assert.ok(run.stdout.includes('tokbench plan'), run.stdout);
    const examples = run.stdout.split('\n').filter((l) => l.startsWith('  tokbench tokenize '));
    assert.ok(examples.length > 0, run.stdout);
    for (const example of examples) assert.doesNotMatch(example, /--cell (?!<id> )/, example);
  });

  test('--limit takes a seeded sample with the classes in proportion, in source-row order', async () => {
    const file = await sweepFile(MNIST);
    const out = (name: string) => join(dirname(file), `${name}.jsonl`);
    const runs = await Promise.all([
      tokbench('tokenize', file, '--split', 'train', '--out', out('all')),
      tokbench('tokenize', file, '--split', 'train', '--limit', '5', '--out', out('seed0')),
      tokbench('tokenize', file, '--split', 'train', '--limit', '5', '--seed', '1', '--out', out('seed1')),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const [train, first, second] = await Promise.all(['all', 'seed0', 'seed1'].map((name) => readLines(out(name))));
    // 2 samples of each of 10 digits: 5 go one each to the lowest five classes, whichever the seed.
    for (const lines of [first, second]) {
      assert.deepEqual(lines.map((l) => l.label), ['0', '1', '2', '3', '4']);
      const rows = lines.map((l) => l.index);
      assert.deepEqual(rows, [...rows].sort((a, b) => a - b));
      for (const row of rows) assert.ok(train.some((l) => l.index === row));
    }
    assert.notDeepEqual(first.map((l) => l.index), second.map((l) => l.index));
  });

  test('--out naming a directory exits 2 with the path and writes nothing', async () => {
    const file = await sweepFile(MNIST);
    const dir = join(dirname(file), 'existing');
    await mkdir(dir);
    const run = await tokbench('tokenize', file, '--out', dir);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `tokbench: The 'out' option of tokenize must name a file (FILE.jsonl); got '${dir}', which names a directory, instead. Nothing was written.\n`);
    assert.deepEqual(await readdir(dir), []);
    assert.deepEqual((await readdir(dirname(file))).sort(), ['existing', 'sweep.yaml']);
    const slash = await tokbench('tokenize', file, '--out', `${join(dirname(file), 'missing')}/`);
    assert.equal(slash.code, 2);
    assert.match(slash.stderr, /must name a file/);
    assert.deepEqual((await readdir(dirname(file))).sort(), ['existing', 'sweep.yaml']);
  });

  test('without --cell, cells that differ only in a model axis are listed with different descriptions', async () => {
    const file = await sweepFile([
      'name: tokenize-cells',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: synthetic-dna',
      '    params: { n: 30 }',
      'strategies:',
      '  - name: kmer',
      '    params: { k: 3 }',
      'model: { dim: [16, 32] }',
    ]);
    const run = await tokbench('tokenize', file, '--out', join(await scratchDir(), 'tokens.jsonl'));
    assert.equal(run.code, 2);
    const listed = run.stderr.split('\n').filter((l) => /^ {2}[0-9a-f]{12} {2}/.test(l)).map((l) => l.slice(16));
    assert.equal(listed.length, 2, run.stderr);
    assert.notEqual(listed[0], listed[1]);
    assert.match(listed[0], /^synthetic-dna \/ kmer k=3 .*model\.dim=16$/);
    assert.match(listed[1], /^synthetic-dna \/ kmer k=3 .*model\.dim=32$/);
  });

  test("the cell's data is checked first, with the very lines validate prints (exit 2, file:line:col)", async () => {
    const shortForK = await sweepFile(['name: short', 'version: 1', 'seeds: [0]', 'datasets:', '  - name: synthetic-dna', '    params: { n: 30, length: 5, classes: 2, motif_length: 3 }', 'strategies:', '  - name: kmer', '    params: { k: 6 }']);
    const badBase = await sweepFile(['name: bad-base', 'version: 1', 'seeds: [0]', 'datasets:', '  - name: fasta', `    params: { path: ${join(dna, 'invalid.fa')} }`, 'strategies:', '  - name: char']);
    const expected = new Map([
      [shortForK, `${shortForK}:9:18: strategies[0].params.k: found k 6 for sequences as short as 5 bases; expected at most 5 (dataset 'synthetic-dna')`],
      // '    params: { path: ' is 20 characters: the value starts at column 21.
      [
        badBase,
        `${badBase}:6:21: datasets[0].params.path: ${join(dna, 'invalid.fa')} line 5, column 3 (record 'bad1|b', base 7): the sequence has "X", outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
      ],
    ]);
    for (const [file, line] of expected) {
      const out = join(dirname(file), 'tokens.jsonl');
      const [tokenized, validated] = await Promise.all([tokbench('tokenize', file, '--out', out), tokbench('validate', file)]);
      assert.equal(tokenized.code, 2, tokenized.stderr);
      assert.equal(tokenized.stderr, `${line}\n1 problem found; nothing was run.\n`);
      assert.equal(validated.stderr, tokenized.stderr);
      assert.deepEqual(await readdir(dirname(file)), ['sweep.yaml']);
    }
  });

  test("--split validation writes the train.val_fraction carved from training; all writes train, validation, test", async () => {
    const file = await sweepFile(['name: validation', 'version: 1', 'seeds: [0]', 'datasets:', '  - name: synthetic-dna', '    params: { n: 30 }', 'strategies:', '  - name: char', 'train: { val_fraction: 0.2 }']);
    const out = (name: string) => join(dirname(file), `${name}.jsonl`);
    const runs = await Promise.all([tokbench('tokenize', file, '--split', 'validation', '--out', out('validation')), tokbench('tokenize', file, '--split', 'all', '--out', out('all'))]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const [validation, all] = await Promise.all([readLines(out('validation')), readLines(out('all'))]);
    // 30 sequences: 9 test, 21 training of which ceil(0.2 × 21) = 5 are held out.
    assert.deepEqual(validation.map((l) => l.split), Array(5).fill('validation'));
    const splits = all.map((l) => l.split);
    assert.deepEqual(splits, [...Array(16).fill('train'), ...Array(5).fill('validation'), ...Array(9).fill('test')]);
    assert.deepEqual(all.filter((l) => l.split === 'validation'), validation);
    assert.equal(new Set(all.map((l) => l.index)).size, 30);
  });

  test('a split cut into windows gives each line its window number', async () => {
    const file = await sweepFile([
      'name: windows',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: sequence-csv',
      `    params: { path: ${join(dna, 'long.csv')}, max_bases: 4, on_long: windows, train_size: 4, test_size: 2 }`,
      'strategies:',
      '  - name: char',
    ]);
    const out = join(dirname(file), 'tokens.jsonl');
    const run = await tokbench('tokenize', file, '--out', out);
    assert.equal(run.code, 0, run.stderr);
    // The test side draws rows 2 (GGGCCCA, a) and 3 (ACGTACGTACGT, b); char ids A 5, C 6, G 7, T 8.
    assert.deepEqual((await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)), [
      { split: 'test', index: 2, window: 0, label: 'a', ids: [7, 7, 7, 6], tokens: ['G', 'G', 'G', 'C'] },
      { split: 'test', index: 2, window: 1, label: 'a', ids: [6, 6, 5], tokens: ['C', 'C', 'A'] },
      { split: 'test', index: 3, window: 0, label: 'b', ids: [5, 6, 7, 8], tokens: ['A', 'C', 'G', 'T'] },
      { split: 'test', index: 3, window: 1, label: 'b', ids: [5, 6, 7, 8], tokens: ['A', 'C', 'G', 'T'] },
      { split: 'test', index: 3, window: 2, label: 'b', ids: [5, 6, 7, 8], tokens: ['A', 'C', 'G', 'T'] },
    ]);
    // The data note comes first: 4 drawn records (10, 7, 12, 8 bases) cut into 3 + 2 + 3 + 2 windows.
    const [note, wrote, ...rest] = run.stderr.split('\n');
    assert.equal(note, "tokbench tokenize: dataset 'sequence-csv' (datasets[0]): 4 record(s) longer than max_bases cut into 10 window(s) (on_long)");
    assert.match(wrote, /^Wrote 5 samples of cell [0-9a-f]{12} \(sequence-csv \/ char\) to /);
    assert.deepEqual(rest, ['']);
  });
});
