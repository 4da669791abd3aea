// Tests of sweep files: every problem reported at its exact file:line:col, and valid files read in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep, parseSweep } from '../../../harness/config/sweep.js';
import { ConfigError, formatProblem } from '../../../harness/validation/problems.js';
import { TokbenchError } from '../../../harness/errors.js';
import { fakeComponents } from '../grid/fake-components.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A valid sweep, line by line, so tests can break one line and know its number. */
const VALID = [
  'name: quickstart', // 1
  'version: 1', // 2
  'seeds: [0, 1]', // 3
  'datasets:', // 4
  '  - name: digits', // 5
  '    params: { train_size: 100 }', // 6
  'strategies:', // 7
  '  - name: patch', // 8
  '    params:', // 9
  '      patch_size: [4, 7]', // 10
  'model: { dim: 32, heads: 4 }', // 11
  'train: { lr: 0.001 }', // 12
];

function replaced(line: number, text: string): string {
  return yaml(...VALID.map((l, i) => (i + 1 === line ? text : l)));
}

function problems(text: string): string[] {
  try {
    parseSweep(text, 'sweep.yaml', fakeComponents);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.code, 'config');
    assert.equal(error.message, error.problems.map(formatProblem).join('\n'));
    return error.problems.map(formatProblem);
  }
  assert.fail('expected a ConfigError');
}

test('a misspelt param is reported at its key, with the valid keys and the closest one', () => {
  assert.deepEqual(problems(replaced(10, '      patch_sise: [4, 7]')), [
    "sweep.yaml:10:7: strategies[0].params.patch_sise: found unknown key 'patch_sise'; expected one of patch_size, stride (did you mean 'patch_size'?)",
  ]);
});

test('a misspelt top-level key is reported, and so is the key it should have been', () => {
  assert.deepEqual(problems(replaced(3, 'seed: [0, 1]')), [
    'sweep.yaml:1:1: seeds: found nothing; expected a list',
    "sweep.yaml:3:1: seed: found unknown key 'seed'; expected one of name, description, version, seeds, timeout, datasets, strategies, model, train (did you mean 'seeds'?)",
  ]);
});

test('a value of the wrong type is reported at the value', () => {
  assert.deepEqual(problems(replaced(11, 'model: { dim: "32", heads: 4 }')), ['sweep.yaml:11:15: model.dim: found "32"; expected an integer']);
});

test('an out-of-range value is reported at the value, and inside an axis at its element', () => {
  assert.deepEqual(problems(replaced(12, 'train: { lr: 2 }')), ['sweep.yaml:12:14: train.lr: found 2; expected at most 1']);
  assert.deepEqual(problems(replaced(10, '      patch_size: [4, 99, 0]')), [
    'sweep.yaml:10:23: strategies[0].params.patch_size[1]: found 99; expected at most 28',
    'sweep.yaml:10:27: strategies[0].params.patch_size[2]: found 0; expected at least 1',
  ]);
});

test('a refinement across params names the other axis values of the failing combination', () => {
  assert.deepEqual(problems(replaced(11, 'model: { dim: [32, 30], heads: 4 }')), [
    "sweep.yaml:11:32: model.heads: found 4; 'heads' must divide 'dim' (with dim = 30)",
  ]);
});

test('an unknown strategy lists the valid names and suggests the closest', () => {
  assert.deepEqual(problems(replaced(8, '  - name: pach')), [
    "sweep.yaml:8:11: strategies[0].name: unknown strategy 'pach'; did you mean 'patch'? valid: kmer, multiscale, patch, rank",
  ]);
});

test('a strategy with no dataset of its modality is a modality mismatch naming both', () => {
  const text = replaced(8, '  - name: kmer').replace('      patch_size: [4, 7]\n', '      k: 3\n');
  assert.deepEqual(problems(text), [
    "sweep.yaml:5:11: datasets[0].name: found dataset 'digits' of modality image, but the sweep's strategies are 'kmer' (sequence); expected a strategy of modality image (registered: patch, multiscale)",
    "sweep.yaml:8:11: strategies[0].name: found strategy 'kmer' of modality sequence, but the sweep's datasets are 'digits' (image); expected a dataset of modality sequence (registered: dna)",
  ]);
  assert.throws(
    () => parseSweep(text, 'sweep.yaml', fakeComponents),
    (error: unknown) => error instanceof ConfigError && error.problems.map((p) => p.code).join() === 'modality-mismatch,modality-mismatch',
  );
});

