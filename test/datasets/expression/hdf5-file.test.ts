import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm, { type Group } from 'h5wasm/node';
import { entityAt, readMatrix, withHdf5, type CsrBlock } from '../../../datasets/expression/hdf5-file.js';
import { TokbenchError } from '../../../harness/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-hdf5-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Wider than one read slice (2²⁰ values), so a dense matrix is read one row per block. */
const WIDE = (1 << 20) + 1;

// 4 × 3 as in h5ad.test.ts: c0: g0 1, g2 2   c1: —   c2: g1 3   c3: g0 4, g1 5, g2 6
const CSR = { indptr: [0, 2, 2, 3, 6], indices: [0, 2, 1, 0, 1, 2], data: [1, 2, 3, 4, 5, 6] };
const CSC = { indptr: [0, 2, 4, 6], indices: [0, 3, 2, 3, 0, 3], data: [1, 4, 3, 5, 2, 6] };

function sparse(root: Group, name: string, format: 'csr' | 'csc', parts: { indptr: number[]; indices: number[]; data: number[] }) {
  const group = root.create_group(name);
  group.create_attribute('encoding-type', `${format}_matrix`);
  group.create_attribute('shape', BigInt64Array.of(4n, 3n));
  group.create_dataset({ name: 'indptr', data: Int32Array.from(parts.indptr) });
  group.create_dataset({ name: 'indices', data: Int32Array.from(parts.indices) });
  group.create_dataset({ name: 'data', data: Float32Array.from(parts.data) });
}

const file = join(dir, 'matrices.h5');
await h5wasm.ready;
{
  const root = new h5wasm.File(file, 'w');
  const wide = new Float32Array(3 * WIDE);
  wide[0] = 1;
  wide[WIDE + WIDE - 1] = 2;
  wide[2 * WIDE + 5] = 3;
  root.create_dataset({ name: 'wide', data: wide, shape: [3, WIDE], compression: 'gzip', chunks: [1, 1 << 16] });
  root.create_dataset({ name: 'dense', data: Float32Array.of(1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 5, 6), shape: [4, 3] });
  sparse(root, 'csr', 'csr', CSR);
  sparse(root, 'csc', 'csc', CSC);
  sparse(root, 'decreasing', 'csr', { ...CSR, indptr: [0, 2, 1, 3, 6] });
  root.close();
}

/** `readMatrix` of the entity at `path`, with `limit` when given, as plain arrays. */
async function block(path: string, limit?: number): Promise<{ rows: number; cols: number; indptr: number[]; indices: number[]; data: number[] }> {
  const source = { file, param: 'path', name: `'${path}'` };
  const read: CsrBlock = await withHdf5(source, 'a test file', (root) => readMatrix(entityAt(root, path) ?? root, source, limit));
  return { rows: read.rows, cols: read.cols, indptr: [...read.indptr], indices: [...read.indices], data: [...read.data] };
}

describe('readMatrix', () => {
  it('reads a dense matrix wider than one read slice block by block, keeping only its non-zeros', async () => {
    assert.deepEqual(await block('wide'), { rows: 3, cols: WIDE, indptr: [0, 1, 2, 3], indices: [0, WIDE - 1, 5], data: [1, 2, 3] });
  });

  it('reads a leading block for a bounded look: first rows of dense and CSR matrices, first columns (all rows) of CSC ones', async () => {
    assert.deepEqual(await block('dense', 4), { rows: 2, cols: 3, indptr: [0, 2, 2], indices: [0, 2], data: [1, 2] });
    // CSR: rows while their values fit in the limit, at least one.
    assert.deepEqual(await block('csr', 3), { rows: 3, cols: 3, indptr: [0, 2, 2, 3], indices: [0, 2, 1], data: [1, 2, 3] });
    assert.deepEqual(await block('csr', 1), { rows: 1, cols: 3, indptr: [0, 2], indices: [0, 2], data: [1, 2] });
    assert.deepEqual(await block('csc', 4), { rows: 4, cols: 2, indptr: [0, 1, 1, 2, 4], indices: [0, 1, 0, 1], data: [1, 3, 4, 5] });
    assert.deepEqual(await block('csc'), { rows: 4, cols: 3, ...CSR });
  });

  it('refuses an indptr that decreases, naming the file, the matrix and the entries', async () => {
    const error: unknown = await block('decreasing').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TokbenchError);
    assert.deepEqual([error.code, error.path, error.message], ['input', ['path'], `${file}: found indptr[1] = 2 and indptr[2] = 1 in 'decreasing'; expected indptr never to decrease`]);
  });
});
