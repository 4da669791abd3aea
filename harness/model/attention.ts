// Multi-head scaled dot-product self-attention (Vaswani et al. 2017) with a key padding mask.
import * as tf from '@tensorflow/tfjs';
import { applyLinear, createLinear } from './linear.js';
import type { Linear } from './linear.js';
import type { ParameterStore } from './parameters.js';

/** Added to the scores of padding keys: exp underflows to exactly 0, so padding gets no weight. */
export const MASKED_SCORE = -1e9;

export interface Attention {
  readonly heads: number;
  /** One projection to queries, keys and values together: one matmul instead of three. */
  readonly qkv: Linear;
  readonly out: Linear;
}

export function createAttention(store: ParameterStore, dim: number, heads: number): Attention {
  return { heads, qkv: createLinear(store, dim, 3 * dim), out: createLinear(store, dim, dim) };
}

/** [batch, 1, 1, length]: 0 for real keys, MASKED_SCORE for padding keys (valid: [batch, length] of 1/0). */
export function keyPaddingBias(valid: tf.Tensor2D): tf.Tensor4D {
  const [batch, length] = valid.shape;
  return tf.reshape(tf.mul(tf.sub(1, valid), MASKED_SCORE), [batch, 1, 1, length]);
}

/**
 * x: [batch·length, dim] rows of `batch` sequences padded to `length` → [batch·length, dim]; `bias` is
 * keyPaddingBias of the batch, or null when nothing is padding (saving an add over every score).
 */
export function applyAttention(layer: Attention, x: tf.Tensor2D, batch: number, bias: tf.Tensor4D | null): tf.Tensor2D {
  const [rows, dim] = x.shape;
  const length = rows / batch;
  const { heads } = layer;
  const headDim = dim / heads;
  // [B·T, 3·d] → three [B·H, T, d/H]; rank-5 transposes are ~50× slower than rank-4 ones on wasm.
  const [q, k, v] = tf.split(applyLinear(layer.qkv, x), 3, 1).map((t) =>
    tf.reshape(tf.transpose(tf.reshape(t, [batch, length, heads, headDim]), [0, 2, 1, 3]), [batch * heads, length, headDim]),
  );
  // Scaling the queries (B·H·T·d/H numbers) is cheaper than scaling the scores (B·H·T·T).
  const scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(headDim)), k, false, true);
  const grouped = tf.reshape(scores, [batch, heads, length, length]);
  const weights = tf.softmax(bias === null ? grouped : tf.add(grouped, bias));
  const context = tf.matMul(tf.reshape(weights, [batch * heads, length, length]), v);
  // [B·H, T, d/H] → [B, T, H, d/H] → [B·T, d]
  const merged = tf.reshape(tf.transpose(tf.reshape(context, [batch, heads, length, headDim]), [0, 2, 1, 3]), [batch * length, dim]) as tf.Tensor2D;
  return applyLinear(layer.out, merged);
}
