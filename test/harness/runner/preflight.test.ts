// Preflight: a dataset whose reader dropped, changed or cut records, or whose classes cannot all be learned, is announced
// before anything trains; every dataset's data problem is reported at once at its place in the sweep file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { preflight } from '../../../harness/runner/preflight.js';
import { ConfigError, formatProblem } from '../../../harness/validation/problems.js';

const fixtures = fileURLToPath(new URL('../../fixtures/dna/', import.meta.url));
const file = join(fixtures, 'notes.yaml');

const sweep = (datasets: string) =>
  parseSweep(
    ['name: notes', 'version: 1', 'seeds: [0]', `datasets: ${datasets}`, 'strategies: [{ name: char }]', 'model: { dim: 16, depth: 1, heads: 2 }', 'train: { pretrain_epochs: 1, classify_epochs: 1 }'].join('\n'),
    file,
    builtinComponents,
  );

test('one note per dataset that skipped or cut records, naming it, its place in the file and the counts', async () => {
  const checked = await preflight(
    sweep('[{ name: synthetic-dna, params: { n: 30 } }, { name: sequence-csv, params: { path: long.csv, max_bases: 8 } }, { name: sequence-csv, params: { path: invalid.csv, on_invalid: skip } }]'),
  );
  assert.deepEqual(checked.notes, [
    // long.csv: records of 10, 4, 7, 12, 3 and 8 bases, all drawn; two longer than 8.
    "dataset 'sequence-csv' (datasets[1]): 2 record(s) longer than max_bases truncated (on_long)",
    "dataset 'sequence-csv' (datasets[2]): 2 record(s) skipped as unusable (on_invalid)",
  ]);
});

test('notes on windows, short samples and characters read as N', async () => {
  const checked = await preflight(
    sweep(
      '[{ name: sequence-csv, params: { path: long.csv, max_bases: 4, on_long: windows, min_bases: 3 } }, { name: sequence-csv, params: { path: long.csv, min_bases: 4 } }, { name: sequence-csv, params: { path: invalid.csv, on_invalid: as-n } }]',
    ),
  );
  assert.deepEqual(checked.notes, [
    // 10 → 4 + 4 (+ 2 dropped), 7 → 4 + 3, 12 → 4 + 4 + 4, 8 → 4 + 4: 4 records, 9 windows kept, 1 dropped.
    "dataset 'sequence-csv' (datasets[0]): 4 record(s) longer than max_bases cut into 9 window(s) (on_long); 1 leftover window(s) shorter than min_bases dropped",
    // The 3-base record 'CAT'.
    "dataset 'sequence-csv' (datasets[1]): 1 record(s) shorter than min_bases dropped",
    // invalid.csv: 'ACGXACGT' and 'acgtRcgt', one character each.
    "dataset 'sequence-csv' (datasets[2]): 2 record(s) with 2 character(s) outside A, C, G, T, N read as N (on_invalid: as-n)",
  ]);
});

test('classes without a training sample, and a label field that makes nearly every record a class, are announced', async () => {
  const checked = await preflight(sweep('[{ name: fasta, params: { path: records.fa, field: 0 } }, { name: sequence-csv, params: { path: labelled.csv, test_path: unseen-test.csv } }]'));
  assert.deepEqual(checked.notes, [
    // records.fa by id: 6 classes for 6 records; the 2 test records' classes have no training record.
    "dataset 'fasta' (datasets[0]): is the label field right? 6 classes for 6 records",
    "dataset 'fasta' (datasets[0]): 2 class(es) of the test split have no training sample; accuracy cannot reach 1",
    // unseen-test.csv's silencer and insulator are not in labelled.csv; 4 classes for 15 records is no alarm.
    "dataset 'sequence-csv' (datasets[1]): 2 class(es) of the test split have no training sample; accuracy cannot reach 1",
  ]);
});

test('no notes when every record is used whole', async () => {
  assert.deepEqual((await preflight(sweep('[{ name: sequence-csv, params: { path: long.csv, max_bases: 12 } }]'))).notes, []);
});

test("every dataset's unusable data is a problem at its params, all reported at once", async () => {
  // Line 4 is `datasets: [...]`; the first dataset's `path` value starts at column 43, the second's at column 97 ('datasets: ' is 10 characters).
  const datasets = '[{ name: fasta, params: { path: invalid.fa } }, { name: sequence-csv, params: { path: missing.csv } }, { name: synthetic-dna, params: { n: 30 } }]';
  const error: unknown = await preflight(sweep(datasets)).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(error.code, 'config');
  assert.deepEqual(error.problems.map((p) => p.code), ['input', 'input']);
  assert.deepEqual(error.problems.map(formatProblem), [
    `${file}:4:43: datasets[0].params.path: ${join(fixtures, 'invalid.fa')} line 5, column 3 (record 'bad1|b', base 7): the sequence has "X", outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
    `${file}:4:97: datasets[1].params.path: cannot read data file ${join(fixtures, 'missing.csv')} (ENOENT: no such file or directory, stat '${join(fixtures, 'missing.csv')}')`,
  ]);
});

test("shapes carry each cell's validation split; a val_fraction the training split cannot spare is a problem at train.val_fraction", async () => {
  const withTrain = (train: string) =>
    parseSweep(['name: notes', 'version: 1', 'seeds: [0]', 'datasets: [{ name: synthetic-dna, params: { n: 30 } }]', 'strategies: [{ name: char }]', 'model: { dim: 16, depth: 1, heads: 2 }', `train: ${train}`].join('\n'), file, builtinComponents);
  const sweepOf = await withTrain('{ pretrain_epochs: 1, classify_epochs: 1, val_fraction: [0, 0.2] }');
  const checked = await preflight(sweepOf);
  // 30 sequences: ceil(0.3 × 30) = 9 test, 21 training; ceil(0.2 × 21) = 5 of them held out at 0.2.
  const sizes = sweepOf.cells.map((cell) => [cell.train.val_fraction, checked.shapeOf(cell).trainSize, checked.shapeOf(cell).validationSize, checked.shapeOf(cell).testSize]);
  assert.deepEqual(sizes, [[0, 21, 0, 9], [0.2, 16, 5, 9]]);
  const error: unknown = await preflight(await withTrain('{ pretrain_epochs: 1, classify_epochs: 1, val_fraction: 0.97 }')).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  // Line 7 is `train: {...}`; val_fraction's value starts at column 64.
  assert.deepEqual(error.problems.map(formatProblem), [
    `${file}:7:64: train.val_fraction: The 'val_fraction' parameter of train must leave at least one of the 21 training samples of synthetic-dna for training; got 0.97 (21 validation samples) instead.`,
  ]);
});
