import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tenxPanel, uniqueNames } from '../../../datasets/expression/tenx-params.js';

describe('uniqueNames', () => {
  it("appends -1, -2, … to later occurrences, as anndata's make_index_unique", () => {
    assert.deepEqual(uniqueNames(['a', 'b', 'a', 'a', 'c', 'b']), ['a', 'b', 'a-1', 'a-2', 'c', 'b-1']);
    // anndata's own test case: a candidate that is already a name is skipped, and the count goes on per name.
    assert.deepEqual(uniqueNames(['val', 'val', 'val-1', 'val-1']), ['val', 'val-2', 'val-1', 'val-1-1']);
    assert.deepEqual(uniqueNames(['x', 'x-1', 'x', 'x']), ['x', 'x-1', 'x-2', 'x-3']);
  });
});

describe('tenxPanel', () => {
  const features = {
    ids: ['ENSG1', 'ENSG2', 'CD3', 'ENSG4', 'ENSG5'],
    symbols: ['TP53', 'CD3E', 'CD3E', 'TP53', 'GAPDH'],
    types: ['Gene Expression', 'Antibody Capture', 'Gene Expression', 'Gene Expression', 'Gene Expression'],
  };

  it('keeps Gene Expression rows in file order, symbols made unique over all features first, as scanpy', () => {
    // The antibody took 'CD3E' first, so the gene after it is 'CD3E-1' although the antibody is then left out.
    assert.deepEqual(tenxPanel(features, 'symbol'), { genes: ['TP53', 'CD3E-1', 'TP53-1', 'GAPDH'], columnOfRow: Int32Array.from([0, -1, 1, 2, 3]) });
  });

  it('names genes by id on request, and keeps every row when no type is given (genes.tsv)', () => {
    assert.deepEqual(tenxPanel(features, 'id').genes, ['ENSG1', 'CD3', 'ENSG4', 'ENSG5']);
    const { ids, symbols } = features;
    assert.deepEqual(tenxPanel({ ids, symbols }, 'symbol'), { genes: ['TP53', 'CD3E', 'CD3E-1', 'TP53-1', 'GAPDH'], columnOfRow: Int32Array.from([0, 1, 2, 3, 4]) });
  });
});
