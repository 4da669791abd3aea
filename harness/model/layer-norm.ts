// Layer normalisation (Ba et al. 2016) over the last axis, hand-written: tf.layers.layerNormalization is ~30× slower on wasm.
import * as tf from '@tensorflow/tfjs';
import type { ParameterStore } from './parameters.js';

/** PyTorch's default epsilon. */
export const LAYER_NORM_EPSILON = 1e-5;

export interface LayerNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
}

export function createLayerNorm(store: ParameterStore, dim: number): LayerNorm {
  return { gamma: store.ones([dim]), beta: store.zeros([dim]) };
}

/** (x − mean) / sqrt(var + ε) · γ + β, with the biased variance, per row of x: [rows, dim]. */
export function applyLayerNorm(layer: LayerNorm, x: tf.Tensor2D): tf.Tensor2D {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)));
  return tf.add(tf.mul(normalised, layer.gamma), layer.beta);
}
