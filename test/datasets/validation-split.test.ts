// Every registered dataset carves its validation split by the one rule (datasets/split.ts carveValidation): from its
// training split only, whole records at a time, the test split untouched, and `describe` reporting the carved sizes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../datasets/registry.js';
import { carveValidation, splitSeedOf } from '../../datasets/split.js';
import type { DatasetDefinition, LoadedDataset, SeedParams, Split } from '../../datasets/types.js';
import { assertDescribeMatchesLoad } from './shape-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-validation-split-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// 14 cells of three genes, every one with counts; labelled A or B, and the same counts without labels.
const counts = (c: number) => `${c % 4},${(c * 7) % 5},${1 + (c % 2)}`;
writeFileSync(join(dir, 'cells.csv'), ['cell,type,G0,G1,G2', ...Array.from({ length: 14 }, (_, c) => `c${c},${c % 3 === 0 ? 'A' : 'B'},${counts(c)}`)].join('\n'));
writeFileSync(join(dir, 'unlabelled.csv'), ['cell,G0,G1,G2', ...Array.from({ length: 14 }, (_, c) => `c${c},${counts(c)}`)].join('\n'));

const images = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
const dna = fileURLToPath(new URL('../fixtures/dna/', import.meta.url));

/** A dataset with params its fixtures can serve, and the folder its paths start from. */
interface Case {
  readonly name: keyof typeof datasets;
  readonly params: object;
  readonly baseDir: string;
}

const CASES: readonly Case[] = [
  { name: 'mnist', params: { train_size: 40, test_size: 20 }, baseDir: dir },
  { name: 'idx', params: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' }, baseDir: join(images, 'idx') },
  {
    name: 'idx',
    params: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', test_images: 't10k-images-idx3-ubyte', test_labels: 't10k-labels-idx1-ubyte' },
    baseDir: join(images, 'idx'),
  },
  { name: 'image-folder', params: { path: 'png' }, baseDir: join(images, 'folder') },
  { name: 'image-folder', params: { path: 'split' }, baseDir: join(images, 'folder') },
  { name: 'synthetic-images', params: { n: 40, size: 8 }, baseDir: dir },
  { name: 'synthetic-expression', params: { cells: 40, genes: 20 }, baseDir: dir },
  { name: 'expression-csv', params: { path: 'cells.csv', label_column: 'type', hvg: 2 }, baseDir: dir },
  { name: 'expression-csv', params: { path: 'unlabelled.csv' }, baseDir: dir },
  { name: 'synthetic-dna', params: { n: 40, length: 30 }, baseDir: dir },
  { name: 'sequence-csv', params: { path: 'labelled.csv' }, baseDir: dna },
  { name: 'sequence-csv', params: { path: 'labelled.csv', test_path: 'labelled-test.csv' }, baseDir: dna },
  { name: 'sequence-csv', params: { path: 'long.csv', max_bases: 4, on_long: 'windows' }, baseDir: dna },
  { name: 'fasta', params: { path: 'records.fa' }, baseDir: dna },
];

/** Readers that carve in the expression pipeline (defineExpressionReader) exactly as expression-csv, which stands for them here. */
const PIPELINE_READERS: readonly string[] = ['10x-mtx', 'h5ad', '10x-h5'];

const VAL_FRACTION = 0.25;

/** Each sample of a side as `row/window`, so windows of one record can be told apart. */
const keys = (side: Split) => Array.from(side.index, (row, i) => `${row}/${side.window?.[i] ?? 0}`);

/** The samples of every side by `row/window`. */
function samplesByKey(data: LoadedDataset): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const side of [data.train, data.validation, data.test]) keys(side).forEach((key, i) => out.set(key, side.samples[i]));
  return out;
}

describe('validation split, every dataset', () => {
  it('covers every registered dataset', () => {
    const covered = new Set([...CASES.map(({ name }) => name), ...PIPELINE_READERS]);
    assert.deepEqual(Object.keys(datasets).filter((name) => !covered.has(name)), []);
  });

  for (const { name, params: raw, baseDir } of CASES) {
    it(`${name} ${JSON.stringify(raw)}: carves the training split by the one rule, before anything sees it`, async () => {
      const definition: DatasetDefinition = datasets[name];
      const params = definition.params.parse(raw);
      const whole = await definition.load(params, { baseDir });
      const carved = await definition.load(params, { baseDir, valFraction: VAL_FRACTION });
      const shape = await assertDescribeMatchesLoad(definition, params, { baseDir, valFraction: VAL_FRACTION });
      assert.equal((await definition.describe(params, { baseDir })).validationSize, 0);
      assert.equal(whole.validation.samples.length, 0);
      assert.ok(shape.validationSize > 0);
      // The test split never moves; the training split loses exactly the validation samples, each holding what it held.
      assert.deepEqual(keys(carved.test), keys(whole.test));
      assert.deepEqual([...keys(carved.train), ...keys(carved.validation)].sort(), keys(whole.train).sort());
      const before = samplesByKey(whole);
      for (const [key, sample] of samplesByKey(carved)) assert.deepEqual(sample, before.get(key), key);
      // Whole records: no record has samples (windows) on both sides.
      const trainRows = new Set(carved.train.index);
      assert.ok(carved.validation.index.every((row) => !trainRows.has(row)));
      // The rows are carveValidation's over the training records, seeded by the split seed alone.
      const records = [...new Set(whole.train.index)];
      const labels = Int32Array.from(records, (row) => Math.max(whole.train.labels[whole.train.index.indexOf(row)], 0));
      const positions = carveValidation({ train: Int32Array.from(records.keys()), test: new Int32Array(0) }, labels, VAL_FRACTION, splitSeedOf(params as SeedParams), name);
      assert.deepEqual([...new Set(carved.validation.index)], Array.from(positions.validation, (i) => records[i]));
    });
  }
});
