// The train block as written: epoch shorthands for budgets (axes included) and params that exclude each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, type GridInput } from '../../../harness/grid/expand.js';
import { fakeComponents } from './fake-components.js';

const grid = (train: Record<string, unknown>) =>
  expandGrid({ datasets: [{ index: 0, name: 'digits', params: {} }], strategies: [{ index: 0, name: 'patch', params: {} }], model: {}, train, baseDir: '/sweeps' } satisfies GridInput, fakeComponents);

test('an epoch shorthand is the epoch budget it abbreviates, as an axis too', () => {
  const { cells, problems } = grid({ pretrain_epochs: [0, 8], classify_epochs: 5 });
  assert.deepEqual(problems, []);
  assert.deepEqual(cells.map((c) => [c.train.pretrain_budget, c.train.classify_budget]), [
    [{ epochs: 0 }, { epochs: 5 }],
    [{ epochs: 8 }, { epochs: 5 }],
  ]);
  assert.deepEqual(cells[1].axes, { 'train.pretrain_budget': { epochs: 8 } });
  // Written as a budget, the same cell has the same id.
  assert.equal(grid({ pretrain_budget: { epochs: 8 }, classify_budget: { epochs: 5 } }).cells[0].id, cells[1].id);
  // The defaults are epoch budgets of 2 and 3, so writing them changes no id.
  assert.equal(grid({ pretrain_epochs: 2, classify_epochs: 3 }).cells[0].id, grid({}).cells[0].id);
});

test('a shorthand beside its budget, or out of range, is a problem at the shorthand', () => {
  assert.deepEqual(grid({ pretrain_epochs: 2, pretrain_budget: { flops: 1e9 } }).problems, [
    { code: 'config', path: ['train', 'pretrain_epochs'], message: 'found both pretrain_epochs and pretrain_budget; expected one of them, because pretrain_epochs: N is shorthand for pretrain_budget: {epochs: N}' },
  ]);
  const { problems } = grid({ classify_epochs: [2, 0] });
  assert.equal(problems.length, 1);
  assert.deepEqual(problems[0].path, ['train', 'classify_epochs', 1]);
  assert.match(problems[0].message, /found 0; expected .*1/);
});

test('a budget names exactly one of epochs, flops, tokens and samples', () => {
  const { problems } = grid({ pretrain_budget: [{ flops: 2e9 }, { flops: 1e9, epochs: 2 }] });
  assert.equal(problems.length, 1);
  assert.deepEqual(problems[0].path.slice(0, 3), ['train', 'pretrain_budget', 1]);
  assert.match(problems[0].message, /expected exactly one of epochs, flops, tokens or samples/);
});

test('lr beside lr_select is refused: the selection chooses the rate', () => {
  assert.deepEqual(grid({ lr: 0.002, lr_select: [1e-3, 1e-2], val_fraction: 0.2 }).problems, [
    { code: 'config', path: ['train', 'lr'], message: 'found both lr and lr_select; expected only lr_select, because lr_select chooses the peak rate on the validation split' },
  ]);
});

test("params that do not apply keep their defaults, so a probe's cells are not multiplied by classification budgets", () => {
  const { cells, problems } = grid({ classify: ['finetune', 'probe'], classify_budget: [{ epochs: 2 }, { samples: 500 }], lr_select_fraction: 0.5 });
  assert.deepEqual(problems, []);
  assert.deepEqual(cells.map((c) => [c.train.classify, c.train.classify_budget, c.train.lr_select_fraction]), [
    ['finetune', { epochs: 2 }, 0.25],
    ['finetune', { samples: 500 }, 0.25],
    ['probe', { epochs: 3 }, 0.25],
  ]);
  assert.equal(cells[2].id, grid({ classify: 'probe' }).cells[0].id);
});

test("a field that breaks its own refinement is one problem, whatever the other axes; a refinement across fields names them", () => {
  const own = grid({ classify_budget: {}, pretrain_budget: [{ epochs: 1 }, { flops: 1e9 }] });
  assert.deepEqual(own.problems.map((p) => [p.path.join('.'), p.message]), [['train.classify_budget', 'found {}; expected exactly one of epochs, flops, tokens or samples']]);
  const across = grid({ lr_select: [1e-3, 1e-2], val_fraction: 0, pretrain_budget: [{ epochs: 1 }, { flops: 1e9 }] });
  assert.equal(across.problems.length, 2);
  assert.match(across.problems[0].message, /^found 0; expected val_fraction > 0 beside lr_select, because .* \(with .*pretrain_budget = /);
});