test('invalid YAML is reported with its line and column', () => {
  // The parser notices the missing bracket where the next line starts.
  assert.deepEqual(problems(replaced(10, '      patch_size: [4, 7')), [
    'sweep.yaml:11:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  assert.deepEqual(problems(replaced(3, 'version: 1')), ['sweep.yaml:3:1: invalid YAML: Map keys must be unique']);
});

test('every problem in a file is reported at once, in file order', () => {
  const text = yaml(
    'name: Quick Start', // 1
    'version: 2', // 2
    'seeds: [0, 0]', // 3
    'datasets:', // 4
    '  - name: digits', // 5
    '    params: { train_size: [10, 0], sed: 1 }', // 6
    '  - name: dna', // 7
    '    extra: true', // 8
    'strategies:', // 9
    '  - name: multiscale', // 10
    '    params: { sizes: [[2, 4], [4, 8], [4, 8]] }', // 11
    '  - name: kmer', // 12
    '    params: { k: [] }', // 13
    'model: { mlp_ratio: abc }', // 14
    'train: { classify: fine }', // 15
  );
  assert.deepEqual(problems(text), [
    'sweep.yaml:1:7: name: found "Quick Start"; expected a string matching /^[a-z0-9_-]+$/',
    'sweep.yaml:2:10: version: found 2; expected 1',
    'sweep.yaml:3:8: seeds: found [0, 0]; expected distinct seeds',
    'sweep.yaml:6:32: datasets[0].params.train_size[1]: found 0; expected at least 1',
    "sweep.yaml:6:36: datasets[0].params.sed: found unknown key 'sed'; expected one of train_size, seed (did you mean 'seed'?)",
    "sweep.yaml:8:5: datasets[1].extra: found unknown key 'extra'; expected one of name, params (did you mean 'name'?)",
    'sweep.yaml:11:39: strategies[0].params.sizes[2]: found [4, 8] again (also at index 1); expected distinct values along a sweep axis',
    'sweep.yaml:13:18: strategies[1].params.k: found an empty list; expected at least one value to sweep over',
    'sweep.yaml:14:21: model.mlp_ratio: found "abc"; expected a number',
    'sweep.yaml:15:20: train.classify: found "fine"; expected one of "finetune", "probe", "none"',
  ]);
});

test('an empty file is one problem at its start', () => {
  assert.deepEqual(problems(''), ['sweep.yaml:1:1: found null; expected a mapping']);
});

test('a valid file reads into a sweep: name, description, seeds, source text and cells', () => {
  const text = yaml(...VALID.slice(0, 2), 'description: two patch sizes', ...VALID.slice(2));
  const sweep = parseSweep(text, 'sweep.yaml', fakeComponents);
  assert.equal(sweep.name, 'quickstart');
  assert.equal(sweep.description, 'two patch sizes');
  assert.equal(sweep.file, 'sweep.yaml');
  assert.equal(sweep.yaml, text);
  assert.deepEqual(sweep.seeds, [0, 1]);
  assert.deepEqual(
    sweep.cells.map((c) => [c.modality, c.dataset, c.strategy.params, c.axes]),
    [
      ['image', { name: 'digits', params: { train_size: 100, seed: 0 } }, { patch_size: 4 }, { 'strategy.patch_size': 4 }],
      ['image', { name: 'digits', params: { train_size: 100, seed: 0 } }, { patch_size: 7 }, { 'strategy.patch_size': 7 }],
    ],
  );
  assert.deepEqual(sweep.cells[0].model, { dim: 32, depth: 2, heads: 4, mlp_ratio: 2 });
  assert.deepEqual(sweep.cells[0].train, { mask_ratio: 0.25, pretrain_budget: { epochs: 2 }, classify_budget: { epochs: 3 }, batch_size: 32, lr: 0.001, classify: 'finetune', val_fraction: 0, lr_select_fraction: 0.25 });
});

test('loadSweep reads the file; a missing file is a config error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tokbench-config-'));
  const file = join(dir, 'sweep.yaml');
  await writeFile(file, yaml(...VALID));
  assert.equal((await loadSweep(file, fakeComponents)).cells.length, 2);
  await assert.rejects(loadSweep(join(dir, 'missing.yaml'), fakeComponents), (error: unknown) => {
    return error instanceof TokbenchError && error.code === 'config' && error.message.startsWith(`cannot read the config file '${join(dir, 'missing.yaml')}': ENOENT`);
  });
});
