// Mean softmax cross-entropy against integer targets with a hand-written gradient. It never calls Exp: the wasm
// Exp kernel is scalar (~7 ns a value) while Softmax runs on XNNPACK, and over a 4,096-k-mer vocabulary
// tf.losses.softmaxCrossEntropy's three exponentiations dominated a pre-training step.
import * as tf from '@tensorflow/tfjs';

/**
 * −mean_i log softmax(logits_i)[targets_i]; logits: [rows, classes], targets: [rows] int32. With `weights`
 * ([rows] of 1/0), the mean is over the rows of weight 1 only (0 when there are none).
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  const [rows, classes] = logits.shape;
  const picked = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(classes, 'int32')), targets);
  // The weights are an input of the custom gradient, so the backward pass still holds them.
  const loss = tf.customGrad((x, w, save) => {
    const logit = x as tf.Tensor2D;
    const weight = w as tf.Tensor1D;
    const total = tf.maximum(tf.sum(weight), 1);
    const probabilities = tf.softmax(logit);
    (save as tf.GradSaveFunc)([probabilities, weight, total]);
    // log Σ_j exp(x_ij) = max_j x_ij − log max_j softmax_ij: exact, and never log 0 since max_j softmax_ij ≥ 1/classes.
    const logSumExp = tf.sub(tf.max(logit, 1), tf.log(tf.max(probabilities, 1)));
    const value = tf.div(tf.sum(tf.mul(tf.sub(logSumExp, tf.gather(tf.reshape(logit, [rows * classes]), picked)), weight)), total);
    return {
      value,
      // d/dlogits = w_i (softmax − one-hot) / Σw. The one-hot is cast, not asked for as float32: the wasm
      // OneHot kernel ignores its dtype and writes integer bits into a float32 tensor. Weights get no gradient.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.mul(tf.sub(saved[0], tf.cast(tf.oneHot(targets, classes), 'float32')), tf.mul(tf.expandDims(saved[1], 1), tf.div(dy, saved[2]))),
        tf.zerosLike(saved[1]),
      ],
    };
  });
  return loss(logits, weights ?? tf.ones([rows])) as tf.Scalar;
}
