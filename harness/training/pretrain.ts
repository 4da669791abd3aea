// Masked-token pre-training (BERT's masked language modelling, with masks redrawn every epoch as in RoBERTa).
import type { Tokens } from '../../strategies/types.js';
import { TokbenchError } from '../errors.js';
import { encoderMacs, layoutInput, reconstructionHeadMacs, trainingFlops } from '../flops.js';
import { reconstructionWidth, type Encoder } from '../model/encoder.js';
import type { TrainParams } from '../model/params.js';
import { createRng, type Rng } from '../random.js';
import { epochStream, microBatches, samplesWithTokens } from './batching.js';
import { planTraining, type Budget, type PresentationCost } from './budget.js';
import { trainLoop } from './loop.js';
import type { TrainingReport } from './loop.js';
import { maskBatch, maskedPrediction, maskedTargets } from './masked-batch.js';
import { choosePositions } from './masking.js';

export type { TrainingReport } from './loop.js';

/**
 * What presenting a sample costs in pre-training: the encoder at the sample's length plus the reconstruction head
 * on the tokens its mask hides. The masks are drawn from `masks` exactly as training draws them (presentation by
 * presentation, from a stream seeded alike), so span masking, which hides a varying count, is charged what it hides.
 */
export function pretrainCosts(encoder: Encoder, lengths: readonly number[], maskRatio: number, masks: Rng): PresentationCost {
  const width = reconstructionWidth(encoder.layout);
  const encoderMacsOf = lengths.map((n) => encoderMacs(encoder.params, layoutInput(encoder.layout, n)).total);
  return (sample) => {
    const hidden = choosePositions(lengths[sample], maskRatio, encoder.layout.maskSpan, masks).length;
    return { flops: trainingFlops(encoderMacsOf[sample] + reconstructionHeadMacs(encoder.params, width, hidden)), tokens: lengths[sample] };
  };
}

/**
 * Trains the encoder and its reconstruction head on `budget` (default `params.pretrain_budget`) to predict the
 * target content of the masked tokens, at peak rate `lr` (default `params.lr`). Samples without tokens have
 * nothing to reconstruct and are left out. Batch order and masks come from `seed`.
 */
export async function pretrain(
  encoder: Encoder,
  tokens: readonly Tokens[],
  params: TrainParams,
  seed: number,
  options: { readonly budget?: Budget; readonly lr?: number; readonly onEpoch?: (epoch: number, loss: number) => void } = {},
): Promise<TrainingReport> {
  const budget = options.budget ?? params.pretrain_budget;
  const rng = createRng(seed);
  const orderSeed = rng.fork();
  const maskSeed = rng.fork();
  const maskRng = createRng(maskSeed);
  const lengths = tokens.map((t) => t.length);
  const samples = samplesWithTokens(lengths);
  const { layout } = encoder;
  if (budget.epochs !== 0 && samples.length === 0) {
    throw new TokbenchError('input', 'No training sample has any token to pre-train on.', ['tokens']);
  }
  return trainLoop({
    stage: 'pretrain',
    lr: options.lr ?? params.lr,
    variables: [...encoder.encoderVariables, ...encoder.headVariables],
    plan: planTraining(budget, pretrainCosts(encoder, lengths, params.mask_ratio, createRng(maskSeed)), () => epochStream(samples, lengths, params.batch_size, orderSeed), 'pretrain'),
    split: (batch) => microBatches(batch, lengths, encoder.params.heads, encoder.params.depth),
    step: (batch) => {
      const positions = Array.from(batch, (i) => choosePositions(lengths[i], params.mask_ratio, layout.maskSpan, maskRng));
      const masked = maskBatch(tokens, batch, positions, layout);
      return {
        // What the step's loss averages over: the masked targets that are content (ids) or real values.
        weight: masked.targetWeights.reduce((sum, w) => sum + w, 0),
        tokens: masked.batch.tokens,
        loss: () => encoder.reconstructionLoss(maskedPrediction(encoder, masked), maskedTargets(encoder, masked)),
      };
    },
    onEpoch: options.onEpoch,
  });
}
