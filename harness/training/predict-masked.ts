// Masked-token prediction for evaluation: hide tokens as pre-training does and read the reconstruction head's answer, or its loss.
import * as tf from '@tensorflow/tfjs';
import type { Tokens } from '../../strategies/types.js';
import type { Encoder } from '../model/encoder.js';
import { createRng } from '../random.js';
import { inferenceBatches } from './batching.js';
import { maskBatch, maskedPrediction, maskedTargets } from './masked-batch.js';
import { choosePositions } from './masking.js';

export interface MaskedPrediction {
  /** Masked token indices, ascending. */
  readonly positions: Int32Array;
  /** Most likely content id (never a special) of the target channel per masked token; empty when the target is values. */
  readonly ids: Int32Array;
  /** positions × valueDim predicted values; empty when the target is ids. */
  readonly values: Float32Array;
}

/** Positions to hide in each sample, by the pre-training rule, drawn from `seed` sample by sample in order. */
function evaluationMasks(encoder: Encoder, tokens: readonly Tokens[], maskRatio: number, seed: number): Int32Array[] {
  const rng = createRng(seed);
  return tokens.map((t) => choosePositions(t.length, maskRatio, encoder.layout.maskSpan, rng));
}

/**
 * The pre-training loss on held-out samples: the reconstruction loss of every masked content target (masks drawn
 * as evaluationMasks), averaged over all of them as one pre-training step averages over its batch. NaN when no
 * sample has a target.
 */
export function maskedLoss(encoder: Encoder, tokens: readonly Tokens[], maskRatio: number, seed: number): number {
  const positions = evaluationMasks(encoder, tokens, maskRatio, seed);
  let weighted = 0;
  let weights = 0;
  for (const samples of inferenceBatches(tokens.map((t) => t.length), encoder.params.heads)) {
    const masked = maskBatch(tokens, samples, Array.from(samples, (s) => positions[s]), encoder.layout);
    const weight = masked.targetWeights.reduce((sum, w) => sum + w, 0);
    if (weight === 0) continue;
    const loss = tf.tidy(() => encoder.reconstructionLoss(maskedPrediction(encoder, masked), maskedTargets(encoder, masked)));
    weighted += loss.dataSync()[0] * weight;
    weights += weight;
    loss.dispose();
  }
  return weights > 0 ? weighted / weights : Number.NaN;
}

/**
 * One prediction per sample. Masks follow the pre-training rule (mask ratio, spans of layout.maskSpan)
 * and are drawn from `seed` sample by sample in order, so they do not depend on batching.
 */
export function predictMasked(encoder: Encoder, tokens: readonly Tokens[], maskRatio: number, seed: number): MaskedPrediction[] {
  const { layout } = encoder;
  const positions = evaluationMasks(encoder, tokens, maskRatio, seed);
  const width = layout.target.kind === 'ids' ? 1 : layout.valueDim;
  const predictions: MaskedPrediction[] = positions.map((p) => ({
    positions: p,
    ids: new Int32Array(layout.target.kind === 'ids' ? p.length : 0),
    values: new Float32Array(layout.target.kind === 'values' ? p.length * width : 0),
  }));
  for (const samples of inferenceBatches(tokens.map((t) => t.length), encoder.params.heads)) {
    const samplePositions = Array.from(samples, (s) => positions[s]);
    if (samplePositions.every((p) => p.length === 0)) continue;
    const masked = maskBatch(tokens, samples, samplePositions, layout);
    const output = tf.tidy(() => {
      const prediction = maskedPrediction(encoder, masked);
      if (layout.target.kind === 'values') return prediction;
      // The most likely content id: an answer of padding, mask or unknown would rebuild nothing.
      const { specials } = layout.target;
      const content = tf.slice(prediction, [0, specials], [-1, -1]);
      return tf.add(tf.argMax(content, 1), tf.scalar(specials, 'int32'));
    });
    // Read outside tidy: tidy walks a returned typed array element by element.
    const values = output.dataSync();
    output.dispose();
    let row = 0;
    samples.forEach((s, b) => {
      const n = samplePositions[b].length;
      const into = layout.target.kind === 'ids' ? predictions[s].ids : predictions[s].values;
      into.set(values.subarray(row * width, (row + n) * width));
      row += n;
    });
  }
  return predictions;
}
