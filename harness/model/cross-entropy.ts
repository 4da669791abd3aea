// Mean softmax cross-entropy against integer targets with a hand-written gradient. It never calls Exp: the wasm
// Exp kernel is scalar (~7 ns a value) while Softmax runs on XNNPACK, and over a 4,096-k-mer vocabulary
// tf.losses.softmaxCrossEntropy's three exponentiations dominated a pre-training step.
import * as tf from '@tensorflow/tfjs';

/** −mean_i log softmax(logits_i)[targets_i]; logits: [rows, classes], targets: [rows] int32. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows, classes] = logits.shape;
  const picked = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(classes, 'int32')), targets);
  const loss = tf.customGrad((x, save) => {
    const logit = x as tf.Tensor2D;
    const probabilities = tf.softmax(logit);
    (save as tf.GradSaveFunc)([probabilities]);
    // log Σ_j exp(x_ij) = max_j x_ij − log max_j softmax_ij: exact, and never log 0 since max_j softmax_ij ≥ 1/classes.
    const logSumExp = tf.sub(tf.max(logit, 1), tf.log(tf.max(probabilities, 1)));
    const value = tf.mean(tf.sub(logSumExp, tf.gather(tf.reshape(logit, [rows * classes]), picked)));
    return {
      value,
      // d/dlogits = (softmax − one-hot) / rows. The one-hot is cast, not asked for as float32: the wasm
      // OneHot kernel ignores its dtype and writes integer bits into a float32 tensor.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(saved[0], tf.cast(tf.oneHot(targets, classes), 'float32')), tf.div(dy, rows)),
    };
  });
  return loss(logits) as tf.Scalar;
}
