// The tokenizer's own loss, no model involved: decode(encode(x)) against x over every canonical element.
import { modalityAdapter } from '../modalities/registry.js';
import type { Evaluator } from './types.js';

export const roundtrip: Evaluator = {
  name: 'roundtrip',
  stage: 'tokenized',
  metrics: ['roundtrip_mse', 'roundtrip_base_error'],
  evaluate({ dataset, strategy, testTokens }) {
    const adapter = modalityAdapter(dataset.modality);
    let sum = 0;
    let count = 0;
    dataset.test.samples.forEach((sample, i) => {
      const truth = adapter.canonical(sample, dataset.info);
      const decoded = adapter.canonical(strategy.decode(testTokens[i]), dataset.info);
      const e = adapter.error(truth, decoded, truth.keys());
      sum += e.sum;
      count += e.count;
    });
    const value = count > 0 ? sum / count : null;
    return adapter.errorKind === 'mse' ? { roundtrip_mse: value, roundtrip_base_error: null } : { roundtrip_mse: null, roundtrip_base_error: value };
  },
};
