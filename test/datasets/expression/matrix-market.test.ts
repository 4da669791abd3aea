import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readMatrixMarketColumns, type CompressedColumns, type MatrixMarketHeader } from '../../../datasets/expression/matrix-market.js';
import { TokbenchError } from '../../../harness/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-mtx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** Writes `text` to a fresh file, gzipped when asked; returns its path. */
function file(text: string, gzip = false): string {
  const path = join(dir, `m${written++}.mtx${gzip ? '.gz' : ''}`);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

const keepAll = (header: MatrixMarketHeader) => Int32Array.from({ length: header.rows }, (_, r) => r);
const plain = (m: CompressedColumns) => ({ indptr: [...m.indptr], indices: [...m.indices], data: [...m.data] });

/** Expects an `input` error at ['path'] whose message is exactly `message`. */
async function refuses(path: string, message: string): Promise<void> {
  await assert.rejects(readMatrixMarketColumns(path, 'path', keepAll), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.deepEqual([error.code, error.path, error.message], ['input', ['path'], message]);
    return true;
  });
}

// A 4 × 3 integer matrix, entries out of order within and across columns, with comments and a blank line:
//   column 1: rows 3 (5), 1 (2)   column 2: none   column 3: rows 4 (1), 2 (7), 1 (0, a stored zero)
const SMALL = '%%MatrixMarket matrix coordinate integer general\n% a comment\n%\n4 3 5\n3 1 5\n\n1 3 0\n4 3 1\n1 1 2\n2 3 7\n';

