// Classification on mean-pooled encoder embeddings: fine-tuning encoder and linear head together, or a
// linear probe (logistic regression) on frozen embeddings, the protocol of SimCLR's and CLIP's linear evaluations.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import type { Tokens } from '../../strategies/types.js';
import { argmaxRows, columnMoments, fitLogisticRegression } from '../baseline/logistic-regression.js';
import { TokbenchError } from '../errors.js';
import { crossEntropy } from '../model/cross-entropy.js';
import type { Encoder } from '../model/encoder.js';
import { classificationHeadMacs, encoderMacs, layoutInput, trainingFlops } from '../flops.js';
import { toModelInput } from '../model/input.js';
import { applyLinear, createLinear } from '../model/linear.js';
import type { TrainParams } from '../model/params.js';
import { ParameterStore } from '../model/parameters.js';
import { createRng } from '../random.js';
import { epochStream, microBatches, padBatch, samplesWithTokens } from './batching.js';
import { fixedCosts, planTraining, type Budget, type PresentationCost } from './budget.js';
import { embed } from './embed.js';
import { trainLoop } from './loop.js';
import type { TrainingReport } from './loop.js';

/** A classifier's answer for each sample. */
export interface ClassPredictions {
  /** Most likely class of each sample (the first of equally likely ones). */
  readonly classes: Int32Array;
  /** samples × classes probabilities, row-major, in class order. */
  readonly probabilities: Float32Array;
}

export interface Classifier {
  readonly mode: Exclude<TrainParams['classify'], 'none'>;
  readonly report: TrainingReport;
  /** Scalars of the classification head alone (the encoder's are in Encoder.parameterCount). */
  readonly headParameterCount: number;
  predict(tokens: readonly Tokens[]): ClassPredictions;
  /** Frees the head; the encoder stays with its owner. */
  dispose(): void;
}

function checkLabels(tokens: readonly Tokens[], labels: Int32Array, numClasses: number): void {
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) {
    throw new TokbenchError('invalid-param', `The 'numClasses' parameter of trainClassifier must be an integer ≥ 2; got ${numClasses} instead.`, ['numClasses']);
  }
  if (labels.length !== tokens.length) {
    throw new TokbenchError('invalid-param', `The 'labels' parameter of trainClassifier must hold one label per sample (${tokens.length}); got ${labels.length} instead.`, ['labels']);
  }
  const bad = labels.findIndex((y) => !(y >= 0 && y < numClasses));
  if (bad >= 0) throw new TokbenchError('input', `The label of sample ${bad} must be in [0, ${numClasses}); got ${labels[bad]} instead.`, ['labels', bad]);
  if (!tokens.some((t) => t.length > 0)) throw new TokbenchError('input', 'No training sample has any token to classify from.', ['tokens']);
}

function fromProbabilities(probabilities: Float32Array, numClasses: number): ClassPredictions {
  return { classes: argmaxRows(probabilities, numClasses), probabilities };
}

/** How a classifier trains: its budget and peak rate, when not the params' own. */
export interface ClassifyOptions {
  readonly budget?: Budget;
  readonly lr?: number;
}

/**
 * Linear probe: the encoder embeds every sample once and stays frozen; the head is the baseline's
 * logistic regression fitted to its optimum, so `classify_budget`, `lr` and `seed` do not apply, and
 * there are no epochs to report losses of, nor a budget's spend.
 */
function probe(encoder: Encoder, tokens: readonly Tokens[], labels: Int32Array, numClasses: number): Classifier {
  const started = performance.now();
  const head = fitLogisticRegression(embed(encoder, tokens), encoder.dim, labels, numClasses);
  return {
    mode: 'probe',
    report: { losses: [], seconds: (performance.now() - started) / 1000, tokens: tokens.reduce((n, t) => n + t.length, 0), spend: null, rates: [] },
    headParameterCount: head.weights.length + head.bias.length,
    predict: (samples) => fromProbabilities(head.probabilities(embed(encoder, samples)), numClasses),
    dispose: () => undefined,
  };
}

/** Keeps the standardised pooled embeddings finite for a batch of one (zero variance). */
const STANDARDISE_EPSILON = 1e-5;

function standardise(pooled: tf.Tensor2D, mean: tf.Tensor, variance: tf.Tensor): tf.Tensor2D {
  return tf.div(tf.sub(pooled, mean), tf.sqrt(tf.add(variance, STANDARDISE_EPSILON)));
}

