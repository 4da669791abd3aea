// Tests of the param columns: one column per model and training param, typed and described from its schema; values
// in their column's representation (a budget as `flops=2e9`, a list as JSON); a param added to a schema gets its
// column with no other change; the default budgets read back from an Arrow file as `epochs=2` and `epochs=3`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType, tableFromIPC, tableToIPC } from 'apache-arrow';
import { z } from 'zod';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { modelParams, trainParams } from '../../../harness/model/params.js';
import { FIXED_COLUMNS } from '../../../harness/results/columns.js';
import type { ColumnSpec } from '../../../harness/results/columns.js';
import {
  isParamAxis,
  PARAM_COLUMNS,
  paramAxisValue,
  paramColumns,
  paramColumnType,
  paramColumnValue,
  paramColumnValues,
  paramValues,
} from '../../../harness/results/param-columns.js';
import { axisColumnName, buildTable } from '../../../harness/results/table.js';
import { budgetSchema } from '../../../harness/training/budget.js';
import { objectKeys } from '../../../harness/validation/schema-shape.js';

const spec = (name: string, type: ColumnSpec['type'], description: string): ColumnSpec => ({ name, type, unit: '', direction: 'none', provenance: 'config', description });

describe('PARAM_COLUMNS', () => {
  test('every key of modelParams and trainParams has exactly one fixed column, of the type its schema asks for', () => {
    const keys = [...(objectKeys(modelParams) ?? []), ...(objectKeys(trainParams) ?? [])];
    assert.deepEqual(PARAM_COLUMNS.map((c) => c.name), keys);
    for (const key of keys) assert.equal(FIXED_COLUMNS.filter((c) => c.name === key).length, 1, key);
    assert.deepEqual(Object.fromEntries(PARAM_COLUMNS.map((c) => [c.name, c.type])), {
      dim: 'int32',
      depth: 'int32',
      heads: 'int32',
      mlp_ratio: 'float64',
      mask_ratio: 'float64',
      pretrain_budget: 'utf8',
      classify_budget: 'utf8',
      batch_size: 'int32',
      lr: 'float64',
      classify: 'utf8',
      val_fraction: 'float64',
      lr_select: 'utf8',
      lr_select_fraction: 'float64',
    });
  });

  test("each column is the param's config column, described by its .describe() text", () => {
    assert.deepEqual(PARAM_COLUMNS[0], spec('dim', 'int32', 'Width of every token embedding.'));
    assert.equal(PARAM_COLUMNS.find((c) => c.name === 'batch_size')?.description, 'Samples per step.');
    for (const c of PARAM_COLUMNS) assert.ok(c.description.length > 0 && c.provenance === 'config' && c.direction === 'none', c.name);
  });

  test('they sit between strategy and params_json, in model then train order', () => {
    const names = FIXED_COLUMNS.map((c) => c.name);
    assert.deepEqual(names.slice(names.indexOf('strategy') + 1, names.indexOf('params_json')), PARAM_COLUMNS.map((c) => c.name));
    assert.ok(!names.includes('pretrain_epochs') && !names.includes('classify_epochs'));
  });
});

describe('paramColumnValues', () => {
  test('the defaults: numbers and strings as they are, budgets as their text, an optional list left out and a param that does not act as null', () => {
    assert.deepEqual(paramColumnValues(modelParams.parse({}), trainParams.parse({})), {
      dim: 32,
      depth: 2,
      heads: 4,
      mlp_ratio: 2,
      mask_ratio: 0.25,
      pretrain_budget: 'epochs=2',
      classify_budget: 'epochs=3',
      batch_size: 32,
      lr: 0.001,
      classify: 'finetune',
      val_fraction: 0,
      lr_select: null,
      // Without lr_select there are no trials to take a share of the budget.
      lr_select_fraction: null,
    });
  });

  test('a FLOP budget is flops=2e9, a tokens budget tokens=500000, and lr_select its values as JSON', () => {
    const train = trainParams.parse({ pretrain_budget: { flops: 2e9 }, classify_budget: { tokens: 500_000 }, val_fraction: 0.2, lr_select: [1e-3, 3e-3] });
    const row = paramColumnValues(modelParams.parse({}), train);
    assert.equal(row.pretrain_budget, 'flops=2e9');
    assert.equal(row.classify_budget, 'tokens=500000');
    assert.equal(row.lr_select, '[0.001,0.003]');
    // lr_select chose the rate, so lr did not act: null rather than a rate the run never used.
    assert.deepEqual([row.lr, row.lr_select_fraction], [null, 0.25]);
    // A probe has no classification budget.
    assert.equal(paramColumnValues(modelParams.parse({}), trainParams.parse({ classify: 'probe', classify_budget: { samples: 10 } })).classify_budget, null);
  });
});