describe('readMatrixMarketColumns', () => {
  it('gives each column its rows ascending with their values, stored zeros kept, plain and gzip alike', async () => {
    for (const gzip of [false, true]) {
      const m = await readMatrixMarketColumns(file(SMALL, gzip), 'path', keepAll);
      assert.deepEqual(m.header, { rows: 4, columns: 3, entries: 5, field: 'integer' });
      assert.deepEqual(plain(m), { indptr: [0, 2, 2, 5], indices: [0, 2, 0, 1, 3], data: [2, 5, 0, 7, 1] });
      // Counts of 4 rows: both stored as uint16.
      assert.deepEqual([m.indices.constructor, m.data.constructor], [Uint16Array, Uint16Array]);
    }
  });

  it('stores the values as float32 once one is not a count below 65,536, every value as read', async () => {
    const large = SMALL.replace('2 3 7', '2 3 70000').replace('1 1 2', '1 1 -2');
    const m = await readMatrixMarketColumns(file(large), 'path', keepAll);
    assert.deepEqual(plain(m), { indptr: [0, 2, 2, 5], indices: [0, 2, 0, 1, 3], data: [-2, 5, 0, 70_000, 1] });
    assert.deepEqual([m.indices.constructor, m.data.constructor], [Uint16Array, Float32Array]);
  });

  it('renumbers rows and leaves out those numbered −1 with their entries', async () => {
    // Rows 1 and 3 dropped; rows 2 and 4 become 0 and 1.
    const m = await readMatrixMarketColumns(file(SMALL), 'path', () => Int32Array.from([-1, 0, -1, 1]));
    assert.deepEqual(plain(m), { indptr: [0, 0, 0, 2], indices: [0, 1], data: [7, 1] });
  });

  it('reads real values as the nearest float32 of their decimal, CRLF line ends and a last line without a newline', async () => {
    const values = ['0.1', '-2.5e-3', '1E5', '.5', '7.', '+3', '123456789012345678', '0.000000000000000000000000001234', '3.4028234e38', '1.00000017881393421514957253748434595763683319091796875'];
    const lines = values.map((v, i) => `1 ${i + 1} ${v}`);
    const text = `%%MatrixMarket matrix coordinate real general\r\n1 ${values.length} ${values.length}\r\n${lines.join('\r\n')}`;
    const m = await readMatrixMarketColumns(file(text), 'path', keepAll);
    assert.equal(m.header.field, 'real');
    assert.ok(m.data instanceof Float32Array);
    assert.deepEqual([...m.data], values.map((v) => Math.fround(Number(v))));
  });

  it('joins lines that straddle read and inflate chunks (files of several MB)', async () => {
    // 400,000 entries over 1,000 columns of a 500-row matrix: column c holds rows c mod 500 + 1 … as listed below.
    const columns = 1000;
    const perColumn = 400;
    const lines: string[] = [];
    for (let c = 0; c < columns; c++) for (let k = perColumn - 1; k >= 0; k--) lines.push(`${k + 1} ${c + 1} ${(c * 7 + k) % 97}`);
    const text = `%%MatrixMarket matrix coordinate integer general\n500 ${columns} ${lines.length}\n${lines.join('\n')}\n`;
    for (const gzip of [false, true]) {
      const m = await readMatrixMarketColumns(file(text, gzip), 'path', keepAll);
      assert.equal(m.indices.length, columns * perColumn);
      let wrong = 0;
      for (let c = 0; c < columns; c++) {
        for (let k = 0; k < perColumn; k++) {
          const at = c * perColumn + k;
          if (m.indptr[c] !== c * perColumn || m.indices[at] !== k || m.data[at] !== (c * 7 + k) % 97) wrong++;
        }
      }
      assert.equal(wrong, 0);
    }
  });

  it('names the file and line of a banner, size line or entry it cannot read', async () => {
    const banner = file('%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n');
    await refuses(banner, `${banner} line 1: found '%%MatrixMarket matrix array real general'; expected the banner '%%MatrixMarket matrix coordinate integer|real general'`);
    const symmetric = file('%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 1 1\n', true);
    await refuses(symmetric, `${symmetric} line 1: found '%%MatrixMarket matrix coordinate real symmetric'; expected the banner '%%MatrixMarket matrix coordinate integer|real general'`);
    const size = file('%%MatrixMarket matrix coordinate integer general\n% c\n4 3\n1 1 1\n');
    await refuses(size, `${size} line 3: found '4 3'; expected the size line: rows, columns and entries, three whole numbers`);
    const entry = file('%%MatrixMarket matrix coordinate integer general\n4 3 2\n1 1 1\n2 x 1\n');
    await refuses(entry, `${entry} line 4: found '2 x 1'; expected an entry: row, column and an integer value`);
    const realInInteger = file('%%MatrixMarket matrix coordinate integer general\n4 3 1\n1 1 1.5\n');
    await refuses(realInInteger, `${realInInteger} line 3: found '1 1 1.5'; expected an entry: row, column and an integer value`);
    const extra = file('%%MatrixMarket matrix coordinate real general\n4 3 1\n1 1 1e\n');
    await refuses(extra, `${extra} line 3: found '1 1 1e'; expected an entry: row, column and a number value`);
    const fourFields = file('%%MatrixMarket matrix coordinate real general\n4 3 1\n1 1 1 2\n');
    await refuses(fourFields, `${fourFields} line 3: found '1 1 1 2'; expected an entry: row, column and a number value`);
    const empty = file('');
    await refuses(empty, `${empty}: found an empty file; expected a MatrixMarket coordinate matrix`);
    const noSize = file('%%MatrixMarket matrix coordinate real general\n% only comments\n');
    await refuses(noSize, `${noSize}: found no size line; expected rows, columns and entries after the banner and comments`);
  });

  it('refuses an index outside the size line, and more or fewer entries than it announces', async () => {
    const row = file('%%MatrixMarket matrix coordinate integer general\n4 3 2\n1 1 1\n5 2 1\n', true);
    await refuses(row, `${row} line 4: found row 5, column 2; expected rows 1 … 4 and columns 1 … 3, as the size line (line 2) says`);
    const column = file('%%MatrixMarket matrix coordinate integer general\n4 3 1\n1 0 1\n');
    await refuses(column, `${column} line 3: found row 1, column 0; expected rows 1 … 4 and columns 1 … 3, as the size line (line 2) says`);
    const more = file('%%MatrixMarket matrix coordinate integer general\n4 3 1\n1 1 1\n2 2 2\n');
    await refuses(more, `${more} line 4: found more than 1 entries; expected 1, as the size line (line 2) says`);
    const fewer = file('%%MatrixMarket matrix coordinate integer general\n4 3 3\n1 1 1\n2 2 2\n');
    await refuses(fewer, `${fewer}: found 2 entries; expected 3, as the size line (line 2) says`);
  });

  it('refuses a position listed twice, naming both lines', async () => {
    const twice = file('%%MatrixMarket matrix coordinate integer general\n4 3 4\n3 2 1\n1 2 4\n2 1 1\n3 2 6\n');
    await refuses(twice, `${twice} line 6: found row 3, column 2 again (first on line 3); expected each position once, as MatrixMarket coordinate files list them`);
  });

  it('reports a file it cannot read or inflate as unreadable', async () => {
    const missing = join(dir, 'absent.mtx');
    await assert.rejects(readMatrixMarketColumns(missing, 'path', keepAll), (error: unknown) => error instanceof TokbenchError && error.code === 'input' && error.message.startsWith(`cannot read data file ${missing} (ENOENT`));
    const truncated = join(dir, 'truncated.mtx.gz');
    writeFileSync(truncated, gzipSync(SMALL).subarray(0, 30));
    await assert.rejects(readMatrixMarketColumns(truncated, 'path', keepAll), (error: unknown) => error instanceof TokbenchError && error.message.startsWith(`cannot read data file ${truncated} (`));
  });
});
