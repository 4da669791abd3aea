// Masked-token reconstruction, scored in the canonical input space after the strategy's own decode over
// every element of every test sample, so a patch model, a rank model and a k-mer model, at any max_len,
// are judged on the same elements; the trivial reference is scored beside it.
import type { DatasetInfo, LoadedDataset, Modality, SampleOf } from '../../datasets/types.js';
import type { Strategy, Tokens, TokenLayout } from '../../strategies/types.js';
import type { MaskedPrediction } from '../training/predict-masked.js';
import { predictMasked } from '../training/predict-masked.js';
import { TokbenchError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { modalityAdapter } from '../modalities/registry.js';
import type { ModalityAdapter, Reference } from '../modalities/types.js';
import type { Metrics } from '../results/metrics.js';
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
 * The sample's tokens without the masked positions: what the visible tokens alone say once decoded. Where
 * tokens overlap and some are lossy (a coarse multiscale patch over a masked fine one), this is what the
 * visible tokens really tell about an element, not the true masked token's content.
 */
export function visibleTokens(tokens: Tokens, positions: Int32Array, layout: TokenLayout): Tokens {
  const masked = new Uint8Array(tokens.length);
  for (const p of positions) masked[p] = 1;
  const keep = Array.from({ length: tokens.length }, (_, i) => i).filter((i) => masked[i] === 0);
  const rows = <T extends Int32Array | Float32Array | Uint8Array>(all: T, width: number): T => {
    const out = new (all.constructor as new (n: number) => T)(keep.length * width);
    keep.forEach((i, j) => out.set(all.subarray(i * width, (i + 1) * width), j * width));
    return out;
  };
  return {
    ...tokens,
    length: keep.length,
    ids: rows(tokens.ids, layout.idChannels),
    values: rows(tokens.values, layout.valueDim),
    realValues: tokens.realValues === undefined ? undefined : rows(tokens.realValues, layout.valueDim),
    coords: rows(tokens.coords, layout.coordDim),
  };
}

/**
 * The canonical elements only masked tokens carried: covered by a masked token and by no visible one
 * (overlapping k-mers share bases; a base a visible neighbour spells out was never hidden). Read from the
 * true tokens alone, so what is scored never depends on what the model predicted.
 */
export function maskedElements(strategy: Strategy, tokens: Tokens, positions: Int32Array, elements: number): Int32Array {
  const MASKED = 1;
  const VISIBLE = 2;
  const state = new Uint8Array(elements);
  const masked = new Uint8Array(tokens.length);
  for (const p of positions) masked[p] = 1;
  for (let i = 0; i < tokens.length; i++) {
    for (const e of Array.from(strategy.covers(tokens, i))) {
      if (!(e >= 0 && e < elements)) throw new TokbenchError('input', `token ${i} covers element ${e}, outside the sample's ${elements} canonical elements`);
      if (masked[i] === 0) state[e] = VISIBLE;
      else if (state[e] === 0) state[e] = MASKED;
    }
  }
  const out: number[] = [];
  state.forEach((s, e) => {
    if (s === MASKED) out.push(e);
  });
  return Int32Array.from(out);
}

export interface ReconstructionCase<M extends Modality = Modality> {
  readonly adapter: ModalityAdapter<M>;
  readonly info: DatasetInfo<M>;
  readonly strategy: Strategy<M>;
  readonly samples: readonly SampleOf[M][];
  readonly tokens: readonly Tokens[];
  readonly predictions: readonly MaskedPrediction[];
  readonly reference: Reference<M>;
}

const ratio = (sum: number, count: number) => (count > 0 ? sum / count : null);

/** Every reconstruction metric of the test split, errors pooled over elements of all samples. */
export function scoreReconstruction<M extends Modality>(c: ReconstructionCase<M>): Metrics {
  const { adapter, info, strategy } = c;
  const { layout } = strategy;
  let all = 0;
  let allCount = 0;
  let allReference = 0;
  let allFill = 0;
  let masked = 0;
  let maskedCount = 0;
  let maskedReference = 0;
  let correct = 0;
  let maskedTokens = 0;
  c.samples.forEach((sample, s) => {
    const tokens = c.tokens[s];
    const prediction = c.predictions[s];
    const truth = adapter.canonical(sample, info);
    const rebuilt = adapter.canonical(strategy.decode(withPredictions(tokens, prediction, layout)), info);
    const reference = c.reference(sample);
    if (rebuilt.length !== truth.length) {
      throw new TokbenchError('input', `test sample ${s}: decode rebuilt ${rebuilt.length} canonical elements; expected ${truth.length}`, ['test', s]);
    }
    all += adapter.error(truth, rebuilt).sum;
    allReference += adapter.error(truth, reference).sum;
    allCount += truth.length;
    const hidden = maskedElements(strategy, tokens, prediction.positions, truth.length);
    // The fill reference decodes the visible tokens alone and puts the training mean in the hole.
    const filled = adapter.canonical(strategy.decode(visibleTokens(tokens, prediction.positions, layout)), info).slice();
    for (const e of hidden) filled[e] = reference[e];
    allFill += adapter.error(truth, filled).sum;
    masked += adapter.error(truth, rebuilt, hidden).sum;
    maskedReference += adapter.error(truth, reference, hidden).sum;
    maskedCount += hidden.length;
    if (layout.target.kind === 'ids') {
      const { channel, specials } = layout.target;
      prediction.positions.forEach((p, j) => {
        const truth = tokens.ids[p * layout.idChannels + channel];
        if (truth < specials) return;
        maskedTokens++;
        if (prediction.ids[j] === truth) correct++;
      });
    }
  });
  return {
    reconstruction_error: ratio(all, allCount),
    reconstruction_reference: ratio(allReference, allCount),
    reconstruction_fill_reference: ratio(allFill, allCount),
    masked_reconstruction_error: ratio(masked, maskedCount),
    masked_reconstruction_reference: ratio(maskedReference, maskedCount),
    masked_elements: maskedCount,
    masked_element_fraction: ratio(maskedCount, allCount),
    masked_token_accuracy: layout.target.kind === 'ids' ? ratio(correct, maskedTokens) : null,
  };
}

// The reference depends on the training split alone, so every cell of one dataset shares it.
const references = new WeakMap<LoadedDataset<Modality>, Reference>();

export function referenceOf(dataset: LoadedDataset<Modality>): Reference {
  let reference = references.get(dataset);
  if (reference === undefined) {
    const adapter: ModalityAdapter = modalityAdapter(dataset.modality);
    reference = adapter.fitReference(dataset.train.samples, dataset.info);
    references.set(dataset, reference);
  }
  return reference;
}

export const reconstruction: Evaluator = {
  name: 'reconstruction',
  stage: 'pretrained',
  needsLabels: false,
  metrics: ['reconstruction_error', 'reconstruction_reference', 'reconstruction_fill_reference', 'masked_reconstruction_error', 'masked_reconstruction_reference', 'masked_elements', 'masked_element_fraction', 'masked_token_accuracy'],
  evaluate({ dataset, strategy, testTokens, encoder, train, seed }) {
    if (encoder === undefined) throw new TokbenchError('input', 'reconstruction evaluator needs a pre-trained encoder');
    return scoreReconstruction({
      adapter: modalityAdapter(dataset.modality),
      info: dataset.info,
      strategy,
      samples: dataset.test.samples,
      tokens: testTokens,
      predictions: predictMasked(encoder, testTokens, train.mask_ratio, deriveSeed(seed, 'reconstruction-mask')),
      reference: referenceOf(dataset),
    });
  },
};
