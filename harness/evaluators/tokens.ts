// Size and token-count statistics of the test split: what a strategy costs before any model sees it.
import { max, mean, quantileSorted } from 'simple-statistics';
import type { Evaluator } from './types.js';

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
      tokens_p95: quantileSorted(lengths, 0.95),
      tokens_max: max(lengths),
      dropped_fraction: mean(testTokens.map((t) => t.dropped)),
      vocab_size: strategy.layout.vocabSizes.reduce((a, b) => a + b, 0),
    };
  },
};
