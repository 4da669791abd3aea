// The IDX array format of MNIST and Fashion-MNIST (LeCun et al. 1998): bytes 00 00, a type byte, a dimension count, big-endian int32 sizes, then the data row-major.
import { TokbenchError } from '../../harness/errors.js';

/** An IDX array of unsigned bytes: its sizes, outermost first, and its data as a view into the file's bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** The only element type read: every MNIST-family file (images and labels) stores unsigned bytes. */
const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Readonly<Record<number, string>> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** What an IDX file must hold: the dimension counts allowed and how its axes read ("N×H×W", for messages). */
export interface IdxExpectation {
  readonly ranks: readonly number[];
  readonly layout: string;
}

/**
 * Parses one IDX file of unsigned bytes. Every problem is an `input` error at `param` naming `file` and
 * what was found: a start that is not IDX, a file too short for its header, another element type, a dimension
 * count not in `expected`, a zero size, or data shorter (truncated) or longer than the sizes promise.
 */
export function parseIdx(bytes: Uint8Array, file: string, param: string, expected: IdxExpectation): IdxArray {
  const fail = (message: string) => new TokbenchError('input', `${file} ${message}`, [param]);
  const bytesFound = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`;
  // A file whose first bytes are not zero is not IDX however long it is; one of zeros too short to hold a header is cut short.
  if (bytes.subarray(0, 2).some((b) => b !== 0)) {
    const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw fail(`is not an IDX file: found first bytes ${start}; expected 00 00, a type byte and a dimension count`);
  }
  if (bytes.length < 4) {
    throw fail(`is too short for an IDX header: found ${bytesFound}; expected at least 4 + 4 per dimension (00 00, a type byte, a dimension count, then each size)`);
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    throw fail(`holds another element type: found 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type] ?? 'unknown'}); expected 0x08 (unsigned byte), the only type read`);
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw fail(`is too short for an IDX header: found ${bytesFound}; expected at least ${header}, 4 + 4 per dimension for ${rank} dimensions`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, d) => view.getInt32(4 + 4 * d, false));
  const sizes = dims.join('×');
  if (!expected.ranks.includes(rank)) {
    const allowed = expected.ranks.join(' or ');
    throw fail(`has the wrong number of dimensions: found ${rank} (${sizes}); expected ${allowed} (${expected.layout})`);
  }
  if (dims.some((size) => size < 1)) throw fail(`has an empty dimension: found sizes ${sizes}; expected every size at least 1`);
  const length = dims.reduce((product, size) => product * size, 1);
  const found = bytes.length - header;
  if (found !== length) {
    throw fail(`${found < length ? 'is truncated' : 'has trailing bytes'}: found ${found} bytes after its ${header}-byte header; expected ${length} for ${sizes}`);
  }
  return { dims, data: bytes.subarray(header) };
}
