import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseFileOnce } from '../../datasets/parsed-files.js';
import { TokbenchError } from '../../harness/errors.js';

describe('parseFileOnce', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokbench-parsed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const lines = (text: string) => text.split('\n');

  it('parses an unchanged file once, and again when it changes', async () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'x\ny');
    const first = await parseFileOnce(file, 'lines', 'path', lines);
    assert.equal(await parseFileOnce(file, 'lines', 'path', lines), first);
    // Another parser of the same file has its own entry.
    assert.deepEqual(await parseFileOnce(file, 'length', 'path', (text) => text.length), 3);
    writeFileSync(file, 'x\ny\nz');
    assert.deepEqual(await parseFileOnce(file, 'lines', 'path', lines), ['x', 'y', 'z']);
  });

  it('inflates gzip by its magic bytes and drops a byte order mark', async () => {
    const file = join(dir, 'b.gz');
    writeFileSync(file, gzipSync('\uFEFFACGT\n'));
    assert.deepEqual(await parseFileOnce(file, 'lines', 'path', lines), ['ACGT', '']);
    const plain = join(dir, 'c.txt');
    writeFileSync(plain, '\uFEFFACGT');
    assert.deepEqual(await parseFileOnce(plain, 'lines', 'path', lines), ['ACGT']);
  });

  it('names a file it cannot read, at the parameter that named it', async () => {
    await assert.rejects(
      parseFileOnce(join(dir, 'missing.csv'), 'lines', 'test_path', lines),
      (error: unknown) => error instanceof TokbenchError && error.code === 'input' && error.message.includes('missing.csv') && error.path[0] === 'test_path',
    );
  });

  it('does not keep a failed parse', async () => {
    const file = join(dir, 'd.txt');
    writeFileSync(file, 'x');
    let calls = 0;
    const failOnce = (text: string) => {
      if (calls++ === 0) throw new Error('first');
      return text;
    };
    await assert.rejects(parseFileOnce(file, 'flaky', 'path', failOnce), /first/);
    assert.equal(await parseFileOnce(file, 'flaky', 'path', failOnce), 'x');
  });
});
