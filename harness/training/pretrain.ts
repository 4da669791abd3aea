// Masked-token pre-training (BERT's masked language modelling, with masks redrawn every epoch as in RoBERTa).
import type { Tokens } from '../../strategies/types.js';
import { TokbenchError } from '../errors.js';
import type { Encoder } from '../model/encoder.js';
import type { TrainParams } from '../model/params.js';
import { createRng } from '../random.js';
import { epochBatches, microBatches } from './batching.js';
import { trainLoop } from './loop.js';
import type { TrainingReport } from './loop.js';
import { maskBatch, maskedPrediction, maskedTargets } from './masked-batch.js';
import { choosePositions } from './masking.js';

export type { TrainingReport } from './loop.js';

/**
 * Trains the encoder and its reconstruction head for `params.pretrain_epochs` epochs to predict
 * the target content of the masked tokens. Samples without tokens have nothing to reconstruct and
 * are left out. Batch order and masks come from `seed`.
 */
export async function pretrain(encoder: Encoder, tokens: readonly Tokens[], params: TrainParams, seed: number, onEpoch?: (epoch: number, loss: number) => void): Promise<TrainingReport> {
  const rng = createRng(seed);
  const orderRng = createRng(rng.fork());
  const maskRng = createRng(rng.fork());
  const lengths = tokens.map((t) => t.length);
  const samples = Int32Array.from(lengths.flatMap((n, i) => (n > 0 ? [i] : [])));
  const { layout } = encoder;
  if (params.pretrain_epochs > 0 && samples.length === 0) {
    throw new TokbenchError('input', 'No training sample has any token to pre-train on.', ['tokens']);
  }
  return trainLoop({
    stage: 'pretrain',
    epochs: params.pretrain_epochs,
    lr: params.lr,
    variables: [...encoder.encoderVariables, ...encoder.headVariables],
    batches: () => epochBatches(samples, lengths, params.batch_size, orderRng),
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
    onEpoch,
  });
}
