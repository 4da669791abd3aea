import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecords, cut, isSequence, type RawRecord } from '../../../datasets/sequence/records.js';
import { TokbenchError } from '../../../harness/errors.js';

const raw = (...rows: [string, string][]): RawRecord[] => rows.map(([sequence, label], row) => ({ row, where: `f.csv line ${row + 2}`, sequence, label }));
const refusal = (message: RegExp) => (error: unknown) => error instanceof TokbenchError && error.code === 'input' && error.path[0] === 'path' && message.test(error.message);

describe('isSequence', () => {
  it('accepts A, C, G, T, N in either case, nothing else, and not the empty string', () => {
    assert.equal(isSequence('acgtNNAC'), true);
    for (const text of ['', 'sequence', 'ACGU', 'AC GT', 'ACGR']) assert.equal(isSequence(text), false, text);
  });
});

describe('checkRecords', () => {
  it('upper-cases sequences and keeps rows, labels and file', () => {
    assert.deepEqual(checkRecords(raw(['acgtn', 'x'], ['GGcc', 'y']), 'error', 'f.csv', 'path'), {
      file: 'f.csv',
      rows: Int32Array.from([0, 1]),
      sequences: ['ACGTN', 'GGCC'],
      labels: ['x', 'y'],
      skipped: 0,
    });
  });

  it('names the place and 1-based position of the first character outside the alphabet', () => {
    assert.throws(() => checkRecords(raw(['ACGT', 'x'], ['ACgu', 'y']), 'error', 'f.csv', 'path'), refusal(/^f\.csv line 3: the sequence has "u" at position 4 \(1-based\)/));
  });

  it('skips such records and counts them, or reads their characters as N', () => {
    const records = raw(['ACGT', 'x'], ['AC-T', 'y'], ['ryAC', 'x']);
    const skipped = checkRecords(records, 'skip', 'f.csv', 'path');
    assert.deepEqual([[...skipped.rows], skipped.sequences, skipped.skipped], [[0], ['ACGT'], 2]);
    assert.deepEqual(checkRecords(records, 'as-n', 'f.csv', 'path').sequences, ['ACGT', 'ACNT', 'NNAC']);
  });

  it('refuses an empty sequence unless skipping, and an empty label always', () => {
    for (const onInvalid of ['error', 'as-n'] as const) {
      assert.throws(() => checkRecords(raw(['ACGT', 'x'], ['', 'y']), onInvalid, 'f.csv', 'path'), refusal(/^f\.csv line 3: the sequence is empty/));
    }
    assert.equal(checkRecords(raw(['ACGT', 'x'], ['', 'y']), 'skip', 'f.csv', 'path').skipped, 1);
    assert.throws(() => checkRecords(raw(['ACGT', '']), 'skip', 'f.csv', 'path'), refusal(/^f\.csv line 2: the record has an empty label$/));
  });

  it('refuses a file left with no record', () => {
    assert.throws(() => checkRecords([], 'error', 'f.csv', 'path'), refusal(/^f\.csv holds no usable record$/));
    assert.throws(() => checkRecords(raw(['AXGT', 'x']), 'skip', 'f.csv', 'path'), refusal(/\(all 1 skipped under on_invalid: skip\)$/));
  });
});

describe('cut', () => {
  it('leaves a sequence that fits, or any sequence without a limit', () => {
    assert.deepEqual(cut('ACGT', 4, 'windows'), ['ACGT']);
    assert.deepEqual(cut('ACGTACGT', undefined, 'truncate'), ['ACGTACGT']);
  });

  it('truncates to the first max_bases bases', () => {
    assert.deepEqual(cut('ACGTACGTAC', 4, 'truncate'), ['ACGT']);
  });

  it('cuts non-overlapping windows, keeping a short last one but never an empty one', () => {
    assert.deepEqual(cut('ACGTACGTAC', 4, 'windows'), ['ACGT', 'ACGT', 'AC']);
    assert.deepEqual(cut('ACGTACGTA', 4, 'windows'), ['ACGT', 'ACGT', 'A']);
    assert.deepEqual(cut('ACGTACGT', 4, 'windows'), ['ACGT', 'ACGT']);
  });
});
