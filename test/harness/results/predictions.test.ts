// Tests of predictions.arrow: one row per (cell, seed, test sample), written as an IPC file and read back
// with polars, every column checked exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import pl from 'nodejs-polars';
import { buildPredictionsTable } from '../../../harness/results/predictions.js';
import type { SamplePredictions } from '../../../harness/results/predictions.js';
import type { TableMetadata } from '../../../harness/results/provenance.js';

const metadata: TableMetadata = { sweepYaml: 'name: demo\n', tokbenchVersion: '0.1.0', gitCommit: 'abc123', backend: 'cpu', nodeVersion: 'v20.0.0' };

/** A fine-tuned row: three test samples of three classes, with probabilities. */
const classified: SamplePredictions = {
  cellId: 'c1',
  seed: 1,
  classNames: ['cat', 'dog', 'fish'],
  sampleIndex: Int32Array.from([10, 3, 7]),
  window: null,
  labels: Int32Array.from([0, 2, 1]),
  predicted: Int32Array.from([0, 1, 1]),
  tokens: Int32Array.from([16, 16, 9]),
  probabilities: Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.25, 0.5, 0.25]),
};

/** A `classify: none` row: no predicted class, no probabilities. */
const unclassified: SamplePredictions = {
  cellId: 'c2',
  seed: 2,
  classNames: ['A', 'B'],
  sampleIndex: Int32Array.from([4, 0]),
  window: null,
  labels: Int32Array.from([1, 0]),
  predicted: null,
  tokens: Int32Array.from([12, 30]),
  probabilities: null,
};

const read = (withProbabilities: boolean, all: readonly SamplePredictions[] = [classified, unclassified]) => {
  const buffer = tableToIPC(buildPredictionsTable(all, withProbabilities, metadata), 'file');
  return { buffer, df: pl.readIPC(Buffer.from(buffer)) };
};

const dtypes = (df: pl.DataFrame) => Object.fromEntries(df.columns.map((name) => [name, String(df.getColumn(name).dtype)]));

const f32 = (values: number[]) => values.map((v) => Math.fround(v));

describe('buildPredictionsTable without probabilities', () => {
  const { buffer, df } = read(false);

  test('columns and their types; no probabilities column', () => {
    assert.deepEqual(dtypes(df), {
      cell_id: String(pl.String),
      seed: String(pl.Int32),
      sample_index: String(pl.Int32),
      label: String(pl.String),
      predicted: String(pl.String),
      tokens: String(pl.Int32),
    });
  });

  test('rows in concatenation order, classes by name, null predictions for classify: none', () => {
    assert.deepEqual(df.toRecords(), [
      { cell_id: 'c1', seed: 1, sample_index: 10, label: 'cat', predicted: 'cat', tokens: 16 },
      { cell_id: 'c1', seed: 1, sample_index: 3, label: 'fish', predicted: 'dog', tokens: 16 },
      { cell_id: 'c1', seed: 1, sample_index: 7, label: 'dog', predicted: 'dog', tokens: 9 },
      { cell_id: 'c2', seed: 2, sample_index: 4, label: 'B', predicted: null, tokens: 12 },
      { cell_id: 'c2', seed: 2, sample_index: 0, label: 'A', predicted: null, tokens: 30 },
    ]);
  });

  test('the provenance metadata of the result table', () => {
    assert.deepEqual(
      [...tableFromIPC(buffer).schema.metadata],
      [
        ['tokbench.sweep_yaml', 'name: demo\n'],
        ['tokbench.version', '0.1.0'],
        ['tokbench.git_commit', 'abc123'],
        ['tokbench.backend', 'cpu'],
        ['tokbench.node_version', 'v20.0.0'],
      ],
    );
  });
});

describe('buildPredictionsTable with probabilities', () => {
  const { df } = read(true);

  test('a List(Float32) probabilities column after the others', () => {
    assert.deepEqual(dtypes(df), {
      cell_id: String(pl.String),
      seed: String(pl.Int32),
      sample_index: String(pl.Int32),
      label: String(pl.String),
      predicted: String(pl.String),
      tokens: String(pl.Int32),
      probabilities: String(pl.List(pl.Float32)),
    });
  });

  test('one list of class probabilities per sample (row-major rows of the matrix), null where the row has none', () => {
    assert.deepEqual(df.getColumn('probabilities').toArray(), [f32([0.7, 0.2, 0.1]), f32([0.1, 0.6, 0.3]), f32([0.25, 0.5, 0.25]), null, null]);
  });

  test('the other columns are unchanged', () => {
    assert.deepEqual(df.drop('probabilities').toRecords(), read(false).df.toRecords());
  });

  test('the order of the inputs is the order of the rows', () => {
    const reversed = read(true, [unclassified, classified]).df;
    assert.deepEqual(reversed.getColumn('cell_id').toArray(), ['c2', 'c2', 'c1', 'c1', 'c1']);
    assert.deepEqual(reversed.getColumn('sample_index').toArray(), [4, 0, 10, 3, 7]);
    assert.deepEqual(reversed.getColumn('probabilities').toArray(), [null, null, f32([0.7, 0.2, 0.1]), f32([0.1, 0.6, 0.3]), f32([0.25, 0.5, 0.25])]);
  });
});

test('no predictions: an empty table that still has every column', () => {
  const { df } = read(true, []);
  assert.equal(df.height, 0);
  assert.deepEqual(df.columns, ['cell_id', 'seed', 'sample_index', 'label', 'predicted', 'tokens', 'probabilities']);
});

test('a window column appears only when a reader cut windows, null for runs without them', () => {
  const windowed: SamplePredictions = { ...unclassified, cellId: 'c3', window: Int32Array.from([0, 2]) };
  const without = buildPredictionsTable([classified, unclassified], false, metadata);
  assert.ok(!without.schema.fields.some((f) => f.name === 'window'));
  const table = buildPredictionsTable([classified, windowed], false, metadata);
  assert.deepEqual(table.schema.fields.map((f) => f.name).slice(0, 4), ['cell_id', 'seed', 'sample_index', 'window']);
  assert.deepEqual(Array.from(table.getChild('window') ?? [], (v) => v), [null, null, null, 0, 2]);
});
