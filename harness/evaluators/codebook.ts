// How much of a codebook the test split uses: the share of codes that occur and the perplexity of their frequencies, as VQ-VAE
// code reports it (DeepMind Sonnet's VectorQuantizer: exp(−Σ p log p) of the codes' use); read from the layout's target id channel.
import type { Tokens, TokenLayout } from '../../strategies/types.js';
import { METRICS } from '../results/metrics.js';
import type { Evaluator } from './types.js';

export interface CodeUsage {
  /** Distinct content ids that occur over the content ids the vocabulary holds. */
  readonly usage: number;
  /** exp(−Σ p ln p) over the content ids' frequencies: from 1 to the number of content ids. */
  readonly perplexity: number;
}

/** Usage and perplexity of the content ids (those at or above `specials`) of the target id channel; null for a values target or when no content id occurs. */
export function codeUsage(tokens: readonly Tokens[], layout: TokenLayout): CodeUsage | null {
  const { target, idChannels } = layout;
  if (target.kind !== 'ids') return null;
  const { channel, specials } = target;
  const counts = new Float64Array(layout.vocabSizes[channel] - specials);
  let total = 0;
  for (const t of tokens) {
    for (let i = 0; i < t.length; i++) {
      const id = t.ids[i * idChannels + channel];
      if (id < specials) continue;
      counts[id - specials]++;
      total++;
    }
  }
  if (total === 0) return null;
  let used = 0;
  let entropy = 0;
  for (const count of counts) {
    if (count === 0) continue;
    used++;
    entropy -= (count / total) * Math.log(count / total);
  }
  return { usage: used / counts.length, perplexity: Math.exp(entropy) };
}

export const codebook: Evaluator = {
  name: 'codebook',
  stage: 'tokenized',
  needsLabels: false,
  metrics: ['codebook_usage', 'codebook_perplexity'],
  evaluate({ dataset, strategy, testTokens }) {
    // Which modalities have codebooks is declared once, with the metric.
    const stats = METRICS.codebook_usage.modalities.includes(dataset.modality) ? codeUsage(testTokens, strategy.layout) : null;
    return { codebook_usage: stats?.usage ?? null, codebook_perplexity: stats?.perplexity ?? null };
  },
};
