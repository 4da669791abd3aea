// Size and token-count statistics of the test split: what a strategy costs before any model sees it.
import { max, mean } from 'simple-statistics';
import type { Evaluator } from './types.js';

/**
 * The `percent`-th percentile (an integer percent) of ascending integers, by linear interpolation between the
 * two nearest ranks (numpy's default, Hyndman & Fan type 7, as simple-statistics' `quantileSorted`). The rank
 * is kept in hundredths, an integer, and the value is one integer ratio divided once, so the result is the
 * double nearest the exact value: the 95th of ten values with 114 and 129 on top is 122.25, where
 * `lo + frac · (hi − lo)` with the float `frac = 9 · 0.95 − 8` (0.5499999999999989) gives 122.24999999999999.
 */
export function percentileOfIntegers(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) throw new RangeError('a percentile needs at least one value');
  const rank = (sorted.length - 1) * percent;
  const lower = Math.floor(rank / 100);
  const hundredths = rank - 100 * lower;
  if (hundredths === 0) return sorted[lower];
  return (100 * sorted[lower] + hundredths * (sorted[lower + 1] - sorted[lower])) / 100;
}

export const tokenCounts: Evaluator = {
  name: 'token-counts',
  stage: 'tokenized',
  needsLabels: false,
  metrics: ['test_samples', 'bases_per_token', 'tokens_mean', 'tokens_p95', 'tokens_max', 'dropped_fraction', 'vocab_size'],
  evaluate({ dataset, strategy, testTokens }) {
    const lengths = testTokens.map((t) => t.length).sort((a, b) => a - b);
    const tokens = lengths.reduce((a, b) => a + b, 0);
    // Declared for DNA only: bases are the unit whose compression papers compare.
    const bases = dataset.modality === 'sequence' ? testTokens.reduce((n, t) => n + t.extent[0] * (1 - t.dropped), 0) : null;
    return {
      bases_per_token: bases !== null && tokens > 0 ? bases / tokens : null,
      test_samples: testTokens.length,
      tokens_mean: mean(lengths),
      tokens_p95: percentileOfIntegers(lengths, 95),
      tokens_max: max(lengths),
      dropped_fraction: mean(testTokens.map((t) => t.dropped)),
      vocab_size: strategy.layout.vocabSizes.reduce((a, b) => a + b, 0),
    };
  },
};
