// Size and token-count statistics of the test split: what a strategy costs before any model sees it.
import { max, mean, quantileSorted } from 'simple-statistics';
import type { Evaluator } from './types.js';

export const tokenCounts: Evaluator = {
  name: 'token-counts',
  stage: 'tokenized',
  needsLabels: false,
  metrics: ['test_samples', 'tokens_mean', 'tokens_p95', 'tokens_max', 'dropped_fraction', 'vocab_size'],
  evaluate({ strategy, testTokens }) {
    const lengths = testTokens.map((t) => t.length).sort((a, b) => a - b);
    return {
      test_samples: testTokens.length,
      tokens_mean: mean(lengths),
      tokens_p95: quantileSorted(lengths, 0.95),
      tokens_max: max(lengths),
      dropped_fraction: mean(testTokens.map((t) => t.dropped)),
      vocab_size: strategy.layout.vocabSizes.reduce((a, b) => a + b, 0),
    };
  },
};
