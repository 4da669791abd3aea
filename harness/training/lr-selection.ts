// A learning rate chosen per (cell, seed) on the validation split: each candidate trains briefly from the run's own
// initialisation and batch order, and the lowest validation loss wins (a grid search on held-out data; the test
// split never takes part).
import type { Tokens, TokenLayout } from '../../strategies/types.js';
import { TokbenchError } from '../errors.js';
import { encoderMacs, FLOPS_PER_MAC, layoutInput } from '../flops.js';
import { Encoder } from '../model/encoder.js';
import type { ModelParams, TrainParams } from '../model/params.js';
import { samplesWithTokens } from './batching.js';
import { budgetShare } from './budget.js';
import { trainClassifier, type ClassPredictions } from './classify.js';
import { maskedLoss } from './predict-masked.js';
import { pretrain } from './pretrain.js';

/** The split the candidates train on, and the one they are scored on. */
export interface SelectionData {
  readonly train: readonly Tokens[];
  readonly trainLabels: Int32Array;
  readonly validation: readonly Tokens[];
  readonly validationLabels: Int32Array;
  readonly numClasses: number;
}

/** The seeds of the run the chosen rate will train: trials start from the same weights and see the same batches. */
export interface RunSeeds {
  readonly init: number;
  readonly pretrain: number;
  readonly classify: number;
  /** Masks of the validation samples when the pre-training loss decides (`classify: none`). */
  readonly validationMasks: number;
}

export interface LrTrial {
  readonly lr: number;
  /** Validation loss; Infinity when the trial diverged. */
  readonly loss: number;
  readonly flops: number;
}

export interface LrSelection {
  readonly lr: number;
  readonly trials: readonly LrTrial[];
  /** FLOPs of all trials: what they trained on (as the stages count it) and 2 × forward MACs per sample they embedded or scored. */
  readonly flops: number;
}

/** Mean −ln p(true class) over the samples; a probability that underflowed to 0 counts as float32's smallest normal. */
export function meanCrossEntropy(predictions: ClassPredictions, labels: Int32Array, numClasses: number): number {
  let sum = 0;
  labels.forEach((y, i) => {
    sum -= Math.log(Math.max(predictions.probabilities[i * numClasses + y], 2 ** -126));
  });
  return sum / labels.length;
}

/** Forward FLOPs of embedding each sample once. */
function forwardFlops(model: ModelParams, layout: TokenLayout, tokens: readonly Tokens[]): number {
  return tokens.reduce((sum, t) => sum + FLOPS_PER_MAC * encoderMacs(model, layoutInput(layout, t.length)).total, 0);
}

async function trial(layout: TokenLayout, data: SelectionData, model: ModelParams, train: TrainParams, seeds: RunSeeds, lr: number): Promise<LrTrial> {
  const share = train.lr_select_fraction;
  const presented = samplesWithTokens(data.train.map((t) => t.length)).length;
  const encoder = new Encoder(layout, model, seeds.init);
  let flops = 0;
  try {
    const pretraining = await pretrain(encoder, data.train, train, seeds.pretrain, { budget: budgetShare(train.pretrain_budget, share, presented), lr });
    flops += pretraining.spend?.flops ?? 0;
    if (train.classify === 'none') {
      const loss = maskedLoss(encoder, data.validation, train.mask_ratio, seeds.validationMasks);
      return { lr, loss: Number.isFinite(loss) ? loss : Infinity, flops: flops + forwardFlops(model, layout, data.validation) };
    }
    const classifier = await trainClassifier(encoder, data.train, data.trainLabels, data.numClasses, train, seeds.classify, {
      budget: budgetShare(train.classify_budget, share, presented),
      lr,
    });
    try {
      flops += (classifier.report.spend?.flops ?? 0) + forwardFlops(model, layout, data.train) + forwardFlops(model, layout, data.validation);
      const loss = meanCrossEntropy(classifier.predict(data.validation), data.validationLabels, data.numClasses);
      return { lr, loss: Number.isFinite(loss) ? loss : Infinity, flops };
    } finally {
      classifier.dispose();
    }
  } catch (error) {
    if (error instanceof TokbenchError && error.code === 'diverged') return { lr, loss: Infinity, flops };
    // A share of a budget that buys no step: the budget the user wrote did, so name the share.
    if (error instanceof TokbenchError && error.code === 'invalid-param' && String(error.path.at(-1)).endsWith('_budget')) {
      throw new TokbenchError(error.code, `A learning-rate trial trains on lr_select_fraction ${share} of each budget: ${error.message}`, ['train', 'lr_select_fraction']);
    }
    throw error;
  } finally {
    encoder.dispose();
  }
}

/**
 * Trains one brief trial per rate of `rates` (on `train.lr_select_fraction` of both budgets, with its own
 * schedule over those steps) and returns the rate of the lowest validation loss, the first of equal ones:
 * classification cross-entropy, or the masked-token loss with `classify: none`. Throws `diverged` when every
 * trial diverged.
 */
export async function selectLearningRate(
  rates: readonly number[],
  layout: TokenLayout,
  data: SelectionData,
  model: ModelParams,
  train: TrainParams,
  seeds: RunSeeds,
): Promise<LrSelection> {
  if (data.validation.length === 0) {
    throw new TokbenchError('invalid-param', "The 'lr_select' parameter needs a validation split to compare learning rates on; got none (val_fraction 0 or no sample left).", ['train', 'val_fraction']);
  }
  const trials: LrTrial[] = [];
  for (const lr of rates) trials.push(await trial(layout, data, model, train, seeds, lr));
  const flops = trials.reduce((sum, t) => sum + t.flops, 0);
  const best = trials.reduce((a, b) => (b.loss < a.loss ? b : a));
  if (best.loss === Infinity) {
    throw new TokbenchError('diverged', `every learning rate of lr_select diverged in its trial (${rates.join(', ')})`, ['train', 'lr_select']);
  }
  return { lr: best.lr, trials, flops };
}
