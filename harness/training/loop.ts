// The shared mini-batch loop: Adam (Kingma & Ba 2015) with warm-up and cosine decay over a planned list of batches,
// gradients accumulated over micro-batches when a batch would not fit in memory, per-epoch mean loss, divergence check.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { TokbenchError } from '../errors.js';
import type { Spend, TrainingPlan } from './budget.js';
import { ScheduledAdam, scheduledRate } from './schedule.js';

export interface TrainingReport {
  /** Mean loss of each epoch, weighted by what each step averaged over (masked tokens, samples). */
  readonly losses: number[];
  /** Wall-clock time of the whole training. */
  readonly seconds: number;
  /** Non-padding tokens that went through the encoder, including passes outside the plan (a probe's embedding). */
  readonly tokens: number;
  /** What the planned steps spent; null when the stage has no budget (a probe fitted to its optimum). */
  readonly spend: Spend | null;
  /** The learning rate of each step. */
  readonly rates: readonly number[];
}

/** One step's work: how much it weighs in the epoch mean, its real tokens, and its loss (built inside the tape). */
export interface Step {
  readonly weight: number;
  readonly tokens: number;
  readonly loss: () => tf.Scalar;
}

export interface LoopOptions {
  /** Names the stage in a divergence error: `pretrain`, `finetune`. */
  readonly stage: string;
  /** Peak learning rate of the schedule, which is laid out over the plan's steps. */
  readonly lr: number;
  readonly variables: readonly tf.Variable[];
  /** The batches, as sample indices, and where each epoch ends. */
  readonly plan: TrainingPlan;
  /** Cuts a batch into micro-batches that fit in memory (see batching.microBatches); whole when absent. */
  readonly split?: (batch: Int32Array) => Int32Array[];
  readonly step: (samples: Int32Array) => Step;
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/** PyTorch's and the Adam paper's ε (tfjs would pick 1e-7). */
const ADAM_EPSILON = 1e-8;

/**
 * One optimiser step over a batch given as micro-batches: each part's gradient weighted by its share of
 * the batch's weight, so the sum is the gradient of the whole batch's mean loss (exact for the masked-token
 * loss; fine-tuning's per-batch standardisation then uses each part's statistics, as ghost batch norm does).
 * Returns the batch's loss; nothing is applied when it is not finite.
 */
function accumulatedStep(optimizer: ScheduledAdam, works: readonly Step[], variables: readonly tf.Variable[]): number {
  const total = works.reduce((w, work) => w + work.weight, 0);
  let loss = 0;
  let sum: tf.NamedTensorMap | undefined;
  try {
    for (const work of works) {
      const share = total > 0 ? work.weight / total : 1 / works.length;
      const { value, grads } = tf.tidy(() => optimizer.computeGradients(() => tf.mul(work.loss(), share) as tf.Scalar, [...variables]));
      loss += value.dataSync()[0];
      value.dispose();
      if (sum === undefined) {
        sum = grads;
        continue;
      }
      const previous = sum;
      sum = tf.tidy(() => Object.fromEntries(Object.entries(previous).map(([name, g]) => [name, tf.add(g, grads[name])])));
      tf.dispose([previous, grads]);
    }
    if (Number.isFinite(loss) && sum !== undefined) optimizer.applyGradients(Object.entries(sum).map(([name, tensor]) => ({ name, tensor })));
  } finally {
    if (sum !== undefined) tf.dispose(sum);
  }
  return loss;
}

export async function trainLoop(options: LoopOptions): Promise<TrainingReport> {
  const started = performance.now();
  const optimizer = new ScheduledAdam(options.lr, 0.9, 0.999, ADAM_EPSILON);
  const { epochEnds, spend } = options.plan;
  const losses: number[] = [];
  const rates: number[] = [];
  let tokens = 0;
  let step = 0;
  let epoch = 0;
  let weighted = 0;
  let weights = 0;
  try {
    for (const batch of options.plan.batches()) {
      const works = (options.split?.(batch) ?? [batch]).map(options.step);
      const rate = scheduledRate(step, spend.steps, options.lr);
      optimizer.setRate(rate);
      rates.push(rate);
      const loss = accumulatedStep(optimizer, works, options.variables);
      const first = epoch === 0 ? 0 : epochEnds[epoch - 1];
      if (!Number.isFinite(loss)) {
        throw new TokbenchError('diverged', `${options.stage} loss became ${loss} at epoch ${epoch + 1} of ${epochEnds.length}, step ${step - first + 1} of ${epochEnds[epoch] - first}`, [options.stage]);
      }
      const weight = works.reduce((w, work) => w + work.weight, 0);
      weighted += loss * weight;
      weights += weight;
      tokens += works.reduce((n, work) => n + work.tokens, 0);
      step++;
      if (step === epochEnds[epoch]) {
        const mean = weights > 0 ? weighted / weights : Number.NaN;
        losses.push(mean);
        options.onEpoch?.(epoch, mean);
        epoch++;
        weighted = 0;
        weights = 0;
      }
      // Let the process answer its parent between steps.
      await new Promise(setImmediate);
    }
  } finally {
    optimizer.dispose();
  }
  return { losses, seconds: (performance.now() - started) / 1000, tokens, spend, rates };
}
