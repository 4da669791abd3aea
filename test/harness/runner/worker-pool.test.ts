// The worker pool: a worker that dies while idle is replaced, never handed the next job; a killed busy worker
// rejects its job with how it ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import type { RowOutcome } from '../../../harness/results/columns.js';
import { WorkerExit, WorkerPool } from '../../../harness/runner/worker-pool.js';

const sweep = parseSweep(
  [
    'name: pool',
    'version: 1',
    'seeds: [0]',
    'datasets: [{ name: synthetic-dna, params: { n: 20, length: 16, classes: 2, motif_length: 3 } }]',
    'strategies: [{ name: kmer, params: { k: 3 } }]',
    'model: { dim: 8, depth: 1, heads: 1 }',
    'train: { pretrain_epochs: 1, classify_epochs: 1 }',
  ].join('\n'),
  'pool.yaml',
  builtinComponents,
);
const job = { cell: sweep.cells[0], seeds: [0], dataHash: '' };
const settings = { sweep: 'pool', backend: 'wasm' as const, saveProbabilities: false, saveTokenizers: false };

/** Pids of this process's children (the pool's workers). */
const children = () =>
  execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);

async function runOnce(pool: WorkerPool): Promise<RowOutcome[]> {
  const rows: RowOutcome[] = [];
  await pool.run(job, { onStart: () => undefined, onRow: (outcome) => rows.push(outcome) }, () => undefined);
  return rows;
}

test('a worker that dies while idle is replaced for the next job, which does not hang', async () => {
  const pool = new WorkerPool(1, settings);
  try {
    assert.equal((await runOnce(pool))[0].row.status, 'ok');
    const [idle] = children();
    process.kill(idle, 'SIGKILL');
    // Let the pool hear of the death before the next job asks for a worker.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await runOnce(pool);
    assert.equal(rows[0].row.status, 'ok');
    assert.ok(!children().includes(idle));
  } finally {
    pool.close();
  }
});

test('a busy worker that is killed rejects its job with the signal', async () => {
  const pool = new WorkerPool(1, settings);
  try {
    let stop: () => void = () => undefined;
    const running = pool.run(job, { onStart: () => stop(), onRow: () => undefined }, (kill) => {
      stop = kill;
    });
    await assert.rejects(running, (e: unknown) => e instanceof WorkerExit && e.message === 'was killed by SIGKILL');
  } finally {
    pool.close();
  }
});
