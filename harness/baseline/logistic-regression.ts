// Multinomial logistic regression on standardised features, fitted to its unique optimum with L-BFGS: the
// objective of scikit-learn's LogisticRegression(C=1) after StandardScaler, with loss and gradient computed in tfjs.
import * as tf from '@tensorflow/tfjs';
import { TokbenchError } from '../errors.js';

/** scikit-learn's default inverse regularisation strength: the penalty is ||W||² / (2·C·n) on the mean loss. */
export const INVERSE_REGULARISATION = 1;
/** scikit-learn's lbfgs stopping rule: every entry of the gradient of C·Σ loss + ½||W||² below this. */
export const GRADIENT_TOLERANCE = 1e-4;
export const MAX_ITERATIONS = 500;
/** Curvature pairs L-BFGS remembers. */
const MEMORY = 10;

export interface LogisticRegression {
  /** Per-feature mean and standard deviation of the training rows (scale 1 for constant features). */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** width × numClasses, row-major, for standardised features. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  /** Penalised mean training loss after each L-BFGS iteration. */
  readonly losses: readonly number[];
  /** Most likely class of each row of x (rows × width, row-major, raw features). */
  predict(x: Float32Array): Int32Array;
  /** rows × numClasses class probabilities of each row of x, row-major. */
  probabilities(x: Float32Array): Float32Array;
}

/** Index of the largest entry of each row of a rows × width matrix (ties to the first). */
export function argmaxRows(matrix: ArrayLike<number>, width: number): Int32Array {
  const rows = matrix.length / width;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (matrix[i * width + c] > matrix[i * width + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Row-wise softmax of a rows × width matrix of logits, shifted by each row's maximum for stability. */
function softmaxRows(logits: Float64Array, width: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += width) {
    const row = logits.subarray(i, i + width);
    const top = Math.max(...row);
    let total = 0;
    for (let c = 0; c < width; c++) total += Math.exp(row[c] - top);
    for (let c = 0; c < width; c++) out[i + c] = Math.exp(row[c] - top) / total;
  }
  return out;
}

function invalid(name: string, rule: string, got: unknown): TokbenchError {
  return new TokbenchError('invalid-param', `The '${name}' parameter of fitLogisticRegression must be ${rule}; got ${String(got)} instead.`, ['baseline', name]);
}

/** Mean and population variance of every column of x (rows × width, row-major), in float64. */
export function columnMoments(x: Float32Array, width: number): { mean: Float64Array; variance: Float64Array } {
  const rows = x.length / width;
  const mean = new Float64Array(width);
  const variance = new Float64Array(width);
  for (let i = 0; i < x.length; i++) mean[i % width] += x[i];
  for (let j = 0; j < width; j++) mean[j] /= rows;
  for (let i = 0; i < x.length; i++) variance[i % width] += (x[i] - mean[i % width]) ** 2;
  for (let j = 0; j < width; j++) variance[j] /= rows;
  return { mean, variance };
}

function standardise(x: Float32Array, width: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % width]) / scale[i % width];
  return out;
}

/** The penalised mean cross-entropy and its gradient at θ = [W (width × k), b (k)], evaluated in tfjs. */
type Objective = (theta: Float64Array) => { loss: number; gradient: Float64Array };

