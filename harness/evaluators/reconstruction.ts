// Masked-token reconstruction, scored in the canonical input space after the strategy's own decode,
// so a patch model, a rank model and a k-mer model are judged on the same kind of number.
import type { Strategy, Tokens, TokenLayout } from '../../strategies/types.js';
import type { MaskedPrediction } from '../training/predict-masked.js';
import { predictMasked } from '../training/predict-masked.js';
import { TokbenchError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { modalityAdapter } from '../modalities/registry.js';
import type { Evaluator } from './types.js';

/** The sample's tokens with the masked positions' target content replaced by the model's predictions. */
export function withPredictions(tokens: Tokens, prediction: MaskedPrediction, layout: TokenLayout): Tokens {
  if (layout.target.kind === 'values') {
    const values = tokens.values.slice();
    prediction.positions.forEach((p, j) => values.set(prediction.values.subarray(j * layout.valueDim, (j + 1) * layout.valueDim), p * layout.valueDim));
    return { ...tokens, values };
  }
  const ids = tokens.ids.slice();
  const { channel } = layout.target;
  prediction.positions.forEach((p, j) => {
    ids[p * layout.idChannels + channel] = prediction.ids[j];
  });
  return { ...tokens, ids };
}

/**
 * The input elements the model had to reconstruct: those the true or the predicted masked tokens stand
 * for (a gene predicted in the wrong place is charged where it landed as well as where it was missing),
 * less those a visible token still covers — overlapping k-mers share bases, and a base that a visible
 * neighbour spells out was never hidden.
 */
export function hiddenElements(strategy: Strategy, original: Tokens, predicted: Tokens, positions: Int32Array): Set<number> {
  const elements = new Set<number>();
  for (const p of positions) {
    for (const e of Array.from(strategy.covers(original, p))) elements.add(e);
    for (const e of Array.from(strategy.covers(predicted, p))) elements.add(e);
  }
  const masked = new Set(positions);
  for (let i = 0; i < original.length; i++) {
    if (!masked.has(i)) for (const e of Array.from(strategy.covers(original, i))) elements.delete(e);
  }
  return elements;
}

export const reconstruction: Evaluator = {
  name: 'reconstruction',
  stage: 'pretrained',
  metrics: ['reconstruction_mse', 'reconstruction_base_error', 'masked_token_accuracy'],
  evaluate({ dataset, strategy, testTokens, encoder, train, seed }) {
    if (encoder === undefined) throw new TokbenchError('input', 'reconstruction evaluator needs a pre-trained encoder');
    const adapter = modalityAdapter(dataset.modality);
    const { layout } = strategy;
    const predictions = predictMasked(encoder, testTokens, train.mask_ratio, deriveSeed(seed, 'reconstruction-mask'));
    let errorSum = 0;
    let errorCount = 0;
    let correct = 0;
    let masked = 0;
    dataset.test.samples.forEach((sample, s) => {
      const original = testTokens[s];
      const prediction = predictions[s];
      const predicted = withPredictions(original, prediction, layout);
      const elements = hiddenElements(strategy, original, predicted, prediction.positions);
      const truth = adapter.canonical(sample, dataset.info);
      const decoded = adapter.canonical(strategy.decode(predicted), dataset.info);
      const e = adapter.error(truth, decoded, elements);
      errorSum += e.sum;
      errorCount += e.count;
      if (layout.target.kind === 'ids') {
        const { channel } = layout.target;
        prediction.positions.forEach((p, j) => {
          if (prediction.ids[j] === original.ids[p * layout.idChannels + channel]) correct++;
        });
        masked += prediction.positions.length;
      }
    });
    const error = errorCount > 0 ? errorSum / errorCount : null;
    return {
      reconstruction_mse: adapter.errorKind === 'mse' ? error : null,
      reconstruction_base_error: adapter.errorKind === 'base_error' ? error : null,
      masked_token_accuracy: layout.target.kind === 'ids' && masked > 0 ? correct / masked : null,
    };
  },
};
