import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basePlace, parseFasta } from '../../../datasets/sequence/fasta-format.js';
import { TokbenchError } from '../../../harness/errors.js';

describe('parseFasta', () => {
  it('joins multi-line records and takes the id as the first word of the header', () => {
    const text = ';a comment\n>r1 chr1:1-8  forward\nACGT\r\nac gt\n\n>r2|x\nTT\n';
    assert.deepEqual(
      parseFasta(text, 'f.fa', 'path').map(({ runs, ...record }) => record),
      [
        { id: 'r1', sequence: 'ACGTacgt', line: 2 },
        { id: 'r2|x', sequence: 'TT', line: 6 },
      ],
    );
  });

  it('keeps where each run of bases starts: file line, 1-based column, index in the sequence', () => {
    // Line 2 'ACGT' at column 1 (bases 0-3); line 3 '  ac gt' holds 'ac' at column 3 (bases 4-5) and 'gt' at column 6 (bases 6-7).
    const [record] = parseFasta('>r1\nACGT\r\n  ac gt\n', 'f.fa', 'path');
    assert.deepEqual([...record.runs], [2, 1, 0, 3, 3, 4, 3, 6, 6]);
    const places = [0, 3, 4, 5, 6, 7].map((position) => basePlace(record, position));
    assert.deepEqual(places, [
      { line: 2, column: 1 },
      { line: 2, column: 4 },
      { line: 3, column: 3 },
      { line: 3, column: 4 },
      { line: 3, column: 6 },
      { line: 3, column: 7 },
    ]);
  });

  it('keeps a record with no sequence lines as empty, for the reader to refuse', () => {
    assert.deepEqual(parseFasta('>r1\n>r2\nAC', 'f.fa', 'path').map((r) => r.sequence), ['', 'AC']);
  });

  it('names the line of a sequence before any header, and of a header without an id', () => {
    const refusal = (message: string) => (error: unknown) => error instanceof TokbenchError && error.code === 'input' && error.path[0] === 'path' && error.message === message;
    assert.throws(() => parseFasta('\nsequence,label\n>r1\nAC', 'f.fa', 'path'), refusal("f.fa line 2: sequence before the first '>' header; is this a FASTA file?"));
    assert.throws(() => parseFasta('>r1\nAC\n>  \nGG', 'f.fa', 'path'), refusal('f.fa line 3: a record header without an id'));
  });
});
