// One pre-LayerNorm transformer encoder block (Xiong et al. 2020; as in ViT and GPT-2): x + attn(LN(x)), then x + MLP(LN(x)).
import * as tf from '@tensorflow/tfjs';
import { applyAttention, createAttention } from './attention.js';
import type { Attention } from './attention.js';
import { applyLayerNorm, createLayerNorm } from './layer-norm.js';
import type { LayerNorm } from './layer-norm.js';
import { applyLinear, createLinear } from './linear.js';
import type { Linear } from './linear.js';
import type { ParameterStore } from './parameters.js';

export interface Block {
  readonly norm1: LayerNorm;
  readonly attention: Attention;
  readonly norm2: LayerNorm;
  readonly fc1: Linear;
  readonly fc2: Linear;
}

export function createBlock(store: ParameterStore, dim: number, heads: number, hidden: number): Block {
  return {
    norm1: createLayerNorm(store, dim),
    attention: createAttention(store, dim, heads),
    norm2: createLayerNorm(store, dim),
    fc1: createLinear(store, dim, hidden),
    fc2: createLinear(store, hidden, dim),
  };
}

/** Slope of the sigmoid in GELU's sigmoid form. */
export const GELU_SIGMOID_SCALE = 1.702;

// GELU in its sigmoid form x·σ(1.702x) (Hendrycks & Gimpel 2016, §2; CLIP's QuickGELU), with its exact
// derivative σ + 1.702·x·σ·(1 − σ): the wasm Sigmoid kernel is vectorised, while Erf and the Exp in
// erf's gradient are scalar and made the exact GELU about a tenth of a training step.
const quickGelu = tf.customGrad((x, save) => {
  const input = x as tf.Tensor2D;
  const gate = tf.sigmoid(tf.mul(input, GELU_SIGMOID_SCALE));
  (save as tf.GradSaveFunc)([input, gate]);
  return {
    value: tf.mul(input, gate),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedInput, savedGate] = saved;
      const slope = tf.add(savedGate, tf.mul(tf.mul(savedInput, GELU_SIGMOID_SCALE), tf.mul(savedGate, tf.sub(1, savedGate))));
      return tf.mul(dy, slope);
    },
  };
});

export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return quickGelu(x) as tf.Tensor2D;
}

/** x: [batch·length, dim]; bias: the key padding bias of attention.ts, or null without padding. */
export function applyBlock(block: Block, x: tf.Tensor2D, batch: number, bias: tf.Tensor4D | null): tf.Tensor2D {
  const attended = tf.add(x, applyAttention(block.attention, applyLayerNorm(block.norm1, x), batch, bias)) as tf.Tensor2D;
  const mlp = applyLinear(block.fc2, gelu(applyLinear(block.fc1, applyLayerNorm(block.norm2, attended))));
  return tf.add(attended, mlp);
}
