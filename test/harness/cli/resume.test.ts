// Sweeps that survive: a sweep killed mid-way resumes without re-running what finished; a run that throws and
// one past its timeout become rows with their reason while the rest finishes; a row that cannot be saved
// does not take the sweep down; a folder belongs to one sweep.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tableFromIPC } from 'apache-arrow';
import { METRICS } from '../../../harness/results/metrics.js';
import { root, scratchDir, sweepFile, tokbench, tokbenchWithEnv } from './spawn.js';

type Row = Record<string, unknown>;

async function rowsOf(directory: string): Promise<Row[]> {
  const table = tableFromIPC(await readFile(join(directory, 'results.arrow')));
  // List cells (loss curves) come back as Arrow vectors: compare their values.
  const plain = (v: unknown) => (v !== null && typeof v === 'object' && Symbol.iterator in v ? Array.from(v as Iterable<unknown>) : v);
  return table.toArray().map((r) => Object.fromEntries(Object.entries(r.toJSON() as Row).map(([k, v]) => [k, plain(v)])));
}

const rowFiles = async (directory: string) => (await readdir(join(directory, 'rows')).catch(() => [])).filter((n) => n.endsWith('.json')).sort();

/** Three tiny DNA cells × two seeds: six runs of a second or two each. */
const small = [
  'name: survive',
  'version: 1',
  'seeds: [0, 1]',
  'datasets:',
  '  - name: synthetic-dna',
  '    params: { n: 30, length: 24, classes: 2, motif_length: 4 }',
  'strategies:',
  '  - name: kmer',
  '    params: { k: [3, 4, 5] }',
  'model: { dim: 8, depth: 1, heads: 1 }',
  'train: { pretrain_epochs: 1, classify_epochs: 1, batch_size: 8 }',
];

describe('resume', { concurrency: true }, () => {
  test('a sweep whose process group is SIGKILLed resumes: every run once, finished runs not run again', async () => {
    const file = await sweepFile(small);
    const out = await scratchDir();
    // Its own process group, so the kill reaches the workers too, as a scheduler's would.
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'run', file, '--out', out, '--concurrency', '1'], { cwd: root, detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 120_000;
    while ((await rowFiles(out)).length < 2 && Date.now() < deadline) await sleep(200);
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    const before = await rowFiles(out);
    assert.ok(before.length >= 2 && before.length < 6, `killed after ${before.length} runs`);
    assert.ok(!existsSync(join(out, 'results.arrow')), 'a killed sweep wrote no table');
    const stamps = await Promise.all(before.map(async (name) => [name, (await stat(join(out, 'rows', name))).mtimeMs, await readFile(join(out, 'rows', name), 'utf8')]));

    const resumed = await tokbench('run', file, '--out', out, '--concurrency', '1');
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`${6 - before.length} to run, ${before.length} kept from an earlier run`));
    const rows = await rowsOf(out);
    assert.equal(rows.length, 6);
    assert.equal(new Set(rows.map((r) => `${r.cell_id}/${r.seed}`)).size, 6);
    for (const [name, mtime, text] of stamps) {
      assert.equal((await stat(join(out, 'rows', String(name)))).mtimeMs, mtime, `${name} was run again`);
      assert.equal(await readFile(join(out, 'rows', String(name)), 'utf8'), text);
    }
    // A third run has nothing left to do; --force runs everything again.
    const again = await tokbench('run', file, '--out', out, '--concurrency', '1');
    assert.match(again.stderr, /0 to run, 6 kept/);
    // --quiet says only how it ended (and warnings), then the summary on stdout.
    const quiet = await tokbench('run', file, '--out', out, '--concurrency', '1', '--quiet');
    assert.deepEqual(quiet.stderr.trim().split('\n').map((line) => line.replace(/ in .*$/, '')), ['ok 0, failed 0, diverged 0, skipped 6']);
    assert.match(quiet.stdout, /^# survive/);
  });

  test('SIGINT stops cleanly: exit 130, the tables hold what finished, and the message says how to resume', async () => {
    const file = await sweepFile(small);
    const out = await scratchDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'run', file, '--out', out, '--concurrency', '1'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while ((await rowFiles(out)).length < 1 && Date.now() < deadline) await sleep(100);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    const finished = await rowFiles(out);
    assert.ok(finished.length >= 1 && finished.length < 6, `${finished.length} finished`);
    assert.equal((await rowsOf(out)).length, finished.length);
    assert.match(stderr, new RegExp(`Stopped by SIGINT: ${6 - finished.length} of 6 runs did not finish; the tables hold what did\\. Run the same command again to resume\\.`));
  });

  test('a run that throws and a run past its timeout are rows with their reason; the rest finishes; exit 1', async () => {
    const file = await sweepFile([
      'name: troubled',
      'version: 1',
      'seeds: [0]',
      'timeout: 8',
      'datasets:',
      // lib_loc 800 makes libraries of exp(800) counts: no cell keeps a finite count, so no token is left to train on.
      '  - name: synthetic-expression',
      '    params: { cells: 30, genes: 20, types: 2, lib_loc: [5, 800] }',
      // 2,000 digits in 2×2 patches (196 tokens each): far more than 8 seconds of training.
      '  - name: mnist',
      '    params: { train_size: 2000, test_size: 100 }',
      'strategies:',
      '  - name: rank',
      '  - name: patch',
      '    params: { patch_size: 2 }',
      'model: { dim: 8, depth: 1, heads: 1 }',
      'train: { pretrain_epochs: 3, classify_epochs: 1 }',
    ]);
    const out = await scratchDir();
    const run = await tokbench('run', file, '--out', out, '--concurrency', '2');
    assert.equal(run.code, 1, run.stderr);
    const rows = await rowsOf(out);
    const by = (dataset: string, libLoc?: number) => rows.find((r) => r.dataset === dataset && (libLoc === undefined || r['dataset.lib_loc'] === libLoc));
    assert.equal(by('synthetic-expression', 5)?.status, 'ok');
    assert.deepEqual([by('synthetic-expression', 800)?.status, by('synthetic-expression', 800)?.error], ['failed', 'No training sample has any token to pre-train on.']);
    assert.equal(by('mnist')?.status, 'failed');
    assert.match(String(by('mnist')?.error), /^timed out after 8 s/);
    // The full error of each failure, stack included, is kept beside the results.
    const log = await readFile(join(out, 'errors.log'), 'utf8');
    assert.match(log, /No training sample has any token to pre-train on\.\n\s+at /);
    assert.match(log, /timed out after 8 s/);
    // --retry-failed runs only the two failures again.
    const retry = await tokbench('run', file, '--out', out, '--concurrency', '2', '--retry-failed', '--timeout', '4');
    assert.match(retry.stderr, /2 to run, 1 kept/);
  });

  test('--fail-fast stops at the first failure, keeps what finished and says how to resume', async () => {
    const file = await sweepFile([
      'name: brittle',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: synthetic-expression',
      '    params: { cells: 30, genes: 20, types: 2, lib_loc: [5, 800, 6] }',
      'strategies:',
      '  - name: rank',
      'model: { dim: 8, depth: 1, heads: 1 }',
      'train: { pretrain_epochs: 1, classify_epochs: 1 }',
    ]);
    const out = await scratchDir();
    const run = await tokbench('run', file, '--out', out, '--concurrency', '1', '--fail-fast');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Stopped at the first failure \(--fail-fast\): 1 of 3 runs did not finish; the tables hold what did\. Run the same command again to resume\./);
    assert.deepEqual((await rowsOf(out)).map((r) => [r['dataset.lib_loc'], r.status]), [[5, 'ok'], [800, 'failed']]);
  });

  test('a row that cannot be saved is reported and kept in the tables; the sweep goes on', async () => {
    const file = await sweepFile(small);
    const out = await scratchDir();
    const first = await tokbench('run', file, '--out', out, '--concurrency', '1', '--quiet');
    assert.equal(first.code, 0, first.stderr);
    const [victim] = await rowFiles(out);
    // A folder where the row file should go: the atomic rename cannot replace it.
    await rm(join(out, 'rows', victim));
    await mkdir(join(out, 'rows', victim));
    await writeFile(join(out, 'rows', victim, 'blocker'), '');
    const run = await tokbench('run', file, '--out', out, '--concurrency', '1', '--force');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`could not save the row of cell ${victim.replace(/-seed(\d)\.json$/, ' seed $1')}`));
    assert.match(run.stderr, /1 row could not be saved/);
    assert.equal((await rowsOf(out)).length, 6);
  });
});

