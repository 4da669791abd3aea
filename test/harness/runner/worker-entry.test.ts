// Tests of the worker entry: compiled JavaScript forks worker.js as it is, TypeScript forks worker.ts with tsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerEntry } from '../../../harness/runner/worker-entry.js';

test('compiled JavaScript forks worker.js beside it, without tsx', () => {
  const entry = workerEntry('file:///opt/tokbench/dist/harness/runner/worker-entry.js');
  assert.deepEqual(entry, { path: fileURLToPath('file:///opt/tokbench/dist/harness/runner/worker.js'), execArgv: [] });
});

test('TypeScript forks worker.ts beside it with tsx, resolved from tokbench itself rather than the working directory', () => {
  const entry = workerEntry('file:///opt/tokbench/harness/runner/worker-entry.ts');
  assert.equal(entry.path, fileURLToPath('file:///opt/tokbench/harness/runner/worker.ts'));
  assert.equal(entry.execArgv.length, 2);
  assert.equal(entry.execArgv[0], '--import');
  assert.equal(entry.execArgv[1], import.meta.resolve('tsx'));
  assert.match(entry.execArgv[1], /^file:\/\/.*\/node_modules\/tsx\//);
});

test('run from source (this suite), the entry is the real worker.ts', () => {
  const entry = workerEntry();
  assert.equal(entry.path, fileURLToPath(new URL('../../../harness/runner/worker.ts', import.meta.url)));
  assert.ok(existsSync(entry.path));
  assert.equal(entry.execArgv[0], '--import');
});

test('the URL path decides, not a query string (a test may import a module with ?cache-busting)', () => {
  const dir = pathToFileURL('/opt/tokbench/dist/harness/runner/').href;
  assert.deepEqual(workerEntry(`${dir}worker-entry.js?v=1`), { path: fileURLToPath(`${dir}worker.js`), execArgv: [] });
});
