// Tests of grid expansion: cells per modality, their order, defaults, axes, and grid-level problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, type GridEntry, type GridInput } from '../../../harness/grid/expand.js';
import { fakeComponents } from './fake-components.js';

const entries = (...items: [string, Record<string, unknown>?][]): GridEntry[] => items.map(([name, params = {}], index) => ({ index, name, params }));
const grid = (input: Partial<GridInput>) => expandGrid({ datasets: [], strategies: [], model: {}, train: {}, baseDir: '/sweeps', ...input }, fakeComponents);

test('cells pair each dataset variant with each strategy variant of its modality, times model and train variants', () => {
  const { cells, problems } = grid({
    datasets: entries(['digits', { train_size: [10, 20] }], ['dna']),
    strategies: entries(['patch', { patch_size: [4, 7] }], ['multiscale'], ['kmer', { k: [3, 6] }]),
    model: { dim: [32, 64] },
    train: { lr: [0.001, 0.01] },
  });
  assert.deepEqual(problems, []);
  // image: 2 datasets × (2 + 1) strategies; sequence: 1 × 2; all × 2 dims × 2 lrs.
  assert.equal(cells.filter((c) => c.modality === 'image').length, 24);
  assert.equal(cells.filter((c) => c.modality === 'sequence').length, 8);
  assert.equal(cells.length, 32);
  assert.equal(new Set(cells.map((c) => c.id)).size, 32);
  assert.deepEqual(
    cells.slice(0, 6).map((c) => [c.dataset.params.train_size, c.strategy.name, c.strategy.params.patch_size, c.model.dim, c.train.lr]),
    [
      [10, 'patch', 4, 32, 0.001],
      [10, 'patch', 4, 32, 0.01],
      [10, 'patch', 4, 64, 0.001],
      [10, 'patch', 4, 64, 0.01],
      [10, 'patch', 7, 32, 0.001],
      [10, 'patch', 7, 32, 0.01],
    ],
  );
});

test('axes hold only the params that vary across the sweep, with readable keys', () => {
  const { cells } = grid({
    datasets: entries(['digits', { train_size: [10, 20] }], ['dna']),
    strategies: entries(['patch', { patch_size: [4, 7] }], ['kmer']),
    model: { dim: [32, 64], depth: 3 },
  });
  assert.deepEqual(cells[0].axes, { 'dataset.train_size': 10, 'strategy.patch_size': 4, 'model.dim': 32 });
  const dna = cells.filter((c) => c.dataset.name === 'dna');
  assert.deepEqual(
    dna.map((c) => c.axes),
    [{ 'model.dim': 32 }, { 'model.dim': 64 }],
  );
});

test("a component's param is an axis only if it varies among that component's own cells", () => {
  // patch_size is 4 for one patch entry and 7 for the other: an axis of `patch`, absent from `kmer` cells.
  const { cells } = grid({
    datasets: entries(['digits', { train_size: 10 }], ['dna']),
    strategies: entries(['patch', { patch_size: 4 }], ['patch', { patch_size: 7 }], ['kmer', { k: 4 }]),
  });
  assert.deepEqual(
    cells.map((c) => c.axes),
    [{ 'strategy.patch_size': 4 }, { 'strategy.patch_size': 7 }, {}],
  );
});

test('params are validated with defaults filled in; model and train get theirs too', () => {
  const { cells } = grid({ datasets: entries(['digits']), strategies: entries(['patch']) });
  assert.equal(cells.length, 1);
  const [cell] = cells;
  assert.deepEqual(cell.dataset, { name: 'digits', params: { train_size: 100, seed: 0 } });
  assert.deepEqual(cell.strategy, { name: 'patch', params: { patch_size: 4 } });
  assert.deepEqual(cell.model, { dim: 32, depth: 2, heads: 4, mlp_ratio: 2 });
  assert.deepEqual(cell.train, { mask_ratio: 0.25, pretrain_budget: { epochs: 2 }, classify_budget: { epochs: 3 }, batch_size: 32, lr: 0.001, classify: 'finetune', val_fraction: 0, lr_select_fraction: 0.25 });
  assert.deepEqual(cell.axes, {});
});

test('a list-typed param takes a list as one value and a list of lists as an axis', () => {
  const one = grid({ datasets: entries(['digits']), strategies: entries(['multiscale', { sizes: [2, 4] }]) });
  assert.deepEqual(
    one.cells.map((c) => c.strategy.params),
    [{ sizes: [2, 4] }],
  );
  const swept = grid({ datasets: entries(['digits']), strategies: entries(['multiscale', { sizes: [[2, 4], [4, 8, 16]] }]) });
  assert.deepEqual(
    swept.cells.map((c) => c.axes),
    [{ 'strategy.sizes': [2, 4] }, { 'strategy.sizes': [4, 8, 16] }],
  );
});

test('two entries resolving to the same cells are reported at the later one', () => {
  const { cells, problems } = grid({ datasets: entries(['digits']), strategies: entries(['patch', { patch_size: [4, 7] }], ['patch', { patch_size: 4 }]) });
  assert.deepEqual(cells, []);
  assert.deepEqual(problems, [{ code: 'config', path: ['strategies', 1], message: 'found the same resolved params as strategies[0]; expected every cell once' }]);
});

test('a misspelt dataset is not also reported as leaving its strategies without a partner', () => {
  const { problems } = grid({ datasets: entries(['digit']), strategies: entries(['patch']) });
  assert.deepEqual(problems, [
    {
      code: 'unknown-name',
      path: ['datasets', 0, 'name'],
      message: "unknown dataset 'digit'; did you mean 'digits'? valid: cells, digits, dna",
    },
  ]);
});

test('a name inherited from Object.prototype is not a registered component', () => {
  const { problems } = grid({ datasets: entries(['digits']), strategies: entries(['constructor']) });
  assert.equal(problems[0].code, 'unknown-name');
  assert.deepEqual(problems[0].path, ['strategies', 0, 'name']);
});
