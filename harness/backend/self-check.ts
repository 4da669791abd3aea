// A tiny computation with a known answer, run on a freshly selected backend before any model trusts it.
import * as tf from '@tensorflow/tfjs';

const TOLERANCE = 1e-5;

/** Empty when the active backend computes a matmul, a gather and their gradient correctly; else what went wrong. */
export function selfCheck(): string {
  const [product, gradient] = tf.tidy(() => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5], [6]]);
    // d/dt Σ gather(t, [0, 0, 1]) ⊙ w = rows of w summed into the rows they were gathered from.
    const w = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([0, 0, 1], 'int32')), w)));
    return [tf.matMul(a, b), grad(tf.zeros([2, 2]))];
  });
  const got = [...product.dataSync(), ...gradient.dataSync()];
  tf.dispose([product, gradient]);
  const expected = [17, 39, 4, 6, 5, 6];
  const wrong = expected.some((e, i) => !(Math.abs(got[i] - e) <= TOLERANCE));
  return wrong ? `self-check computed [${got.join(', ')}] instead of [${expected.join(', ')}]` : '';
}
