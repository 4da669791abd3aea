// The canonical space of expression data for each kind of stored value, and its trivial reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ExpressionValues } from '../../../datasets/types.js';
import { expression } from '../../../harness/modalities/expression.js';

const info = (values: ExpressionValues) => ({ genes: ['A', 'B', 'C'], values });
const cell = (entries: [number, number][], librarySize: number): ExpressionSample => ({
  genes: Int32Array.from(entries, ([g]) => g),
  counts: Float32Array.from(entries, ([, v]) => v),
  librarySize,
});

test('counts become log1p(counts per 10k) by the library size, not by the panel sum', () => {
  // 20 of a library of 40,000 (the source measured more genes than it kept) is 5 per 10k.
  assert.deepEqual(expression.canonical(cell([[0, 20], [2, 4]], 40_000), info('counts')), Float32Array.of(Math.log1p(5), 0, Math.log1p(1)));
});

test('normalised values are log1p-ed; log1p values are used as they are', () => {
  const stored = cell([[1, 3]], 0);
  assert.deepEqual(expression.canonical(stored, info('normalised')), Float32Array.of(0, Math.log1p(3), 0));
  assert.deepEqual(expression.canonical(stored, info('log1p')), Float32Array.of(0, 3, 0));
});

test("the reference is each gene's training mean in canonical units, zeros included", () => {
  const train = [cell([[0, 10_000]], 10_000), cell([[1, 5_000]], 10_000)];
  const reference = expression.fitReference(train, info('counts'));
  assert.deepEqual(reference(cell([], 1)), Float32Array.of(Math.log1p(10_000) / 2, Math.log1p(5_000) / 2, 0));
  // Squared error over every gene, and over a chosen subset.
  const truth = Float32Array.of(1, 2, 3);
  assert.deepEqual(expression.error(truth, Float32Array.of(1, 0, 0)), { sum: 13, count: 3 });
  assert.deepEqual(expression.error(truth, Float32Array.of(1, 0, 0), [1]), { sum: 4, count: 1 });
});
