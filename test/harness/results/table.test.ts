// Tests of the Arrow result table: axis column typing and values, and a table written as an IPC file and
// read back by an independent reader (polars), checking types, values, nulls and the provenance metadata.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import pl from 'nodejs-polars';
import type { ColumnType, ResultRow } from '../../../harness/results/columns.js';
import { FIXED_COLUMNS } from '../../../harness/results/columns.js';
import { axisColumn, axisColumnName, axisValue, buildTable } from '../../../harness/results/table.js';
import type { TableMetadata } from '../../../harness/results/provenance.js';

describe('axisColumn', () => {
  const typeOf = (values: unknown[]) => axisColumn('strategy.x', values).type;

  test('the full spec of an axis column', () => {
    assert.deepEqual(axisColumn('strategy.patch_size', [4, 7]), {
      name: 'strategy.patch_size',
      type: 'int32',
      unit: '',
      direction: 'none',
      provenance: 'config',
      description: 'Sweep axis strategy.patch_size.',
    });
  });

  test('integers below 2^31 in magnitude are int32; nulls and missing values are ignored', () => {
    assert.equal(typeOf([4, 7]), 'int32');
    assert.equal(typeOf([0, -3, 2 ** 31 - 1, -(2 ** 31 - 1)]), 'int32');
    assert.equal(typeOf([4, null, undefined]), 'int32');
  });

  test('an integer of 2^31 or more, or any non-integer, makes the column float64', () => {
    assert.equal(typeOf([4, 2 ** 31]), 'float64');
    assert.equal(typeOf([1e12]), 'float64');
    assert.equal(typeOf([4, 0.5]), 'float64');
    assert.equal(typeOf([0.001, null, 0.01]), 'float64');
  });

  test('strings, lists, objects, booleans and mixtures are utf8', () => {
    assert.equal(typeOf(['a', 'b']), 'utf8');
    assert.equal(typeOf([[2, 4], [8]]), 'utf8');
    assert.equal(typeOf([{ a: 1 }, null]), 'utf8');
    assert.equal(typeOf([true, false]), 'utf8');
    assert.equal(typeOf([4, 'auto']), 'utf8');
    assert.equal(typeOf([4, [4]]), 'utf8');
  });
});

test('axisColumnName: model and train axes are the fixed column of the param alone; dataset and strategy axes keep their name', () => {
  assert.equal(axisColumnName('train.lr'), 'lr');
  assert.equal(axisColumnName('model.dim'), 'dim');
  assert.equal(axisColumnName('train.mask_ratio'), 'mask_ratio');
  assert.equal(axisColumnName('strategy.patch_size'), 'strategy.patch_size');
  assert.equal(axisColumnName('dataset.split_seed'), 'dataset.split_seed');
});

test('axisValue: numbers and strings as they are, null for missing, lists and objects (and booleans) as JSON', () => {
  assert.equal(axisValue(undefined), null);
  assert.equal(axisValue(null), null);
  assert.equal(axisValue(0), 0);
  assert.equal(axisValue(0.5), 0.5);
  assert.equal(axisValue(''), '');
  assert.equal(axisValue('auto'), 'auto');
  assert.equal(axisValue([2, 4]), '[2,4]');
  assert.equal(axisValue({ k: 1, m: [1] }), '{"k":1,"m":[1]}');
  assert.equal(axisValue(true), 'true');
});

