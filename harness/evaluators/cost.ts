// Analytic compute per sample: MACs of one encoder forward pass at each test sample's own token count.
import { encoderMacs, layoutInput } from '../flops.js';
import type { Evaluator } from './types.js';

export const cost: Evaluator = {
  name: 'cost',
  stage: 'tokenized',
  needsLabels: false,
  metrics: ['attention_macs', 'total_macs'],
  evaluate({ strategy, testTokens, model }) {
    const { layout } = strategy;
    let attention = 0;
    let total = 0;
    // Averaging per-sample counts, not counting the mean length once: attention is quadratic in length.
    for (const tokens of testTokens) {
      const macs = encoderMacs(model, layoutInput(layout, tokens.length));
      attention += macs.scores + macs.weighted;
      total += macs.total;
    }
    const n = Math.max(1, testTokens.length);
    return { attention_macs: attention / n, total_macs: total / n };
  },
};
