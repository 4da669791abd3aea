// Dense layer y = xW + b with a hand-written gradient (fewer and faster kernels than tfjs' fused-matmul gradient).
import * as tf from '@tensorflow/tfjs';
import { denseStd } from './parameters.js';
import type { ParameterStore } from './parameters.js';

export interface Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
}

export function createLinear(store: ParameterStore, inDim: number, outDim: number): Linear {
  return { weight: store.normal([inDim, outDim], denseStd(inDim)), bias: store.zeros([outDim]) };
}

// dx = dy·Wᵀ, dW = (dyᵀ·x)ᵀ, db = Σ dy. One explicit transpose of dy serves dW and db: the wasm Sum kernel
// would transpose for a column sum anyway, and XNNPACK then packs x as the weights, not the wider dy.
const dense = tf.customGrad((x, w, b, save) => {
  const [input, weight, bias] = [x, w, b] as tf.Tensor2D[];
  (save as tf.GradSaveFunc)([input, weight]);
  return {
    value: tf.fused.matMul({ a: input, b: weight, bias }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedInput, savedWeight] = saved as tf.Tensor2D[];
      const grad = dy as tf.Tensor2D;
      const gradT = tf.transpose(grad);
      return [tf.matMul(grad, tf.transpose(savedWeight)), tf.transpose(tf.matMul(gradT, savedInput)), tf.sum(gradT, 1)];
    },
  };
});

/** x: [rows, inDim] → [rows, outDim]. */
export function applyLinear(layer: Linear, x: tf.Tensor2D): tf.Tensor2D {
  return dense(x, layer.weight, layer.bias) as tf.Tensor2D;
}
