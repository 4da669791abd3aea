import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { loadSweep } from '../../../harness/config/sweep.js';
import { preflight } from '../../../harness/runner/preflight.js';

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
