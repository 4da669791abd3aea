// Tests of the public API (harness/index.ts): what it exports, and that its compiled form (dist/, from
// `npm run build`, which `npm install` runs) works from plain Node through the package's `exports` map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as api from '../../harness/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const smoke = join(root, 'configs', 'ci-smoke.yaml');
const dist = join(root, 'dist', 'harness', 'index.js');
const noDist = existsSync(dist) ? false : `${dist} is missing: run \`npm run build\` (npm install runs it)`;
const stale = 'if dist/ predates the sources, run `npm run build`';

test('the entry file exports exactly the public values', () => {
  assert.deepEqual(Object.keys(api).sort(), [
    'BACKEND_PREFERENCES',
    'ConfigError',
    'EXPRESSION_VALUES',
    'METRICS',
    'METRIC_NAMES',
    'MODALITIES',
    'SPLIT_SEED_PARAM',
    'TokbenchError',
    'builtinComponents',
    'compareRows',
    'createRng',
    'datasets',
    'defineExpressionReader',
    'expandGrid',
    'expressionSourceParams',
    'formatComparison',
    'loadSweep',
    'mergeResults',
    'parseSweep',
    'preflight',
    'readResultRows',
    'runSweep',
    'sampleRandom',
    'strategies',
  ]);
});

test('loadSweep and parseSweep use the built-in datasets and strategies unless given others', async () => {
  const sweep = await api.loadSweep(smoke);
  assert.equal(sweep.name, 'ci-smoke');
  assert.ok(sweep.cells.length > 0);
  assert.deepEqual(api.parseSweep(sweep.yaml, 'copy.yaml').cells.map((c) => c.id), sweep.cells.map((c) => c.id));
  assert.deepEqual(api.parseSweep(sweep.yaml, 'copy.yaml', api.builtinComponents).cells.map((c) => c.id), sweep.cells.map((c) => c.id));
  assert.throws(() => api.parseSweep(sweep.yaml.replace('name: patch', 'name: pach'), 'bad.yaml'), api.ConfigError);
});

/** `node script.mjs` with plain Node (no tsx) in a fresh folder whose node_modules/tokbench links to this checkout. */
async function runAsConsumer(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tokbench-consumer-'));
  await mkdir(join(dir, 'node_modules'));
  await symlink(root, join(dir, 'node_modules', 'tokbench'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  await writeFile(join(dir, 'main.mjs'), script);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  try {
    return await new Promise((resolve) => {
      execFile(process.execPath, ['main.mjs', ...args], { cwd: dir, env, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// One cell, one seed, in the consumer's own process. runSweep returned the outcomes before it returned
// `{ outcomes, total, stopped }` and ran in-process at concurrency 1 before `inProcess` existed: either works.
const CONSUMER = `import { loadSweep, runSweep, METRICS } from 'tokbench';
const sweep = await loadSweep(process.argv[2]);
const result = await runSweep({ name: sweep.name, seeds: [0], cells: [sweep.cells[0]] }, { backend: 'wasm', concurrency: 1, inProcess: true });
const outcomes = Array.isArray(result) ? result : result.outcomes;
const { row } = outcomes[0];
console.log(JSON.stringify({ rows: outcomes.length, status: row.status, error: row.error, reconstruction_error: row.reconstruction_error, declared: 'reconstruction_error' in METRICS }));
`;

test('compiled: plain Node imports `tokbench`, loads ci-smoke.yaml and runs one cell to an ok row', { skip: noDist }, async () => {
  const run = await runAsConsumer(CONSUMER, smoke);
  assert.equal(run.code, 0, `consumer script failed (${stale}):\n${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
  assert.equal(result.rows, 1);
  assert.equal(result.status, 'ok', `row error: ${String(result.error)}`);
  assert.equal(typeof result.reconstruction_error, 'number');
  assert.ok(Number.isFinite(result.reconstruction_error));
  assert.equal(result.declared, true);
});

test('compiled: the worker entry is dist worker.js without tsx, and it starts a backend from any folder', { skip: noDist }, async () => {
  const { workerEntry } = (await import(pathToFileURL(join(root, 'dist', 'harness', 'runner', 'worker-entry.js')).href)) as typeof import('../../harness/runner/worker-entry.js');
  const entry = workerEntry();
  assert.deepEqual(entry, { path: join(root, 'dist', 'harness', 'runner', 'worker.js'), execArgv: [] });
  const child = fork(entry.path, [], { execArgv: entry.execArgv, cwd: tmpdir(), serialization: 'advanced', stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const reply = await new Promise<unknown>((resolve) => {
    child.once('message', resolve);
    child.once('exit', () => resolve({ type: 'exited' }));
    child.send({ type: 'init', settings: { sweep: 'library-test', backend: 'wasm', saveProbabilities: false } });
  });
  child.disconnect();
  assert.deepEqual(reply, { type: 'ready' }, `compiled worker did not start (${stale}):\n${stderr}`);
  assert.equal(await exited, 0);
});