describe('the output folder', { concurrency: true }, () => {
  test('belongs to one sweep: another sweep is refused (exit 2) unless --overwrite', async () => {
    const out = await scratchDir();
    const first = await tokbench('run', await sweepFile(small), '--out', out, '--concurrency', '1', '--quiet');
    assert.equal(first.code, 0, first.stderr);
    const other = await sweepFile(small.map((line) => line.replace('name: survive', 'name: another')));
    const refused = await tokbench('run', other, '--out', out, '--concurrency', '1');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /holds the results of sweep 'survive', not 'another'.*--overwrite/);
    const overwritten = await tokbench('run', other, '--out', out, '--concurrency', '1', '--overwrite');
    assert.equal(overwritten.code, 0, overwritten.stderr);
    assert.match(overwritten.stderr, /6 to run/);
    assert.equal(JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')).name, 'another');
  });

  test('an unusable folder is exit 2 at once, and a refused run leaves nothing behind', async () => {
    const file = await sweepFile(small);
    const proc = await tokbench('run', file, '--out', '/proc/tokbench-x');
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /cannot use the output folder '\/proc\/tokbench-x'/);
    const parent = await scratchDir();
    const tooMany = await tokbench('run', file, '--out', join(parent, 'new'), '--max-runs', '2');
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /would start 6 runs, more than --max-runs 2; pass --yes/);
    assert.ok(!existsSync(join(parent, 'new')));
  });
});

describe('shards', () => {
  test('two shards merged give the unsharded table, timings excluded', async () => {
    const file = await sweepFile(small);
    const [whole, first, second] = await Promise.all([scratchDir(), scratchDir(), scratchDir()]);
    const runs = await Promise.all([
      tokbench('run', file, '--out', whole, '--concurrency', '1', '--quiet'),
      tokbench('run', file, '--out', first, '--concurrency', '1', '--quiet', '--shard', '0/2'),
    ]);
    // The second shard from a Slurm job array's variables, as sbatch --array=0-1 sets them.
    runs.push(await tokbenchWithEnv({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '2' }, 'run', file, '--out', second, '--concurrency', '1', '--quiet'));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const [a, b] = [await rowFiles(first), await rowFiles(second)];
    assert.ok(a.length > 0 && b.length > 0 && a.length + b.length === 6, `shards of ${a.length} and ${b.length} runs`);
    assert.deepEqual(a.filter((name) => b.includes(name)), []);
    const merged = join(await scratchDir(), 'merged');
    const merge = await tokbench('merge', first, second, '--out', merged);
    assert.equal(merge.code, 0, merge.stderr);
    const measured = new Set(Object.entries(METRICS).filter(([name, m]) => m.provenance === 'measured' && m.type !== 'list<float64>' && name !== 'pretrain_loss').map(([name]) => name));
    const comparable = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !measured.has(k))));
    assert.deepEqual(comparable(await rowsOf(merged)), comparable(await rowsOf(whole)));
  });
});

