// Preflight's notes: a dataset whose reader skipped or cut records is announced before anything trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { preflight } from '../../../harness/runner/preflight.js';

const fixtures = fileURLToPath(new URL('../../fixtures/dna/', import.meta.url));

const sweep = (datasets: string) =>
  parseSweep(
    ['name: notes', 'version: 1', 'seeds: [0]', `datasets: ${datasets}`, 'strategies: [{ name: char }]', 'model: { dim: 16, depth: 1, heads: 2 }', 'train: { pretrain_epochs: 1, classify_epochs: 1 }'].join('\n'),
    join(fixtures, 'notes.yaml'),
    builtinComponents,
  );

test('one note per dataset that skipped or cut records, naming it, its place in the file and the counts', async () => {
  const checked = await preflight(
    sweep('[{ name: synthetic-dna, params: { n: 30 } }, { name: sequence-csv, params: { path: long.csv, max_bases: 8 } }, { name: sequence-csv, params: { path: invalid.csv, on_invalid: skip } }]'),
  );
  assert.deepEqual(checked.notes, [
    "dataset 'sequence-csv' (datasets[1]): 2 record(s) longer than max_bases truncated or cut into windows (on_long)",
    "dataset 'sequence-csv' (datasets[2]): 2 record(s) skipped as unusable (on_invalid)",
  ]);
});

test('no notes when every record is used whole', async () => {
  assert.deepEqual((await preflight(sweep('[{ name: sequence-csv, params: { path: long.csv, max_bases: 12 } }]'))).notes, []);
});
