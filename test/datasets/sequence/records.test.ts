import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { checkCutParams, checkRecords, cut, recordParams, type OnInvalid, type RawRecord } from '../../../datasets/sequence/records.js';
import { TokbenchError } from '../../../harness/errors.js';

const raw = (...rows: [string, string][]): RawRecord[] => rows.map(([sequence, label], row) => ({ row, where: `f.csv line ${row + 2}`, sequence, label }));
const refusal = (message: RegExp) => (error: unknown) => error instanceof TokbenchError && error.code === 'input' && error.path[0] === 'path' && message.test(error.message);
const rules = (on_invalid: OnInvalid, min_bases?: number) => ({ on_invalid, min_bases });

describe('checkRecords', () => {
  it('upper-cases sequences and keeps rows, labels and file', () => {
    assert.deepEqual(checkRecords(raw(['acgtn', 'x'], ['GGcc', 'y']), rules('error'), 'f.csv', 'path'), {
      file: 'f.csv',
      rows: Int32Array.from([0, 1]),
      sequences: ['ACGTN', 'GGCC'],
      labels: ['x', 'y'],
      readAsN: Int32Array.from([0, 0]),
      skipped: 0,
      short: 0,
    });
  });

  it('names the place and 1-based position of the first character outside the alphabet', () => {
    assert.throws(() => checkRecords(raw(['ACGT', 'x'], ['ACgu', 'y']), rules('error'), 'f.csv', 'path'), refusal(/^f\.csv line 3: the sequence has "u" at position 4 \(1-based\), outside A, C, G, T, N;/));
  });

  it("names the base by the record's own place for it when the reader gives one", () => {
    const records: RawRecord[] = [{ row: 0, where: 'f.fa record \'r\' (line 1)', sequence: 'ACGTAX', label: 'x', baseAt: (position) => `f.fa line 3, column ${position - 3} (record 'r', base ${position + 1})` }];
    assert.throws(
      () => checkRecords(records, rules('error'), 'f.fa', 'path'),
      refusal(/^f\.fa line 3, column 2 \(record 'r', base 6\): the sequence has "X", outside A, C, G, T, N; set on_invalid/),
    );
  });

  it('skips such records and counts them, or reads their characters as N and counts those per record', () => {
    const records = raw(['ACGT', 'x'], ['AC-T', 'y'], ['ryAC', 'x']);
    const skipped = checkRecords(records, rules('skip'), 'f.csv', 'path');
    assert.deepEqual([[...skipped.rows], skipped.sequences, skipped.skipped], [[0], ['ACGT'], 2]);
    const asN = checkRecords(records, rules('as-n'), 'f.csv', 'path');
    // '-' is one character read as N, 'r' and 'y' two.
    assert.deepEqual([asN.sequences, [...asN.readAsN], asN.skipped], [['ACGT', 'ACNT', 'NNAC'], [0, 1, 2], 0]);
  });

  it('drops and counts records shorter than min_bases, after the alphabet and label checks', () => {
    // Lengths 4, 2, 3, 1: min_bases 3 keeps rows 0 and 2; the 1-base 'X' is read as N first, then dropped as short.
    const records = raw(['ACGT', 'x'], ['AC', 'y'], ['GGA', 'x'], ['X', 'y']);
    const kept = checkRecords(records, rules('as-n', 3), 'f.csv', 'path');
    assert.deepEqual([[...kept.rows], kept.sequences, [...kept.readAsN], kept.short, kept.skipped], [[0, 2], ['ACGT', 'GGA'], [0, 0], 2, 0]);
    assert.throws(() => checkRecords(raw(['AC', '']), rules('error', 3), 'f.csv', 'path'), refusal(/^f\.csv line 2: the record has an empty label$/));
    assert.throws(() => checkRecords(raw(['AC', 'x'], ['XCGT', 'y']), rules('skip', 3), 'f.csv', 'path'), refusal(/^f\.csv holds no usable record \(1 skipped under on_invalid: skip, 1 shorter than min_bases\)$/));
  });

  it('refuses an empty sequence unless skipping, and an empty label always', () => {
    for (const onInvalid of ['error', 'as-n'] as const) {
      assert.throws(() => checkRecords(raw(['ACGT', 'x'], ['', 'y']), rules(onInvalid), 'f.csv', 'path'), refusal(/^f\.csv line 3: the sequence is empty/));
    }
    assert.equal(checkRecords(raw(['ACGT', 'x'], ['', 'y']), rules('skip'), 'f.csv', 'path').skipped, 1);
    assert.throws(() => checkRecords(raw(['ACGT', '']), rules('skip'), 'f.csv', 'path'), refusal(/^f\.csv line 2: the record has an empty label$/));
  });

  it('refuses a file left with no record', () => {
    assert.throws(() => checkRecords([], rules('error'), 'f.csv', 'path'), refusal(/^f\.csv holds no usable record$/));
    assert.throws(() => checkRecords(raw(['AXGT', 'x']), rules('skip'), 'f.csv', 'path'), refusal(/^f\.csv holds no usable record \(1 skipped under on_invalid: skip\)$/));
  });
});

describe('checkCutParams', () => {
  const schema = z.strictObject(recordParams).superRefine(checkCutParams);
  const issues = (params: object) => schema.safeParse(params).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);

  it('needs max_bases as the window length, in one sentence after "found nothing;"', () => {
    assert.deepEqual(issues({ on_long: 'windows' }), [['max_bases', 'expected the window length in bases, which on_long: windows needs']]);
  });

  it('refuses min_bases above max_bases, which would drop every cut sample', () => {
    assert.deepEqual(issues({ min_bases: 5, max_bases: 4 }), [['min_bases', 'expected at most max_bases (4), as every cut sample would be shorter']]);
    assert.equal(issues({ min_bases: 4, max_bases: 4, on_long: 'windows' }), undefined);
    assert.equal(issues({ min_bases: 50 }), undefined);
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
