import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdx } from '../../../datasets/image/idx-format.js';
import { TokbenchError } from '../../../harness/errors.js';

const IMAGES = { ranks: [3, 4], layout: 'N×H×W or N×H×W×C' };

/** Header 00 00 08 <rank>, big-endian sizes, then `data`. */
function idx(dims: number[], data: number[], type = 0x08): Uint8Array {
  const bytes = [0, 0, type, dims.length];
  for (const size of dims) bytes.push((size >>> 24) & 0xff, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff);
  return Uint8Array.from([...bytes, ...data]);
}

function refusal(bytes: Uint8Array): string {
  try {
    parseIdx(bytes, 'f.idx', 'images', IMAGES);
  } catch (error) {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'input');
    assert.deepEqual(error.path, ['images']);
    return error.message;
  }
  assert.fail('expected a refusal');
}

describe('parseIdx', () => {
  it('reads the sizes big-endian and the data after the header, as a view', () => {
    // 2 images of 1 × 2 after a 4 + 3 × 4 = 16-byte header.
    const bytes = idx([2, 1, 2], [5, 6, 7, 8]);
    const { dims, data } = parseIdx(bytes, 'f.idx', 'images', IMAGES);
    assert.deepEqual(dims, [2, 1, 2]);
    assert.deepEqual([...data], [5, 6, 7, 8]);
    assert.equal(data.buffer, bytes.buffer);
    assert.equal(data.byteOffset, 16);
  });

  it('reads sizes above 255 from all four bytes', () => {
    // 300 = 0x0000012c labels.
    const { dims } = parseIdx(idx([300], new Array<number>(300).fill(1)), 'l.idx', 'labels', { ranks: [1], layout: 'N' });
    assert.deepEqual(dims, [300]);
  });

  it('reads four dimensions N × H × W × C', () => {
    assert.deepEqual(parseIdx(idx([1, 1, 1, 3], [1, 2, 3]), 'f.idx', 'images', IMAGES).dims, [1, 1, 1, 3]);
  });

  it('refuses what is not IDX, by its first bytes, however short', () => {
    assert.equal(refusal(Uint8Array.from([0x1f, 0x8b, 8, 0, 1])), 'f.idx is not an IDX file: found first bytes 1f 8b 08 00; expected 00 00, a type byte and a dimension count');
    assert.equal(refusal(Uint8Array.from([0x68])), 'f.idx is not an IDX file: found first bytes 68; expected 00 00, a type byte and a dimension count');
  });

  it('refuses a file of zeros too short for any header as too short, not as another format', () => {
    const short = 'expected at least 4 + 4 per dimension (00 00, a type byte, a dimension count, then each size)';
    assert.equal(refusal(Uint8Array.from([0, 0])), `f.idx is too short for an IDX header: found 2 bytes; ${short}`);
    assert.equal(refusal(Uint8Array.from([0])), `f.idx is too short for an IDX header: found 1 byte; ${short}`);
    assert.equal(refusal(new Uint8Array(0)), `f.idx is too short for an IDX header: found 0 bytes; ${short}`);
  });

  it('refuses other element types, naming them', () => {
    assert.equal(refusal(idx([1, 1, 1], [0, 0, 0, 0], 0x0d)), 'f.idx holds another element type: found 0x0d (float32); expected 0x08 (unsigned byte), the only type read');
    assert.equal(refusal(idx([1, 1, 1], [0], 0x07)), 'f.idx holds another element type: found 0x07 (unknown); expected 0x08 (unsigned byte), the only type read');
  });

  it('refuses a header cut short: 3 dimensions need 16 bytes', () => {
    assert.equal(refusal(idx([2, 1, 2], []).subarray(0, 10)), 'f.idx is too short for an IDX header: found 10 bytes; expected at least 16, 4 + 4 per dimension for 3 dimensions');
  });

  it('refuses a dimension count it was not asked for', () => {
    assert.equal(refusal(idx([2, 4], [0, 0, 0, 0, 0, 0, 0, 0])), 'f.idx has the wrong number of dimensions: found 2 (2×4); expected 3 or 4 (N×H×W or N×H×W×C)');
  });

  it('refuses an empty size', () => {
    assert.equal(refusal(idx([0, 28, 28], [])), 'f.idx has an empty dimension: found sizes 0×28×28; expected every size at least 1');
  });

  it('refuses data shorter or longer than the sizes promise', () => {
    // 2 × 1 × 2 = 4 bytes promised.
    assert.equal(refusal(idx([2, 1, 2], [1, 2, 3])), 'f.idx is truncated: found 3 bytes after its 16-byte header; expected 4 for 2×1×2');
    assert.equal(refusal(idx([2, 1, 2], [1, 2, 3, 4, 5])), 'f.idx has trailing bytes: found 5 bytes after its 16-byte header; expected 4 for 2×1×2');
  });
});