function createObjective(xs: tf.Tensor2D, xsT: tf.Tensor2D, targets: tf.Tensor2D, width: number, k: number, lambda: number): Objective {
  const rows = xs.shape[0];
  return (theta) => {
    const [lossTensor, gradW, gradB] = tf.tidy(() => {
      const w = tf.tensor2d(Float32Array.from(theta.subarray(0, width * k)), [width, k]);
      const b = tf.tensor1d(Float32Array.from(theta.subarray(width * k)));
      const logits = tf.add(tf.matMul(xs, w), b);
      const logProbabilities = tf.logSoftmax(logits);
      const crossEntropy = tf.div(tf.neg(tf.sum(tf.mul(targets, logProbabilities))), rows);
      const penalty = tf.mul(tf.sum(tf.square(w)), lambda / 2);
      // d/dlogits of the mean cross-entropy: (softmax − one-hot) / n.
      const residual = tf.div(tf.sub(tf.exp(logProbabilities), targets), rows);
      return [tf.add(crossEntropy, penalty), tf.add(tf.matMul(xsT, residual), tf.mul(w, lambda)), tf.sum(residual, 0)];
    });
    const gradient = new Float64Array(theta.length);
    gradient.set(gradW.dataSync());
    gradient.set(gradB.dataSync(), width * k);
    const loss = lossTensor.dataSync()[0];
    tf.dispose([lossTensor, gradW, gradB]);
    return { loss, gradient };
  };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

/** Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4–7.5) with a backtracking Armijo line search. */
function minimise(objective: Objective, start: Float64Array, tolerance: number): { theta: Float64Array; losses: number[] } {
  let theta = start;
  let { loss, gradient } = objective(theta);
  const losses: number[] = [];
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    if (gradient.every((g) => Math.abs(g) < tolerance)) break;
    // Two-loop recursion: direction = −H·gradient.
    const q = gradient.slice();
    const alphas: number[] = [];
    for (let i = history.length - 1; i >= 0; i--) {
      const { s, y, rho } = history[i];
      const alpha = rho * dot(s, q);
      alphas[i] = alpha;
      for (let j = 0; j < q.length; j++) q[j] -= alpha * y[j];
    }
    const last = history.at(-1);
    const gamma = last === undefined ? 1 / Math.max(1, Math.sqrt(dot(gradient, gradient))) : dot(last.s, last.y) / dot(last.y, last.y);
    for (let j = 0; j < q.length; j++) q[j] *= gamma;
    for (let i = 0; i < history.length; i++) {
      const { s, y, rho } = history[i];
      const beta = rho * dot(y, q);
      for (let j = 0; j < q.length; j++) q[j] += s[j] * (alphas[i] - beta);
    }
    const direction = q.map((v) => -v);
    const slope = dot(gradient, direction);
    if (!(slope < 0)) break;
    let step = 1;
    let next = objective(theta.map((t, j) => t + step * direction[j]));
    while (next.loss > loss + 1e-4 * step * slope && step > 1e-10) {
      step /= 2;
      next = objective(theta.map((t, j) => t + step * direction[j]));
    }
    if (next.loss > loss) break;
    const nextTheta = theta.map((t, j) => t + step * direction[j]);
    const s = nextTheta.map((t, j) => t - theta[j]);
    const y = next.gradient.map((g, j) => g - gradient[j]);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > MEMORY) history.shift();
    }
    const improvement = loss - next.loss;
    theta = nextTheta;
    ({ loss, gradient } = next);
    losses.push(loss);
    if (improvement <= 1e-12 * Math.max(1, Math.abs(loss))) break;
  }
  return { theta, losses };
}

/**
 * Fits softmax regression with an L2 penalty on the weights (not the bias) to x (rows × width,
 * row-major) and labels y in [0, numClasses). The objective is strictly convex and minimised from
 * zero by a deterministic method, so the result needs no seed.
 */
export function fitLogisticRegression(x: Float32Array, width: number, y: Int32Array, numClasses: number): LogisticRegression {
  if (!(Number.isInteger(width) && width >= 1)) throw invalid('width', 'an integer ≥ 1', width);
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) throw invalid('numClasses', 'an integer ≥ 2', numClasses);
  if (x.length !== y.length * width) throw invalid('x', `${y.length} rows × ${width} features (one row per label)`, `${x.length} values`);
  if (y.length === 0) throw invalid('y', 'non-empty', 'no labels');
  const bad = y.findIndex((label) => !(label >= 0 && label < numClasses));
  if (bad >= 0) throw invalid('y', `labels in [0, ${numClasses})`, `${y[bad]} at row ${bad}`);
  const rows = y.length;
  const { mean, variance } = columnMoments(x, width);
  // As StandardScaler: constant features keep scale 1.
  const scale = variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  const standardised = standardise(x, width, mean, scale);
  const oneHot = new Float32Array(rows * numClasses);
  y.forEach((label, i) => {
    oneHot[i * numClasses + label] = 1;
  });
  const xs = tf.tensor2d(standardised, [rows, width]);
  const xsT = tf.transpose(xs);
  const targets = tf.tensor2d(oneHot, [rows, numClasses]);
  let fitted: { theta: Float64Array; losses: number[] };
  try {
    const objective = createObjective(xs, xsT, targets, width, numClasses, 1 / (INVERSE_REGULARISATION * rows));
    // The objective here is the mean form, scikit-learn's divided by C·n.
    fitted = minimise(objective, new Float64Array(width * numClasses + numClasses), GRADIENT_TOLERANCE / (INVERSE_REGULARISATION * rows));
  } finally {
    tf.dispose([xs, xsT, targets]);
  }
  const weights = fitted.theta.slice(0, width * numClasses);
  const bias = fitted.theta.slice(width * numClasses);
  /** rows × numClasses logits of raw features, in float64. */
  function logitsOf(features: Float32Array): Float64Array {
    if (features.length % width !== 0) throw invalid('x', `a multiple of ${width} values`, features.length);
    const n = features.length / width;
    const z = standardise(features, width, mean, scale);
    const logits = new Float64Array(n * numClasses);
    for (let i = 0; i < n; i++) {
      const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
      row.set(bias);
      for (let j = 0; j < width; j++) {
        const v = z[i * width + j];
        for (let c = 0; c < numClasses; c++) row[c] += v * weights[j * numClasses + c];
      }
    }
    return logits;
  }
  return {
    mean,
    scale,
    weights,
    bias,
    losses: fitted.losses,
    predict: (features) => argmaxRows(logitsOf(features), numClasses),
    probabilities: (features) => softmaxRows(logitsOf(features), numClasses),
  };
}
