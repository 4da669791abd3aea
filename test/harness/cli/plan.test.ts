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

test('cellDescription: a model or train axis as its result column shows it (a budget as its text), others as JSON', () => {
  const cell = {
    strategy: { name: 'patch', params: { patch_size: 7 } },
    axes: { 'dataset.shape': { h: 2 }, 'train.pretrain_budget': { flops: 2e9 }, 'train.lr_select': [0.001, 0.003] },
  };
  assert.equal(cellDescription(cell), 'patch_size=7 dataset.shape={"h":2} train.pretrain_budget="flops=2e9" train.lr_select="[0.001,0.003]"');
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
    // 3-mers of 200-base sequences: an exact count, so no second estimate.
    assert.doesNotMatch(run.stdout, /encoded test split/);
  });

  test('a token count bounded by max_len gets a second estimate from the encoded test split', async () => {
    const file = await sweepFile(['name: plan-bpe', 'version: 1', 'seeds: [0]', 'datasets: [{ name: synthetic-dna, params: { n: 30, length: 40 } }]', 'strategies: [{ name: bpe, params: { vocab_size: 64 } }]', 'model: { dim: 16 }']);
    const run = await tokbench('plan', file);
    assert.equal(run.code, 0, run.stderr);
    const [first, second] = run.stdout.split('\n').filter((l) => /training FLOPs/.test(l));
    assert.match(first, /^Estimated \S+ training FLOPs, about .*; 1 cell counted at max_len or a guessed 256 tokens, an upper bound\.$/);
    assert.match(second, /^With the token counts of the encoded test split instead: \S+ training FLOPs, about /);
    // 40-base sequences give at most 40 tokens, far below the bound of max_len 510.
    const SI: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    const flops = (line: string) => {
      const [, number, unit] = /(?:Estimated|instead:) ([\d.]+)([kMGT]?) training/.exec(line) ?? [];
      return Number(number) * SI[unit];
    };
    assert.ok(flops(second) > 0 && flops(second) < flops(first) / 10, `${first}\n${second}`);
  });
});
