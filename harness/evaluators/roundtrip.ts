// The tokenizer's own loss, no model involved: decode(encode(x)) against x over every canonical element.
import { modalityAdapter } from '../modalities/registry.js';
import type { ModalityAdapter } from '../modalities/types.js';
import type { Evaluator } from './types.js';

export const roundtrip: Evaluator = {
  name: 'roundtrip',
  stage: 'tokenized',
  needsLabels: false,
  metrics: ['roundtrip_error'],
  evaluate({ dataset, strategy, testTokens }) {
    const adapter: ModalityAdapter = modalityAdapter(dataset.modality);
    let sum = 0;
    let count = 0;
    dataset.test.samples.forEach((sample, i) => {
      const truth = adapter.canonical(sample, dataset.info);
      sum += adapter.error(truth, adapter.canonical(strategy.decode(testTokens[i]), dataset.info)).sum;
      count += truth.length;
    });
    return { roundtrip_error: count > 0 ? sum / count : null };
  },
};