/** What presenting a sample costs in fine-tuning: the encoder at the sample's length plus the linear head on its pooled embedding. */
export function finetuneCosts(encoder: Encoder, lengths: readonly number[], numClasses: number): PresentationCost {
  const head = classificationHeadMacs(encoder.params, numClasses);
  return fixedCosts(
    lengths.map((n) => trainingFlops(encoderMacs(encoder.params, layoutInput(encoder.layout, n)).total + head)),
    lengths,
  );
}

/**
 * Encoder and a linear head trained together with Adam on the cross-entropy. The head reads the pooled
 * embeddings standardised per dimension, a BatchNorm without affine parameters (Ioffe & Szegedy 2015;
 * MAE's linear-probe head): pooled embeddings share a large common part (every image has the same patch
 * coordinates), and without it the head spends epochs at chance before the sample-specific part shows.
 * Training uses each batch's statistics; prediction uses the exact statistics of the training set's
 * embeddings under the final encoder instead of running averages.
 */
async function finetune(encoder: Encoder, tokens: readonly Tokens[], labels: Int32Array, numClasses: number, params: TrainParams, seed: number, options: ClassifyOptions): Promise<Classifier> {
  const rng = createRng(seed);
  const store = new ParameterStore(rng.fork());
  const orderSeed = rng.fork();
  const head = createLinear(store, encoder.dim, numClasses);
  const lengths = tokens.map((t) => t.length);
  // A sample without tokens has nothing to learn from; it still gets a prediction.
  const samples = samplesWithTokens(lengths);
  try {
    const loop = await trainLoop({
      stage: 'finetune',
      lr: options.lr ?? params.lr,
      variables: [...encoder.encoderVariables, ...store.variables],
      plan: planTraining(options.budget ?? params.classify_budget, finetuneCosts(encoder, lengths, numClasses), () => epochStream(samples, lengths, params.batch_size, orderSeed), 'classify'),
      split: (batch) => microBatches(batch, lengths, encoder.params.heads, encoder.params.depth),
      step: (batch) => {
        const padded = padBatch(tokens, batch, encoder.layout);
        const targets = Int32Array.from(batch, (i) => labels[i]);
        return {
          weight: batch.length,
          tokens: padded.tokens,
          loss: () => {
            const input = toModelInput(padded);
            const pooled = encoder.pool(encoder.encode(input), input);
            const { mean, variance } = tf.moments(pooled, 0);
            const logits = applyLinear(head, standardise(pooled, mean, variance));
            return crossEntropy(logits, tf.tensor1d(targets, 'int32'));
          },
        };
      },
    });
    const started = performance.now();
    const { mean, variance } = columnMoments(embed(encoder, Array.from(samples, (i) => tokens[i])), encoder.dim);
    const statistics = { mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
    const trainTokens = samples.reduce((n, i) => n + lengths[i], 0);
    const report = { ...loop, seconds: loop.seconds + (performance.now() - started) / 1000, tokens: loop.tokens + trainTokens };
    return {
      mode: 'finetune',
      report,
      headParameterCount: store.size,
      predict(samplesToPredict) {
        if (samplesToPredict.length === 0) return { classes: new Int32Array(0), probabilities: new Float32Array(0) };
        const embeddings = embed(encoder, samplesToPredict);
        const output = tf.tidy(() => {
          const pooled = tf.tensor2d(embeddings, [samplesToPredict.length, encoder.dim]);
          return tf.softmax(applyLinear(head, standardise(pooled, tf.tensor1d(statistics.mean), tf.tensor1d(statistics.variance))));
        });
        // Read outside tidy: tidy walks a returned typed array element by element.
        const probabilities = Float32Array.from(output.dataSync());
        output.dispose();
        return fromProbabilities(probabilities, numClasses);
      },
      dispose: () => store.dispose(),
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

/** Trains a classifier of `labels` (in [0, numClasses)) on the samples' tokens, as `params.classify` says. */
export async function trainClassifier(
  encoder: Encoder,
  tokens: readonly Tokens[],
  labels: Int32Array,
  numClasses: number,
  params: TrainParams,
  seed: number,
  options: ClassifyOptions = {},
): Promise<Classifier> {
  checkLabels(tokens, labels, numClasses);
  if (params.classify === 'none') throw new TokbenchError('invalid-param', "The 'classify' parameter of trainClassifier must be 'finetune' or 'probe'; got 'none' instead.", ['train', 'classify']);
  return params.classify === 'probe' ? probe(encoder, tokens, labels, numClasses) : finetune(encoder, tokens, labels, numClasses, params, seed, options);
}
