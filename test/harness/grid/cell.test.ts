// Tests of cell ids: stable under key order and formatting, different when any resolved param differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../harness/grid/canonical-json.js';
import { z } from 'zod';
import { cellId } from '../../../harness/grid/cell.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { fakeComponents } from './fake-components.js';

const model = { dim: 32, depth: 2, heads: 4, mlp_ratio: 2 };
const train = { mask_ratio: 0.25, pretrain_epochs: 2, classify_epochs: 3, batch_size: 32, lr: 0.001, classify: 'finetune' as const };
const cell = { dataset: { name: 'digits', params: { train_size: 100, seed: 0 } }, strategy: { name: 'patch', params: { patch_size: 4 } }, model, train };

test('canonical JSON sorts keys at every depth and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } }), '{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
  assert.equal(canonicalJson({ a: 1e-3, b: 'é', c: null }), '{"a":0.001,"b":"é","c":null}');
});

test('a cell id is the first 12 hex digits of the SHA-256 of its canonical JSON', () => {
  const json =
    '{"dataset":{"name":"digits","params":{"seed":0,"train_size":100}},' +
    '"model":{"depth":2,"dim":32,"heads":4,"mlp_ratio":2},' +
    '"strategy":{"name":"patch","params":{"patch_size":4}},' +
    '"train":{"batch_size":32,"classify":"finetune","classify_epochs":3,"lr":0.001,"mask_ratio":0.25,"pretrain_epochs":2}}';
  assert.equal(cellId(cell), createHash('sha256').update(json).digest('hex').slice(0, 12));
  // Pinned: a change here silently orphans every stored result.
  assert.equal(cellId(cell), 'beebf10d63e7');
});

test('a cell id ignores key order and changes with any param', () => {
  const reordered = {
    train: { ...train },
    model: { mlp_ratio: 2, heads: 4, depth: 2, dim: 32 },
    strategy: { params: { patch_size: 4 }, name: 'patch' },
    dataset: { params: { seed: 0, train_size: 100 }, name: 'digits' },
  };
  assert.equal(cellId(reordered), cellId(cell));
  const variants = [
    { ...cell, dataset: { name: 'digits', params: { train_size: 100, seed: 1 } } },
    { ...cell, strategy: { name: 'patch', params: { patch_size: 7 } } },
    { ...cell, model: { ...model, depth: 3 } },
    { ...cell, train: { ...train, lr: 0.01 } },
  ];
  const ids = new Set([cellId(cell), ...variants.map(cellId)]);
  assert.equal(ids.size, 5);
});

test('sweep files that differ only in key order, formatting and defaults give the same ids', () => {
  const a = [
    'name: a',
    'version: 1',
    'seeds: [0]',
    'datasets: [{ name: digits, params: { train_size: 100 } }]',
    'strategies: [{ name: patch, params: { patch_size: [4, 7] } }]',
    'model: { dim: 32, heads: 4 }',
    'train: { lr: 0.001 }',
  ].join('\n');
  const b = [
    'version: 1',
    'name: b',
    'seeds: [5, 6]',
    'train:',
    '  lr: 1.0e-3',
    '  classify: finetune',
    'model:',
    '  heads: 4',
    '  dim: 32',
    '  depth: 2',
    'strategies:',
    '  - params:',
    '      patch_size:',
    '        - 4',
    '        - 7',
    '    name: patch',
    'datasets:',
    '  - params: { seed: 0, train_size: 100 }',
    '    name: digits',
  ].join('\n');
  const ids = (text: string) => parseSweep(text, 'x.yaml', fakeComponents).cells.map((c) => c.id);
  assert.deepEqual(ids(a), ids(b));
  assert.equal(new Set(ids(a)).size, 2);
});

test('a cell id hashes the params that differ from their defaults: a new param with a default leaves it alone', () => {
  const yaml = ['name: a', 'version: 1', 'seeds: [0]', 'datasets: [{ name: digits, params: { train_size: 50 } }]', 'strategies: [{ name: patch, params: { patch_size: 7 } }]'].join('\n');
  const [before] = parseSweep(yaml, 'x.yaml', fakeComponents).cells;
  // tokbench gains a strategy param (and a train param) with defaults: ids stay, the full configuration hash moves.
  const patch = fakeComponents.strategies.patch.params as z.ZodObject;
  const grown = { ...fakeComponents, strategies: { ...fakeComponents.strategies, patch: { ...fakeComponents.strategies.patch, params: patch.extend({ stride_mode: z.enum(['same', 'valid']).default('same') }) } } };
  const [after] = parseSweep(yaml, 'x.yaml', grown).cells;
  assert.equal(after.id, before.id);
  assert.notEqual(after.configHash, before.configHash);
  assert.deepEqual(before.explicit, { dataset: { name: 'digits', params: { train_size: 50 } }, strategy: { name: 'patch', params: { patch_size: 7 } }, model: {}, train: {} });
  // Writing the new param at its default is the same cell; another value is another cell.
  const explicitDefault = parseSweep(yaml.replace('patch_size: 7', 'patch_size: 7, stride_mode: same'), 'x.yaml', grown).cells[0];
  const other = parseSweep(yaml.replace('patch_size: 7', 'patch_size: 7, stride_mode: valid'), 'x.yaml', grown).cells[0];
  assert.equal(explicitDefault.id, before.id);
  assert.notEqual(other.id, before.id);
  assert.deepEqual(other.explicit.strategy.params, { patch_size: 7, stride_mode: 'valid' });
  // Pinned: a change here silently orphans every stored result.
  assert.equal(before.id, cellId(before.explicit));
  assert.equal(before.id, 'e812a7f57035');
  assert.equal(before.origin.strategy, 0);
});
