// The canonical space of expression data for each kind of stored value, and its trivial reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ExpressionValues } from '../../../datasets/types.js';
import { BASELINE_GENES, expression, mostVariableGenes } from '../../../harness/modalities/expression.js';

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

test('normalised values are log1p-ed; log1p and scaled values are used as they are', () => {
  const stored = cell([[1, 3]], 0);
  assert.deepEqual(expression.canonical(stored, info('normalised')), Float32Array.of(0, Math.log1p(3), 0));
  assert.deepEqual(expression.canonical(stored, info('log1p')), Float32Array.of(0, 3, 0));
  assert.deepEqual(expression.canonical(cell([[1, -0.5]], 0), info('scaled')), Float32Array.of(0, -0.5, 0));
});

test('the baseline sees the most variable genes of the training split, in panel order, and nothing else', () => {
  // log1p values as stored. Gene variances over the 4 cells (absent = 0): A 0, B 2.25 (0,3,0,3), C 1 (2,0,2,0), D 0.1875 (0,0,0,1).
  const train = [cell([[0, 1], [2, 2]], 0), cell([[0, 1], [1, 3]], 0), cell([[0, 1], [2, 2]], 0), cell([[0, 1], [1, 3], [3, 1]], 0)];
  const wide = { genes: ['A', 'B', 'C', 'D'], values: 'log1p' as const };
  assert.deepEqual(mostVariableGenes(train, 4, 'log1p', 2), Int32Array.of(1, 2));
  // Ties go to the lower gene index: A (variance 0) is kept before a never-seen gene.
  assert.deepEqual(mostVariableGenes([cell([[0, 1]], 0)], 3, 'log1p', 1), Int32Array.of(0));
  assert.deepEqual(mostVariableGenes(train, 4, 'log1p', 4), Int32Array.of(0, 1, 2, 3));
  // A panel narrower than BASELINE_GENES is kept whole; a wider one is cut to the most variable genes.
  assert.deepEqual(expression.fitFeatures(train, wide)(cell([[0, 9], [1, 5], [3, 7]], 0)), Float32Array.of(9, 5, 0, 7));
  const panel = BASELINE_GENES + 1;
  const variedAt = (g: number) => [cell([[g, 1]], 0), cell([], 0)];
  const broad = Array.from({ length: BASELINE_GENES }, (_, g) => variedAt(g + 1)).flat();
  const features = expression.fitFeatures(broad, { genes: Array.from({ length: panel }, String), values: 'log1p' });
  const out = features(cell([[0, 4], [1, 2], [panel - 1, 3]], 0));
  assert.equal(out.length, BASELINE_GENES);
  assert.deepEqual([out[0], out[BASELINE_GENES - 1]], [2, 3]);
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
