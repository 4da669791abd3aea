// A padded batch with some tokens' target content hidden, and the reconstruction head's outputs for exactly those tokens.
import * as tf from '@tensorflow/tfjs';
import type { Tokens, TokenLayout } from '../../strategies/types.js';
import type { Encoder, ReconstructionTargets } from '../model/encoder.js';
import type { PaddedBatch } from '../model/input.js';
import { toModelInput } from '../model/input.js';
import { padBatch } from './batching.js';

export interface MaskedBatch {
  readonly batch: PaddedBatch;
  /** Masked rows of the flattened batch (sequence · length + position), ascending. */
  readonly rows: Int32Array;
  /** What the masked rows hold: target-channel ids (rows.length) or values (rows.length × valueDim). */
  readonly targetIds: Int32Array;
  readonly targetValues: Float32Array;
  /**
   * 1/0 per target: whether it is content (not a special id such as [UNK]; not a token's padding, see
   * Tokens.realValues), so the loss never teaches the model to answer with a special or to predict padding.
   */
  readonly targetWeights: Float32Array;
}

/** `positions[b]`: ascending positions to hide in the b-th sample of `samples`. */
export function maskBatch(tokens: readonly Tokens[], samples: ArrayLike<number>, positions: readonly Int32Array[], layout: TokenLayout): MaskedBatch {
  const batch = padBatch(tokens, samples, layout);
  const total = positions.reduce((n, p) => n + p.length, 0);
  const rows = new Int32Array(total);
  const { target, idChannels, valueDim } = layout;
  const targetIds = new Int32Array(target.kind === 'ids' ? total : 0);
  const targetValues = new Float32Array(target.kind === 'values' ? total * valueDim : 0);
  const targetWeights = new Float32Array(target.kind === 'ids' ? total : targetValues.length).fill(1);
  let m = 0;
  positions.forEach((sampleRows, b) => {
    const t = tokens[samples[b]];
    for (const p of sampleRows) {
      rows[m] = b * batch.length + p;
      if (target.kind === 'ids') {
        targetIds[m] = t.ids[p * idChannels + target.channel];
        if (targetIds[m] < target.specials) targetWeights[m] = 0;
      } else {
        targetValues.set(t.values.subarray(p * valueDim, (p + 1) * valueDim), m * valueDim);
        if (t.realValues !== undefined) targetWeights.set(t.realValues.subarray(p * valueDim, (p + 1) * valueDim), m * valueDim);
      }
      m++;
    }
  });
  return { batch, rows, targetIds, targetValues, targetWeights };
}

/** Head outputs [rows, vocab or valueDim] for the masked rows, computed with their target content hidden. */
export function maskedPrediction(encoder: Encoder, masked: MaskedBatch): tf.Tensor2D {
  const { batch, rows } = masked;
  const flags = new Float32Array(batch.size * batch.length);
  for (const r of rows) flags[r] = 1;
  const hidden = encoder.encode(toModelInput(batch), tf.tensor2d(flags, [flags.length, 1]));
  return encoder.reconstruct(hidden, tf.tensor1d(rows, 'int32'));
}

/** The masked rows' true content as tensors, for the loss. */
export function maskedTargets(encoder: Encoder, masked: MaskedBatch): ReconstructionTargets {
  return encoder.layout.target.kind === 'ids'
    ? { ids: tf.tensor1d(masked.targetIds, 'int32'), weights: tf.tensor1d(masked.targetWeights) }
    : {
        values: tf.tensor2d(masked.targetValues, [masked.rows.length, encoder.layout.valueDim]),
        weights: tf.tensor2d(masked.targetWeights, [masked.rows.length, encoder.layout.valueDim]),
      };
}
