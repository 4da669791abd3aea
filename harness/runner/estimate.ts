// What a sweep will cost before it runs: analytic training FLOPs per run from the token count known without
// data (or a stated bound), and a wall time from a matmul rate measured on this machine's backend.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import type { DatasetShape } from '../../datasets/types.js';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition, TokenLayout } from '../../strategies/types.js';
import { classificationHeadMacs, encoderMacs, FLOPS_PER_MAC, layoutInput, reconstructionHeadMacs, trainingFlops } from '../flops.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import { reconstructionWidth } from '../model/encoder.js';
import { estimateSpend, type Spend } from '../training/budget.js';
import { maskCount } from '../training/masking.js';
import { lookup } from '../registry-lookup.js';

/** Tokens assumed per sample when neither the strategy nor a `max_len` says: a stated guess, not a count. */
export const GUESSED_TOKENS = 256;

export interface RunEstimate {
  /** Analytic FLOPs of one (cell, seed): learning-rate trials, pre-training, classification training and the evaluation passes. */
  readonly flops: number;
  /** What each budget gives the run: presentations, steps and FLOPs; null for a stage that does not train on a budget. */
  readonly pretrain: Spend;
  readonly classify: Spend | null;
  readonly tokensPerSample: number;
  /** How the token count was found: exactly, as the strategy's max_len (an upper bound), guessed, or as the mean over encoded test samples. */
  readonly tokens: 'exact' | 'max_len' | 'guess' | 'measured';
  readonly layout: TokenLayout;
}

type Tokenization = Pick<RunEstimate, 'tokensPerSample' | 'tokens' | 'layout'>;

/** Token count and layout depend on the strategy's params and the data only, objects many cells share. */
const tokenizations = new WeakMap<object, WeakMap<object, Tokenization>>();

function tokenization(cell: Cell, shape: DatasetShape): Tokenization {
  const byShape = tokenizations.get(cell.strategy.params) ?? new WeakMap<object, Tokenization>();
  tokenizations.set(cell.strategy.params, byShape);
  let known = byShape.get(shape);
  if (known === undefined) {
    const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
    const exact = definition.tokensPerSample?.(cell.strategy.params, shape.info);
    const maxLen = cell.strategy.params.max_len;
    const [tokensPerSample, tokens]: [number, RunEstimate['tokens']] =
      exact !== undefined ? [exact, 'exact'] : typeof maxLen === 'number' ? [maxLen, 'max_len'] : [GUESSED_TOKENS, 'guess'];
    known = { tokensPerSample, tokens, layout: definition.create(cell.strategy.params, shape.info, { baseDir: cell.baseDir }).layout };
    byShape.set(shape, known);
  }
  return known;
}

/** Mean tokens and forward MACs per sample over encoded data (the tokens and cost evaluators' `tokens_mean`, `total_macs`). */
export interface MeasuredCost {
  readonly tokensMean: number;
  readonly macsMean: number;
  /** The fitted strategy's reconstruction head width (a learned vocabulary's size is known only after fit). */
  readonly headWidth?: number;
}

/** The reconstruction head's width, or 0 while a learned vocabulary waits for its fit: the up-front estimate then leaves the head out. */
function headWidthBeforeFit(layout: TokenLayout): number {
  try {
    return reconstructionWidth(layout);
  } catch (error) {
    if (error instanceof TokbenchError && error.code === 'not-fitted') return 0;
    throw error;
  }
}

