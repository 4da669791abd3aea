// Exact token-count statistics: the 95th percentile by linear interpolation, free of floating noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantileSorted } from 'simple-statistics';
import { percentileOfIntegers, tokenCounts } from '../../../harness/evaluators/tokens.js';
import type { EvaluationContext } from '../../../harness/evaluators/types.js';
import type { Tokens } from '../../../strategies/types.js';

test('the 95th percentile of ten lengths ending 114, 129 is 122.25 exactly, where a float fraction gives 122.24999999999999', () => {
  const lengths = [100, 101, 102, 103, 104, 105, 106, 110, 114, 129];
  // Rank 9 × 0.95 = 8.55: 114 + 0.55 × (129 − 114) = 114 + 8.25.
  assert.equal(percentileOfIntegers(lengths, 95), 122.25);
  assert.equal(quantileSorted(lengths, 0.95), 122.24999999999999);
});

test('percentiles at whole ranks are the values, between ranks the exact interpolation', () => {
  // One value: itself. 21 values: rank 20 × 0.95 = 19, the 20th value.
  assert.equal(percentileOfIntegers([7], 95), 7);
  assert.equal(percentileOfIntegers(Array.from({ length: 21 }, (_, i) => 3 * i), 95), 57);
  // Six values: rank 5 × 0.95 = 4.75, 10 + 0.75 × (14 − 10) = 13; the median of 1, 2 is 1.5; the 0th and 100th are the ends.
  assert.equal(percentileOfIntegers([1, 2, 3, 4, 10, 14], 95), 13);
  assert.equal(percentileOfIntegers([1, 2], 50), 1.5);
  assert.equal(percentileOfIntegers([1, 2, 9], 0), 1);
  assert.equal(percentileOfIntegers([1, 2, 9], 100), 9);
  // Three values: rank 2 × 0.95 = 1.9, 2 + 0.9 × 7 = 8.3, the double nearest 83/10.
  assert.equal(percentileOfIntegers([1, 2, 9], 95), 8.3);
  assert.throws(() => percentileOfIntegers([], 95), RangeError);
});

test('tokenCounts reports tokens_p95 of the test tokens exactly', async () => {
  const lengths = [129, 100, 114, 101, 102, 103, 110, 104, 105, 106];
  const tokens = (length: number): Tokens => ({ length, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [length], dropped: 0 });
  // evaluate reads only the dataset's modality, the layout's vocabulary sizes and the test tokens.
  const context = { dataset: { modality: 'image' }, strategy: { layout: { vocabSizes: [] } }, testTokens: lengths.map(tokens) } as unknown as EvaluationContext;
  const metrics = await tokenCounts.evaluate(context);
  assert.deepEqual([metrics.tokens_p95, metrics.tokens_max, metrics.tokens_mean, metrics.test_samples], [122.25, 129, 107.4, 10]);
});
