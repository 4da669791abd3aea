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

/** A panel too wide for uint16 gene indices. */
const GENES = 70_000;

function sparse(root: Group, name: string, format: 'csr' | 'csc', parts: { indptr: number[]; indices: number[]; data: number[] }, shape = [4, 3]) {
  const group = root.create_group(name);
  group.create_attribute('encoding-type', `${format}_matrix`);
  group.create_attribute('shape', BigInt64Array.from(shape, BigInt));
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
  sparse(root, 'real', 'csr', { ...CSR, data: [1, 2.5, 3, 4, 5, 0.1] });
  sparse(root, 'large-count', 'csc', { ...CSC, data: [1, 4, 3, 70_000, 2, 6] });
  // 65,538 and 65,539 would wrap to 2 and 3 in uint16: inside the axis, were they not checked first.
  sparse(root, 'beyond', 'csr', { ...CSR, indices: [0, 2, 1, 0, 1, 65_538] });
  sparse(root, 'beyond-csc', 'csc', { ...CSC, indices: [0, 3, 65_539, 3, 0, 3] });
  // 3 cells × 70,000 genes: g69999 in c0, g5 in c1, g0 and g69999 in c2; stored by rows and by columns.
  sparse(root, 'wide-csr', 'csr', { indptr: [0, 1, 2, 4], indices: [GENES - 1, 5, 0, GENES - 1], data: [2, 3, 1, 4] }, [3, GENES]);
  const columns = Array.from({ length: GENES + 1 }, (_, g) => (g === 0 ? 0 : g <= 5 ? 1 : g < GENES ? 2 : 4));
  sparse(root, 'wide-csc', 'csc', { indptr: columns, indices: [2, 1, 0, 2], data: [1, 3, 2, 4] }, [3, GENES]);
  const real = new Float32Array(3 * WIDE);
  real[0] = 1;
  real[WIDE + 7] = 2;
  real[2 * WIDE + 5] = 2.5;
  root.create_dataset({ name: 'wide-real', data: real, shape: [3, WIDE], compression: 'gzip', chunks: [1, 1 << 16] });
  root.close();
}

/** `readMatrix` of the entity at `path`, with `limit` when given. */
function readAt(path: string, limit?: number): Promise<CsrBlock> {
  const source = { file, param: 'path', name: `'${path}'` };
  return withHdf5(source, 'a test file', (root) => readMatrix(entityAt(root, path) ?? root, source, limit));
}

/** `readAt` as plain arrays, so a failing comparison prints readably. */
async function block(path: string, limit?: number): Promise<{ rows: number; cols: number; indptr: number[]; indices: number[]; data: number[] }> {
  const read = await readAt(path, limit);
  return { rows: read.rows, cols: read.cols, indptr: [...read.indptr], indices: [...read.indices], data: [...read.data] };
}

/** The array types of the block read at `path`: [indices, data]. */
async function types(path: string): Promise<string[]> {
  const read = await readAt(path);
  return [read.indices.constructor.name, read.data.constructor.name];
}

/** The message of the `input` error reading `path` gives, at ['path']. */
async function refusal(path: string): Promise<string> {
  const error: unknown = await readAt(path).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TokbenchError);
  assert.deepEqual([error.code, error.path], ['input', ['path']]);
  return error.message;
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
    assert.equal(await refusal('decreasing'), `${file}: found indptr[1] = 2 and indptr[2] = 1 in 'decreasing'; expected indptr never to decrease`);
  });

  it('stores counts as uint16 gene indices and uint16 values, dense, CSR and CSC alike', async () => {
    for (const path of ['dense', 'csr', 'csc']) assert.deepEqual(await types(path), ['Uint16Array', 'Uint16Array'], path);
    // A million and one columns need int32 indices; the counts still fit uint16.
    assert.deepEqual(await types('wide'), ['Int32Array', 'Uint16Array']);
  });

  it('stores values as float32, the same numbers, when one is not an integer or above 65,535', async () => {
    assert.deepEqual(await types('real'), ['Uint16Array', 'Float32Array']);
    assert.deepEqual(await block('real'), { rows: 4, cols: 3, ...CSR, data: [1, 2.5, 3, 4, 5, Math.fround(0.1)] });
    assert.deepEqual(await types('large-count'), ['Uint16Array', 'Float32Array']);
    assert.deepEqual(await block('large-count'), { rows: 4, cols: 3, ...CSR, data: [1, 2, 3, 4, 70_000, 6] });
    // Dense: the fraction comes in the last block of rows, after two integers were stored as uint16.
    assert.deepEqual(await types('wide-real'), ['Int32Array', 'Float32Array']);
    assert.deepEqual(await block('wide-real'), { rows: 3, cols: WIDE, indptr: [0, 1, 2, 3], indices: [0, 7, 5], data: [1, 2, 2.5] });
  });

  it('gives int32 gene indices for a panel of 70,000 genes, from CSR and from a CSC matrix of 3 cells (whose stored cell indices fit uint16)', async () => {
    const expected = { rows: 3, cols: GENES, indptr: [0, 1, 2, 4], indices: [GENES - 1, 5, 0, GENES - 1], data: [2, 3, 1, 4] };
    for (const path of ['wide-csr', 'wide-csc']) {
      assert.deepEqual(await block(path), expected, path);
      assert.deepEqual(await types(path), ['Int32Array', 'Uint16Array'], path);
    }
  });

  it('refuses an index outside the matrix before narrow storage could wrap it, naming the row or column', async () => {
    assert.equal(await refusal('beyond'), `${file}: found column index 65538 in row 3 in 'beyond'; expected indices in 0..2`);
    assert.equal(await refusal('beyond-csc'), `${file}: found row index 65539 in column 1 in 'beyond-csc'; expected indices in 0..3`);
  });
});
