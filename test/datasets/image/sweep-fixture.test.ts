import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_USAGE, exitCodeOfError } from '../../../harness/cli/exit-code.js';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { loadSweep, parseSweep } from '../../../harness/config/sweep.js';
import { preflight } from '../../../harness/runner/preflight.js';
import { ConfigError, formatProblem } from '../../../harness/validation/problems.js';

// What `tokbench validate test/fixtures/images/sweep.yaml` checks, in process: the paths resolve from the sweep file's folder, whatever the working folder.
test('the example image sweep resolves its data from its own folder and passes the preflight', async () => {
  const sweep = await loadSweep(fileURLToPath(new URL('../../fixtures/images/sweep.yaml', import.meta.url)), builtinComponents);
  const checked = await preflight(sweep);
  const shapes = sweep.cells.map((cell) => [cell.dataset.name, checked.shapeOf(cell)] as const);
  assert.deepEqual(
    shapes.map(([name, shape]) => [name, shape.info, shape.trainSize, shape.testSize, shape.classes]),
    [
      ['idx', { height: 2, width: 3, channels: 1 }, 6, 3, 3],
      ['image-folder', { height: 4, width: 4, channels: 1 }, 4, 2, 2],
    ],
  );
  for (const cell of sweep.cells) assert.match(checked.dataHashes.get(cell.id) ?? '', /^[0-9a-f]{16}$/);
});

test('a corrupt PNG and a stray IDX label stop the preflight as bad input (exit 2), each at its dataset, before anything runs', async () => {
  const fixtures = fileURLToPath(new URL('../../fixtures/images/', import.meta.url));
  const file = join(fixtures, 'broken.yaml');
  const yaml = [
    'name: broken',
    'version: 1',
    'seeds: [0]',
    'datasets: [{ name: image-folder, params: { path: folder/flipped } }, { name: idx, params: { images: idx/train-images-idx3-ubyte, labels: idx/stray-labels-idx1 } }]',
    'strategies: [{ name: patch }]',
    'model: { dim: 16, depth: 1, heads: 2 }',
    'train: { pretrain_epochs: 1, classify_epochs: 1 }',
  ].join('\n');
  const error: unknown = await preflight(parseSweep(yaml, file, builtinComponents)).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(exitCodeOfError(error), EXIT_USAGE);
  // Line 4 is `datasets: [...]`: `folder/flipped` starts at column 50 and `idx/stray-labels-idx1` at column 138.
  assert.deepEqual(error.problems.map(formatProblem), [
    `${file}:4:50: datasets[0].params.path: ${join(fixtures, 'folder/flipped/a/flipped.png')}: found data that does not decode, cut short or corrupt; expected a complete PNG or JPEG image`,
    `${file}:4:138: datasets[1].params.labels: ${join(fixtures, 'idx/stray-labels-idx1')}: found label 200 at row 3 (from 0), but no image has label 3–199 (197 empty classes); expected every class index from 0 to 200 to have an image, or class_names naming all 201 classes to keep the empty ones`,
  ]);
});
