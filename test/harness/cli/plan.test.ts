// Tests of `tokbench plan`'s cell descriptions: strategy params plus every axis, so no two cells read the same.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cellDescription } from '../../../harness/cli/cell-label.js';
import { sweepFile, tokbench } from './spawn.js';

test('cellDescription: strategy params, then the dataset, model and train axes; strategy axes are not repeated', () => {
  const cell = {
    strategy: { name: 'kmer', params: { k: 3, max_len: 510 } },
    axes: { 'dataset.split_seed': 1, 'strategy.k': 3, 'model.dim': 16, 'train.lr': 0.002 },
  };
  assert.equal(cellDescription(cell), 'k=3 max_len=510 dataset.split_seed=1 model.dim=16 train.lr=0.002');
  assert.equal(cellDescription({ strategy: { name: 'x', params: {} }, axes: {} }), '');
});

describe('tokbench plan', () => {
  test('cells that differ only in a model axis get different descriptions', async () => {
    const file = await sweepFile([
      'name: plan-test',
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
    const run = await tokbench('plan', file);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split(' | '));
    const column = rows[0].indexOf('strategy params and axes');
    assert.ok(column > 0, rows[0].join(' | '));
    const described = rows.slice(2).map((r) => r[column]);
    assert.equal(described.length, 2);
    assert.notEqual(described[0], described[1]);
    assert.match(described[0], /^k=3 .*model\.dim=16$/);
    assert.match(described[1], /^k=3 .*model\.dim=32$/);
  });
});
