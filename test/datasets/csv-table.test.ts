import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { columnIndex, parseTable } from '../../datasets/csv-table.js';
import { TokbenchError } from '../../harness/errors.js';

describe('parseTable', () => {
  it('reads a CSV with quoted fields, skipping blank lines and keeping each row\'s line', () => {
    const table = parseTable('sequence,label\n\nACGT,"a, b"\n"AC\nGT",c\n', 'f.csv', 'path');
    assert.deepEqual(table.rows, [['sequence', 'label'], ['ACGT', 'a, b'], ['AC\nGT', 'c']]);
    assert.deepEqual(table.lines, [1, 3, 5]);
  });

  it('reads tab-separated text when the first line holds a tab', () => {
    assert.deepEqual(parseTable('id\tlabel\nr1\ta,b\n', 'f.tsv', 'path').rows, [['id', 'label'], ['r1', 'a,b']]);
  });

  it('names the file and line of a row with another number of fields', () => {
    assert.throws(
      () => parseTable('sequence,label\nACGT,a\nACGT\n', 'f.csv', 'labels'),
      (error: unknown) => error instanceof TokbenchError && error.code === 'input' && /^f\.csv: .*line 3/.test(error.message) && error.path[0] === 'labels',
    );
  });
});

describe('columnIndex', () => {
  it('finds a column by its trimmed name, or lists the columns', () => {
    assert.equal(columnIndex(['id', ' label '], 'label', 'label_column', 'fasta', 'f.csv'), 1);
    assert.throws(
      () => columnIndex(['id', 'class'], 'label', 'label_column', 'fasta', 'f.csv'),
      (error: unknown) =>
        error instanceof TokbenchError &&
        error.code === 'invalid-param' &&
        error.path[0] === 'label_column' &&
        error.message === "The 'label_column' parameter of fasta must name a column of f.csv; got 'label' instead (columns: id, class).",
    );
  });
});
