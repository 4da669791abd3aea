// Exact digests of the data-file hash on temp files, checked against node:crypto directly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFiles } from '../../harness/data-hash.js';
import { TokbenchError } from '../../harness/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-data-hash-'));
const a = join(dir, 'a.json');
const b = join(dir, 'b.json');
writeFileSync(a, '{"data": [0, 0.5, 1]}');
writeFileSync(b, 'ACGT\n');
after(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('hashes each file, then the digests in sorted path order, to 16 hex digits', async () => {
  const expected = sha256(`${sha256('{"data": [0, 0.5, 1]}')}\n${sha256('ACGT\n')}\n`).slice(0, 16);
  assert.equal(await hashFiles([a, b]), expected);
  assert.equal(await hashFiles([b, a]), expected);
  assert.equal(await hashFiles([a]), sha256(`${sha256('{"data": [0, 0.5, 1]}')}\n`).slice(0, 16));
});

test('no files hash to the empty string', async () => {
  assert.equal(await hashFiles([]), '');
});

test('a file whose content changes hashes anew', async () => {
  const c = join(dir, 'c.txt');
  writeFileSync(c, 'one');
  assert.equal(await hashFiles([c]), sha256(`${sha256('one')}\n`).slice(0, 16));
  writeFileSync(c, 'three');
  assert.equal(await hashFiles([c]), sha256(`${sha256('three')}\n`).slice(0, 16));
});

test('a missing file is an input error naming it', async () => {
  const missing = join(dir, 'missing.json');
  const error: unknown = await hashFiles([a, missing]).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TokbenchError);
  assert.equal(error.code, 'input');
  assert.equal(error.message, `cannot read data file ${missing} to hash it (ENOENT)`);
  assert.deepEqual(error.path, ['data', missing]);
});