/** The run's cost; `measured` (from encoding the data) replaces a bound or a guess. */
export function estimateRun(cell: Cell, shape: DatasetShape, measured?: MeasuredCost): RunEstimate {
  const known = tokenization(cell, shape);
  const { layout } = known;
  const { model, train } = cell;
  const useMeasured = measured !== undefined && known.tokens !== 'exact';
  const tokensPerSample = useMeasured ? measured.tokensMean : known.tokensPerSample;
  const macs = useMeasured ? measured.macsMean : encoderMacs(model, layoutInput(layout, tokensPerSample)).total;
  const forward = macs * FLOPS_PER_MAC;
  const perSample = (headMacs: number) => ({ flops: trainingFlops(macs + headMacs), tokens: tokensPerSample });
  const headWidth = (useMeasured ? measured.headWidth : undefined) ?? headWidthBeforeFit(layout);
  // Span masking hides up to maskSpan − 1 tokens more than maskCount: an estimate.
  const pretrainSample = perSample(reconstructionHeadMacs(model, headWidth, maskCount(tokensPerSample, train.mask_ratio)));
  const pretrain = estimateSpend(train.pretrain_budget, pretrainSample, shape.trainSize, train.batch_size);
  const classify = train.classify === 'finetune' ? estimateSpend(train.classify_budget, perSample(classificationHeadMacs(model, shape.classes)), shape.trainSize, train.batch_size) : null;
  const training = pretrain.flops + (classify?.flops ?? 0);
  // Fine-tuning's statistics pass or the probe's embedding over the training split, then embedding and masked prediction of the test split.
  const trainingSplitPass = train.classify === 'none' ? 0 : shape.trainSize;
  const evaluation = forward * (trainingSplitPass + 2 * shape.testSize);
  // Each learning-rate trial trains on its share of both budgets, then embeds the training split (as above) and the validation split.
  const trials = (train.lr_select?.length ?? 0) * (train.lr_select_fraction * training + forward * (trainingSplitPass + shape.validationSize));
  return { flops: trials + training + evaluation, pretrain, classify, tokensPerSample, tokens: useMeasured ? 'measured' : known.tokens, layout };
}

/**
 * The model of a sweep's wall time, fitted on this machine (BENCHMARKS.md): a worker process starts in about
 * WORKER_START_SECONDS (loading tfjs and its data), a run spends about RUN_SECONDS besides training
 * (tokenizing, evaluating, predicting), and training reaches TRAINING_EFFICIENCY of the measured matmul rate
 * (small kernels, attention softmax, gather). The quickstart's 1.25 TFLOPs and 10 runs took 284 s in one wasm
 * process while the parent measured 256² matmuls at ~34 GFLOP/s; a 16-run sweep of tiny DNA cells, 13 s on
 * two. Estimates elsewhere are rough.
 */
export const TRAINING_EFFICIENCY = 0.14;
export const RUN_SECONDS = 1.5;
export const WORKER_START_SECONDS = 3;

/** FLOP/s of 256×256 float32 matmuls on the active tfjs backend: the median of three windows over about `seconds`. */
export function measureMatmulRate(seconds = 1): number {
  const size = 256;
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  try {
    tf.matMul(a, b).dispose();
    const rates = Array.from({ length: 3 }, () => {
      let count = 0;
      const started = performance.now();
      while (performance.now() - started < (seconds * 1000) / 3) {
        const product = tf.matMul(a, b);
        product.dataSync();
        product.dispose();
        count++;
      }
      return (count * 2 * size ** 3) / ((performance.now() - started) / 1000);
    });
    return rates.sort((x, y) => x - y)[1];
  } finally {
    tf.dispose([a, b]);
  }
}

/** Seconds one run of `flops` takes in a worker at `rate` matmul FLOP/s. */
export function runSeconds(flops: number, rate: number): number {
  return flops / (rate * TRAINING_EFFICIENCY) + RUN_SECONDS;
}

/** One cell's runs as a worker runs them: its seeds back to back, each of `flops`. */
export interface CellJob {
  readonly runs: number;
  readonly flopsPerRun: number;
}

/**
 * Seconds the jobs take on `processes` worker processes at `rate` FLOP/s each: each job goes, in order, to
 * the first process that is free (as the pool hands out cells), so one long cell bounds the sweep.
 */
export function wallSeconds(jobs: readonly CellJob[], rate: number, processes: number): number {
  const busy = jobs.filter((job) => job.runs > 0);
  if (busy.length === 0) return 0;
  const free = new Float64Array(Math.max(1, Math.min(processes, busy.length)));
  for (const job of busy) {
    const first = free.indexOf(Math.min(...free));
    free[first] += job.runs * runSeconds(job.flopsPerRun, rate);
  }
  return WORKER_START_SECONDS + Math.max(...free);
}
