// MatrixMarket coordinate files (NIST's exchange format, as CellRanger writes matrix.mtx[.gz]) read into compressed sparse columns, streamed twice so neither the text nor an entry list is ever held whole.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TokbenchError } from '../../harness/errors.js';
import { entrySorter, indexArray, ValueColumn, type IndexArray, type ValueArray } from './compact-arrays.js';

/** What the banner and the size line say. */
export interface MatrixMarketHeader {
  readonly rows: number;
  readonly columns: number;
  /** Entries the size line announces. */
  readonly entries: number;
  readonly field: 'integer' | 'real';
}

/**
 * The matrix by columns: column c's entries are `indices[indptr[c] .. indptr[c+1])` (rows as renumbered by the
 * caller, ascending) with values `data[…]`. For a features × barcodes file that is cells × genes CSR. Both are as
 * compact as the kept rows and the values allow (compact-arrays.ts).
 */
export interface CompressedColumns {
  readonly header: MatrixMarketHeader;
  readonly indptr: Float64Array;
  readonly indices: IndexArray;
  readonly data: ValueArray;
}

/**
 * Reads `file` (gzip by its magic bytes) by columns. `renumber` gets the header before any entry is read, may
 * throw to refuse it, and returns each row's new number (−1: leave the row out, with its entries; kept rows
 * need distinct numbers, by which each column is sorted). Values are stored as float32, as scanpy's
 * `read_10x_mtx` does, or as uint16 when all are counts below 65,536; stored zeros are kept. Errors name the
 * file and line: a banner that is not `%%MatrixMarket matrix coordinate integer|real general`, a malformed
 * line, an index outside the size line's bounds, more or fewer entries than it announces, and one position
 * given twice (the format lists each once).
 * `param` is the dataset parameter that led to the file, the path of every error.
 */
export async function readMatrixMarketColumns(file: string, param: string, renumber: (header: MatrixMarketHeader) => Int32Array): Promise<CompressedColumns> {
  // Pass 1 counts each column's kept entries, pass 2 puts them in place: a counting sort by column.
  let rowNumber: Int32Array = new Int32Array(0);
  // Rows kept, the width of the renumbered row indices.
  let kept = 0;
  let counts = new Float64Array(0);
  const header = await scanEntries(
    file,
    param,
    (found) => {
      rowNumber = renumber(found);
      kept = rowNumber.reduce((most, n) => Math.max(most, n + 1), 0);
      counts = new Float64Array(found.columns + 1);
    },
    (row, column) => {
      if (rowNumber[row] >= 0) counts[column + 1]++;
    },
  );
  for (let c = 0; c < header.columns; c++) counts[c + 1] += counts[c];
  const indptr = counts;
  const next = indptr.slice(0, header.columns);
  const indices = indexArray(kept, indptr[header.columns]);
  const data = new ValueColumn(indices.length);
  await scanEntries(file, param, nothing, (row, column, value) => {
    if (rowNumber[row] < 0) return;
    const at = next[column]++;
    indices[at] = rowNumber[row];
    data.set(at, value);
  });
  const duplicate = sortColumns(indptr, indices, data.values, rowNumber, kept);
  if (duplicate !== undefined) throw await duplicateError(file, param, duplicate.row, duplicate.column);
  return { header, indptr, indices, data: data.values };
}

/** For the passes after the first, whose header the first pass already checked; and for a pipeline's callback, whose errors reach the reader through its last stream. */
function nothing(): void {}

/**
 * Sorts each column's entries by row; entries of a column come in any order in the file. Returns the first
 * position (0-based, in the file's own row numbers) found twice.
 */
function sortColumns(indptr: Float64Array, indices: IndexArray, data: ValueArray, rowNumber: Int32Array, kept: number): { row: number; column: number } | undefined {
  const sort = entrySorter(kept);
  for (let c = 0; c + 1 < indptr.length; c++) {
    const start = indptr[c];
    const end = indptr[c + 1];
    let sorted = true;
    for (let k = start + 1; k < end && sorted; k++) sorted = indices[k - 1] < indices[k];
    if (sorted) continue;
    const twice = sort(indices, data, start, end);
    if (twice >= 0) return { row: rowNumber.indexOf(twice), column: c };
  }
  return undefined;
}

/** The error for a position listed twice, naming both lines: a third pass, taken only on this error. */
async function duplicateError(file: string, param: string, row: number, column: number): Promise<TokbenchError> {
  const lines: number[] = [];
  await scanEntries(file, param, nothing, (r, c, _value, line) => {
    if (r === row && c === column) lines.push(line);
  });
  return new TokbenchError(
    'input',
    `${file} line ${lines[1]}: found row ${row + 1}, column ${column + 1} again (first on line ${lines[0]}); expected each position once, as MatrixMarket coordinate files list them`,
    [param],
  );
}