describe('buildTable, written as an IPC file and read back with polars', () => {
  const metadata: TableMetadata = {
    sweepYaml: 'name: demo\nseed: [1, 2]\n',
    tokbenchVersion: '0.1.0',
    gitCommit: null,
    backend: 'cpu,wasm',
    nodeVersion: 'v20.0.0',
  };
  const axisValues: Record<string, unknown[]> = {
    'strategy.patch_size': [4, undefined],
    'dataset.noise': [0.5, 2],
    'strategy.sizes': [[2, 4], null],
    'strategy.vocab': [4, 'auto'],
  };
  const axisColumns = Object.entries(axisValues).map(([name, values]) => axisColumn(name, values));
  const axisCells = (i: number) => Object.fromEntries(Object.entries(axisValues).map(([name, values]) => [name, axisValue(values[i])]));
  const rows: ResultRow[] = [
    {
      sweep: 'demo',
      cell_id: 'c1',
      seed: 1,
      modality: 'image',
      dataset: 'mnist',
      strategy: 'patch',
      dim: 32,
      lr: 0.002,
      params_json: '{"dataset":{}}',
      status: 'ok',
      error: null,
      reconstruction_error: 0.0125,
      vocab_size: 0,
      parameter_count: 3_000_000_001,
      pretrain_losses: [0.5, 0.25, 0.125],
      ...axisCells(0),
    },
    {
      sweep: 'demo',
      cell_id: 'c2',
      seed: 2,
      modality: 'sequence',
      dataset: 'synthetic-dna',
      strategy: 'kmer',
      dim: 32,
      lr: 0.002,
      params_json: '{"dataset":{}}',
      status: 'diverged',
      error: 'loss became NaN',
      reconstruction_error: null,
      vocab_size: 64,
      pretrain_losses: null,
      ...axisCells(1),
    },
  ];
  const buffer = tableToIPC(buildTable(rows, axisColumns, metadata), 'file');
  const df = pl.readIPC(Buffer.from(buffer));
  const column = (name: string) => df.getColumn(name).toArray();
  const dtype = (name: string) => String(df.getColumn(name).dtype);
  const POLARS: { readonly [T in ColumnType]: string } = {
    utf8: String(pl.String),
    int32: String(pl.Int32),
    float64: String(pl.Float64),
    'list<float64>': String(pl.List(pl.Float64)),
  };

  test('the fixed columns in declaration order, then the axis columns; one row per input row', () => {
    assert.deepEqual(df.columns, [...FIXED_COLUMNS.map((c) => c.name), 'strategy.patch_size', 'dataset.noise', 'strategy.sizes', 'strategy.vocab']);
    assert.equal(df.height, 2);
  });

  test('every fixed column has its declared type', () => {
    for (const c of FIXED_COLUMNS) assert.equal(dtype(c.name), POLARS[c.type], c.name);
    assert.equal(dtype('seed'), 'DataType(Int32)');
    assert.equal(dtype('sweep'), 'DataType(String)');
    assert.equal(dtype('lr'), 'DataType(Float64)');
    assert.equal(dtype('pretrain_losses'), 'DataType(List(DataType(Float64)))');
  });

  test('axis columns: int32, float64, and utf8 with lists as JSON and numbers as text in a mixed column', () => {
    assert.equal(dtype('strategy.patch_size'), String(pl.Int32));
    assert.equal(dtype('dataset.noise'), String(pl.Float64));
    assert.equal(dtype('strategy.sizes'), String(pl.String));
    assert.equal(dtype('strategy.vocab'), String(pl.String));
    assert.deepEqual(column('strategy.patch_size'), [4, null]);
    assert.deepEqual(column('dataset.noise'), [0.5, 2]);
    assert.deepEqual(column('strategy.sizes'), ['[2,4]', null]);
    assert.deepEqual(column('strategy.vocab'), ['4', 'auto']);
  });

  test('values and nulls read back exactly, missing columns are null', () => {
    assert.deepEqual(df.select('cell_id', 'seed', 'modality', 'dataset', 'strategy', 'dim', 'lr', 'status', 'error').toRecords(), [
      { cell_id: 'c1', seed: 1, modality: 'image', dataset: 'mnist', strategy: 'patch', dim: 32, lr: 0.002, status: 'ok', error: null },
      { cell_id: 'c2', seed: 2, modality: 'sequence', dataset: 'synthetic-dna', strategy: 'kmer', dim: 32, lr: 0.002, status: 'diverged', error: 'loss became NaN' },
    ]);
    assert.deepEqual(column('reconstruction_error'), [0.0125, null]);
    assert.deepEqual(column('vocab_size'), [0, 64]);
    // Exact beyond 2^31: parameter_count is float64.
    assert.deepEqual(column('parameter_count'), [3_000_000_001, null]);
    assert.deepEqual(column('depth'), [null, null]);
    assert.deepEqual(column('accuracy'), [null, null]);
  });

  test('a list metric holds one value per epoch, null for a row without it', () => {
    assert.deepEqual(column('pretrain_losses'), [[0.5, 0.25, 0.125], null]);
    assert.deepEqual(column('classify_losses'), [null, null]);
  });

  test('schema metadata carries the provenance keys, a missing git commit as the empty string', () => {
    assert.deepEqual(
      [...tableFromIPC(buffer).schema.metadata],
      [
        ['tokbench.sweep_yaml', 'name: demo\nseed: [1, 2]\n'],
        ['tokbench.version', '0.1.0'],
        ['tokbench.git_commit', ''],
        ['tokbench.backend', 'cpu,wasm'],
        ['tokbench.node_version', 'v20.0.0'],
      ],
    );
  });
});

test('buildTable: a diverged row keeps NaN in its losses, and no rows gives an empty table with every column', () => {
  const metadata: TableMetadata = { sweepYaml: '', tokbenchVersion: '0.1.0', gitCommit: 'abc123-dirty', backend: 'cpu', nodeVersion: 'v20.0.0' };
  const withNaN = pl.readIPC(Buffer.from(tableToIPC(buildTable([{ pretrain_losses: [0.5, Number.NaN] }], [], metadata), 'file')));
  const [losses] = withNaN.getColumn('pretrain_losses').toArray() as unknown as number[][];
  assert.equal(losses.length, 2);
  assert.equal(losses[0], 0.5);
  assert.ok(Number.isNaN(losses[1]));

  const buffer = tableToIPC(buildTable([], [axisColumn('strategy.k', [3])], metadata), 'file');
  const empty = pl.readIPC(Buffer.from(buffer));
  assert.equal(empty.height, 0);
  assert.deepEqual(empty.columns, [...FIXED_COLUMNS.map((c) => c.name), 'strategy.k']);
  assert.equal(String(empty.getColumn('strategy.k').dtype), String(pl.Int32));
  assert.equal(tableFromIPC(buffer).schema.metadata.get('tokbench.git_commit'), 'abc123-dirty');
});
