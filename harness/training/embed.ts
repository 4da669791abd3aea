// Mean-pooled encoder embeddings of many samples, computed in memory-bounded batches without gradients.
import * as tf from '@tensorflow/tfjs';
import type { Tokens } from '../../strategies/types.js';
import type { Encoder } from '../model/encoder.js';
import { toModelInput } from '../model/input.js';
import { inferenceBatches, padBatch } from './batching.js';

/** samples × dim, row-major; a sample without tokens embeds as zeros. */
export function embed(encoder: Encoder, tokens: readonly Tokens[]): Float32Array {
  const { dim } = encoder;
  const out = new Float32Array(tokens.length * dim);
  for (const samples of inferenceBatches(tokens.map((t) => t.length), encoder.params.heads)) {
    const batch = padBatch(tokens, samples, encoder.layout);
    if (batch.length === 0) continue;
    const pooled = tf.tidy(() => {
      const input = toModelInput(batch);
      return encoder.pool(encoder.encode(input), input);
    });
    // Read outside tidy: tidy walks a returned typed array element by element.
    const values = pooled.dataSync();
    pooled.dispose();
    samples.forEach((s, b) => out.set(values.subarray(b * dim, (b + 1) * dim), s * dim));
  }
  return out;
}