const BANNER = /^%%MatrixMarket\s+matrix\s+coordinate\s+(integer|real)\s+general\s*$/i;

/**
 * Streams `file` line by line, checks the banner and the size line (giving them to `onHeader`) and every entry,
 * and hands each entry to `onEntry` with 0-based row and column. Comment lines (`%`) may precede the size line;
 * blank lines are skipped anywhere.
 */
async function scanEntries(
  file: string,
  param: string,
  onHeader: (header: MatrixMarketHeader) => void,
  onEntry: (row: number, column: number, value: number, line: number) => void,
): Promise<MatrixMarketHeader> {
  const fail = (line: number, message: string) => new TokbenchError('input', `${file} line ${line}: ${message}`, [param]);
  const fields = new LineFields();
  let header: MatrixMarketHeader | undefined;
  let field: 'integer' | 'real' | undefined;
  let sizeLine = 0;
  let entries = 0;
  await forEachLine(file, param, (bytes, start, end, line) => {
    fields.reset(bytes, start, end);
    if (line === 1) {
      const banner = BANNER.exec(fields.text());
      if (banner === null) throw fail(1, `found '${fields.text()}'; expected the banner '%%MatrixMarket matrix coordinate integer|real general'`);
      field = banner[1].toLowerCase() === 'integer' ? 'integer' : 'real';
      return;
    }
    if (!fields.more()) return;
    if (header === undefined) {
      if (bytes[fields.pos] === PERCENT) return;
      const rows = fields.count();
      const columns = fields.count();
      const announced = fields.count();
      if (!(rows >= 0 && columns >= 0 && announced >= 0) || fields.more()) {
        throw fail(line, `found '${fields.text()}'; expected the size line: rows, columns and entries, three whole numbers`);
      }
      header = { rows, columns, entries: announced, field: field as 'integer' | 'real' };
      sizeLine = line;
      onHeader(header);
      return;
    }
    const row = fields.count();
    const column = fields.count();
    const value = header.field === 'integer' ? fields.integer() : fields.real();
    if (Number.isNaN(row) || Number.isNaN(column) || Number.isNaN(value) || fields.more()) {
      throw fail(line, `found '${fields.text()}'; expected an entry: row, column and ${header.field === 'integer' ? 'an integer' : 'a number'} value`);
    }
    if (row < 1 || row > header.rows || column < 1 || column > header.columns) {
      throw fail(line, `found row ${row}, column ${column}; expected rows 1 … ${header.rows} and columns 1 … ${header.columns}, as the size line (line ${sizeLine}) says`);
    }
    if (++entries > header.entries) throw fail(line, `found more than ${header.entries} entries; expected ${header.entries}, as the size line (line ${sizeLine}) says`);
    onEntry(row - 1, column - 1, value, line);
  });
  if (field === undefined) throw new TokbenchError('input', `${file}: found an empty file; expected a MatrixMarket coordinate matrix`, [param]);
  if (header === undefined) throw new TokbenchError('input', `${file}: found no size line; expected rows, columns and entries after the banner and comments`, [param]);
  if (entries < header.entries) {
    throw new TokbenchError('input', `${file}: found ${entries} entries; expected ${header.entries}, as the size line (line ${sizeLine}) says`, [param]);
  }
  return header;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const PERCENT = 0x25;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Chunk size for reading and inflating: large enough that per-chunk work is negligible. */
const CHUNK = 1 << 20;

/**
 * Calls `onLine` with each line's bytes (`bytes[start, end)`, the newline left out) and its 1-based number,
 * without making a string of it. Gzip input is inflated on the fly.
 */
async function forEachLine(file: string, param: string, onLine: (bytes: Uint8Array, start: number, end: number, line: number) => void): Promise<void> {
  let line = 0;
  let carry: Buffer | undefined;
  try {
    for await (const chunk of await openText(file)) {
      const bytes = chunk as Buffer;
      let from = 0;
      if (carry !== undefined) {
        // A line split across chunks: join its two parts (only that line is copied).
        const newline = bytes.indexOf(NEWLINE);
        if (newline < 0) {
          carry = Buffer.concat([carry, bytes]);
          continue;
        }
        const joined = Buffer.concat([carry, bytes.subarray(0, newline)]);
        carry = undefined;
        onLine(joined, 0, joined.length, ++line);
        from = newline + 1;
      }
      for (let newline = bytes.indexOf(NEWLINE, from); newline >= 0; newline = bytes.indexOf(NEWLINE, from)) {
        onLine(bytes, from, newline, ++line);
        from = newline + 1;
      }
      if (from < bytes.length) carry = bytes.subarray(from);
    }
    if (carry !== undefined) onLine(carry, 0, carry.length, ++line);
  } catch (error) {
    if (error instanceof TokbenchError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TokbenchError('input', `cannot read data file ${file} (${reason})`, [param]);
  }
}

/** The file's text as a stream, inflated when its first bytes are gzip's magic number. */
async function openText(file: string): Promise<Readable> {
  const handle = await open(file);
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const stream = createReadStream(file, { highWaterMark: CHUNK });
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return stream;
  // pipeline, unlike pipe, passes a read error on to the inflated stream, where the reading loop sees it.
  return pipeline(stream, createGunzip({ chunkSize: CHUNK }), nothing);
}

/** Whitespace-separated fields of one line, parsed from its bytes; each parser returns NaN for a field it cannot read. */
class LineFields {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  start = 0;
  end = 0;

  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.start = start;
    this.pos = start;
    this.end = end;
  }

  /** The whole line as text, for messages and the banner (a carriage return before the newline dropped). */
  text(): string {
    const end = this.end > this.start && this.bytes[this.end - 1] === CARRIAGE_RETURN ? this.end - 1 : this.end;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.start, end - this.start).toString('latin1');
  }

  /** Skips spaces, tabs and a carriage return; whether a field follows. */
  more(): boolean {
    const { bytes, end } = this;
    while (this.pos < end && (bytes[this.pos] === SPACE || bytes[this.pos] === TAB || bytes[this.pos] === CARRIAGE_RETURN)) this.pos++;
    return this.pos < end;
  }

  /** The next field as a whole number ≥ 0 (digits only). */
  count(): number {
    return this.more() ? this.digits() : NaN;
  }

  /** The next field as an integer with an optional sign. */
  integer(): number {
    return this.more() ? this.sign() * this.digits() : NaN;
  }

  /**
   * The next field as a decimal number (sign, digits, fraction, exponent). With up to 15 significant digits
   * and a power of ten up to 22, both are exact doubles, so one multiplication or division gives the correctly
   * rounded double (Clinger's fast path); other fields go through `Number`, which rounds correctly too.
   */
  real(): number {
    if (!this.more()) return NaN;
    const { bytes, end } = this;
    const first = this.pos;
    const sign = this.sign();
    let mantissa = 0;
    let significant = 0;
    let digits = 0;
    let exponent = 0;
    let fraction = false;
    for (; this.pos < end; this.pos++) {
      const b = bytes[this.pos];
      if (b === DOT && !fraction) {
        fraction = true;
        continue;
      }
      if (b < ZERO || b > NINE) break;
      digits++;
      if (significant > 0 || b !== ZERO) significant++;
      mantissa = mantissa * 10 + (b - ZERO);
      if (fraction) exponent--;
    }
    if (digits === 0) return NaN;
    if (this.pos < end && (bytes[this.pos] === LOWER_E || bytes[this.pos] === UPPER_E)) {
      this.pos++;
      exponent += this.sign() * this.digits();
    }
    if (Number.isNaN(exponent) || !this.fieldEnds()) return NaN;
    if (significant <= 15 && Math.abs(exponent) <= 22) return sign * (exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent);
    return Number(Buffer.from(bytes.buffer, bytes.byteOffset + first, this.pos - first).toString('latin1'));
  }

  /** Digits from here to the field's end, as a whole number; NaN when there are none or something else follows. */
  private digits(): number {
    const { bytes, end } = this;
    const first = this.pos;
    let value = 0;
    while (this.pos < end && bytes[this.pos] >= ZERO && bytes[this.pos] <= NINE) value = value * 10 + (bytes[this.pos++] - ZERO);
    return this.pos > first && this.fieldEnds() ? value : NaN;
  }

  /** Consumes an optional sign: −1 for minus, 1 otherwise. */
  private sign(): number {
    const b = this.bytes[this.pos];
    if (b !== PLUS && b !== MINUS) return 1;
    this.pos++;
    return b === MINUS ? -1 : 1;
  }

  /** Whether the field ends here (line end or whitespace). */
  private fieldEnds(): boolean {
    const b = this.bytes[this.pos];
    return this.pos >= this.end || b === SPACE || b === TAB || b === CARRIAGE_RETURN;
  }
}