describe('a schema built here', () => {
  const schema = z.strictObject({
    width: z.int().min(1).max(10).default(2).describe('Width.'),
    // Described inside its default: still found.
    rate: z.number().describe('Rate.').default(0.1),
    steps: z.int().min(0),
    mode: z.enum(['a', 'b']).default('a').describe('Mode.'),
    flag: z.boolean().default(false),
    sizes: z.array(z.int()).optional(),
    budget: budgetSchema(1).default({ samples: 1_000 }),
    extra: z.strictObject({ a: z.number() }).optional(),
  });

  test('one column per key, typed and described from the schema; an unbounded integer is float64 (2^53, not 2^31)', () => {
    assert.deepEqual(paramColumns(schema), [
      spec('width', 'int32', 'Width.'),
      spec('rate', 'float64', 'Rate.'),
      spec('steps', 'float64', ''),
      spec('mode', 'utf8', 'Mode.'),
      spec('flag', 'utf8', ''),
      spec('sizes', 'utf8', ''),
      spec('budget', 'utf8', ''),
      spec('extra', 'utf8', ''),
    ]);
  });

  test('values: a budget by its schema, lists, objects and booleans as JSON, missing as null', () => {
    assert.deepEqual(paramValues(schema, schema.parse({ steps: 7, flag: true, sizes: [2, 4], budget: { flops: 1.5e12 }, extra: { a: 1 } })), {
      width: 2,
      rate: 0.1,
      steps: 7,
      mode: 'a',
      flag: 'true',
      sizes: '[2,4]',
      budget: 'flops=1.5e12',
      extra: '{"a":1}',
    });
    assert.deepEqual(paramValues(schema, { steps: 0 }), { width: null, rate: null, steps: 0, mode: null, flag: null, sizes: null, budget: null, extra: null });
  });

  test('an object of other keys is not a budget: its value is JSON', () => {
    assert.equal(paramColumnValue(z.strictObject({ epochs: z.int() }), { epochs: 2 }), '{"epochs":2}');
    assert.equal(paramColumnValue(budgetSchema(0), { epochs: 2 }), 'epochs=2');
  });

  test('a number in a text column is text; with no schema the value decides', () => {
    assert.equal(paramColumnValue(z.union([z.number(), z.literal('auto')]), 4), '4');
    assert.equal(paramColumnValue(undefined, 4), 4);
    assert.equal(paramColumnValue(undefined, { epochs: 2 }), '{"epochs":2}');
  });

  test('int32 only when the whole declared range fits 32 bits', () => {
    assert.equal(paramColumnType(z.int().min(-(2 ** 31)).max(2 ** 31 - 1)), 'int32');
    assert.equal(paramColumnType(z.int().min(0).max(2 ** 31)), 'float64');
    assert.equal(paramColumnType(z.int().min(-(2 ** 31) - 1).max(0)), 'float64');
    assert.equal(paramColumnType(z.number().min(0).max(1)), 'float64');
  });

  test('a param added to trainParams gets its column and value with no other change', () => {
    const extended = trainParams.safeExtend({ warmup_steps: z.int().min(0).max(1_000).default(10).describe('Warm-up steps.') });
    assert.deepEqual(paramColumns(extended), [...paramColumns(trainParams), spec('warmup_steps', 'int32', 'Warm-up steps.')]);
    const values = paramValues(extended, extended.parse({ pretrain_budget: { samples: 300 } }));
    assert.equal(values.warmup_steps, 10);
    assert.equal(values.pretrain_budget, 'samples=300');
  });
});

describe('model and train axes', () => {
  test('every param is an axis whose column is the param column of its name', () => {
    for (const key of objectKeys(modelParams) ?? []) assert.equal(axisColumnName(`model.${key}`), key);
    for (const key of objectKeys(trainParams) ?? []) assert.equal(axisColumnName(`train.${key}`), key);
    assert.ok(isParamAxis('train.lr') && isParamAxis('model.dim'));
    assert.ok(!isParamAxis('strategy.k') && !isParamAxis('dataset.n_train') && !isParamAxis('train'));
  });

  test('an axis value as its column holds it; a param tokbench no longer has keeps its own type', () => {
    assert.equal(paramAxisValue('train.pretrain_budget', { flops: 2e9 }), 'flops=2e9');
    assert.equal(paramAxisValue('train.classify_budget', { epochs: 4 }), 'epochs=4');
    assert.equal(paramAxisValue('model.dim', 64), 64);
    assert.equal(paramAxisValue('train.lr_select', [0.01, 0.1]), '[0.01,0.1]');
    assert.equal(paramAxisValue('train.pretrain_epochs', 3), 3);
  });
});

test('rows written and read back through Arrow: the default budgets are epochs=2 and epochs=3, a budget axis its text', () => {
  const yaml = [
    'name: budgets',
    'version: 1',
    'seeds: [0]',
    'datasets: [{ name: mnist, params: { train_size: 40, test_size: 20 } }]',
    'strategies: [{ name: patch, params: { patch_size: 7 } }]',
    'train: { classify_budget: [{ epochs: 3 }, { flops: 2e9 }] }',
    '',
  ].join('\n');
  const cells = parseSweep(yaml, 'budgets.yaml', builtinComponents).cells;
  const rows = cells.map((cell) => ({ cell_id: cell.id, ...paramColumnValues(cell.model, cell.train) }));
  const metadata = { sweepYaml: yaml, tokbenchVersion: '0.2.0', gitCommit: null, backend: 'cpu', nodeVersion: 'v20.0.0' };
  const table = tableFromIPC(tableToIPC(buildTable(rows, [], metadata), 'file'));
  const type = (name: string) => table.schema.fields.find((f) => f.name === name)?.type;
  assert.ok(DataType.isUtf8(type('pretrain_budget')) && DataType.isUtf8(type('lr_select')) && DataType.isInt(type('batch_size')));
  assert.deepEqual(table.getChild('pretrain_budget')?.toArray(), ['epochs=2', 'epochs=2']);
  assert.deepEqual(table.getChild('classify_budget')?.toArray(), ['epochs=3', 'flops=2e9']);
  assert.deepEqual([...(table.getChild('lr_select') ?? [])], [null, null]);
  assert.deepEqual([...(table.getChild('dim') ?? [])], [32, 32]);
});
