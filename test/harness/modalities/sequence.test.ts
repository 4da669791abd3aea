// DNA's canonical codes, per-base error and most-frequent-base reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostFrequentBase, sequence } from '../../../harness/modalities/sequence.js';

const info = { minLength: 6, maxLength: 6 };

test('bases are coded A C G T and N (anything else) and compared one by one', () => {
  assert.deepEqual(sequence.canonical('ACGTNX', info), Float32Array.of(0, 1, 2, 3, 4, 4));
  const truth = sequence.canonical('ACGT', info);
  assert.deepEqual(sequence.error(truth, sequence.canonical('ACCN', info)), { sum: 2, count: 4 });
  assert.deepEqual(sequence.error(truth, sequence.canonical('ACCN', info), [0, 2]), { sum: 1, count: 2 });
});

test('the reference is the most frequent training base, ties to the first of A C G T, N never chosen', () => {
  assert.equal(mostFrequentBase(['NNNNT', 'G', 'T']), 'T');
  assert.equal(mostFrequentBase(['NNNNT', 'GG', 'T']), 'G');
  assert.equal(mostFrequentBase(['CG', 'GC']), 'C');
  assert.deepEqual(sequence.fitReference(['GGA'], info)('ACGT'), Float32Array.of(2, 2, 2, 2));
});
