import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFasta } from '../../../datasets/sequence/fasta-format.js';
import { TokbenchError } from '../../../harness/errors.js';

describe('parseFasta', () => {
  it('joins multi-line records and takes the id as the first word of the header', () => {
    const text = ';a comment\n>r1 chr1:1-8  forward\nACGT\r\nac gt\n\n>r2|x\nTT\n';
    assert.deepEqual(parseFasta(text, 'f.fa', 'path'), [
      { id: 'r1', header: 'r1 chr1:1-8  forward', sequence: 'ACGTacgt', line: 2 },
      { id: 'r2|x', header: 'r2|x', sequence: 'TT', line: 6 },
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
