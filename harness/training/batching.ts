// Which samples go into which batch, and padding a batch's token sequences to one length.
import type { Tokens, TokenLayout } from '../../strategies/types.js';
import { TokbenchError } from '../errors.js';
import type { PaddedBatch } from '../model/input.js';
import { createRng, type Rng } from '../random.js';

/** Batches per pool within which samples are sorted by length (torchtext's BucketIterator uses 100). */
export const POOL_BATCHES = 16;

/** The samples that have tokens, ascending: the ones training presents (an empty one has nothing to learn from). */
export function samplesWithTokens(lengths: readonly number[]): Int32Array {
  return Int32Array.from(lengths.flatMap((n, i) => (n > 0 ? [i] : [])));
}

/**
 * One epoch's batches: the samples in a fresh seeded order, sorted by length within pools of
 * POOL_BATCHES batches so a batch pads little, then the batch order shuffled (torchtext's
 * BucketIterator). Every sample appears in exactly one batch; the last batch of a pool may be short.
 */
export function epochBatches(samples: Int32Array, lengths: readonly number[], batchSize: number, rng: Rng): Int32Array[] {
  const order = samples.slice();
  rng.shuffle(order);
  const batches: Int32Array[] = [];
  const pool = batchSize * POOL_BATCHES;
  for (let start = 0; start < order.length; start += pool) {
    const sorted = order.slice(start, start + pool).sort((a, b) => lengths[a] - lengths[b]);
    for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
  }
  rng.shuffle(batches);
  return batches;
}

/** Epoch after epoch of `epochBatches`, all drawn from one stream seeded by `seed`. */
export function epochStream(samples: Int32Array, lengths: readonly number[], batchSize: number, seed: number): () => Int32Array[] {
  const rng = createRng(seed);
  return () => epochBatches(samples, lengths, batchSize, rng);
}

/** Attention scores one inference batch may hold (batch · heads · length²): 64 MiB of float32. */
export const INFERENCE_SCORES = 2 ** 24;
/** More samples than this per inference batch no longer saves time. */
export const INFERENCE_BATCH = 256;

/**
 * Attention scores one training micro-batch may keep for the backward pass, summed over blocks
 * (micro-batch · heads · length² · depth): 2²⁵ float32 scores are 128 MiB. The tape keeps each block's
 * scores, padding-biased scores and softmax until the backward pass, which adds their gradients and two
 * temporaries in softmax's gradient: the wasm heap peaked at 1.83 GiB (2.07 GiB with padding) under 2²⁶ at
 * 784 tokens, dim 32, heads 4, depth 2, batch 32 (patch_size 1 on MNIST), and at 0.93 GiB (rss 1.0 GiB) under
 * 2²⁵, far from the ~4 GB where the wasm heap aborts.
 */
export const TRAINING_SCORES = 2 ** 25;

/**
 * A training batch cut, in order, into micro-batches whose attention scores fit TRAINING_SCORES; one part
 * when the whole batch fits. A single sample over the budget still forms a part of its own.
 */
export function microBatches(batch: Int32Array, lengths: readonly number[], heads: number, depth: number): Int32Array[] {
  const parts: Int32Array[] = [];
  let start = 0;
  while (start < batch.length) {
    let end = start + 1;
    let longest = lengths[batch[start]];
    while (end < batch.length) {
      const next = Math.max(longest, lengths[batch[end]]);
      if ((end + 1 - start) * heads * next ** 2 * depth > TRAINING_SCORES) break;
      longest = next;
      end++;
    }
    parts.push(batch.slice(start, end));
    start = end;
  }
  return parts;
}

/** Every sample once, shortest first, in batches as large as the memory budget allows. */
export function inferenceBatches(lengths: readonly number[], heads: number): Int32Array[] {
  const order = Int32Array.from(lengths.keys()).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: Int32Array[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    // Sorted, so the newest sample is the longest: the batch is padded to its length.
    while (end < order.length && end - start < INFERENCE_BATCH && (end + 1 - start) * heads * lengths[order[end]] ** 2 <= INFERENCE_SCORES) end++;
    batches.push(order.slice(start, end));
    start = end;
  }
  return batches;
}

function badTokens(sample: number, message: string): TokbenchError {
  return new TokbenchError('input', `The tokens of sample ${sample} ${message}`, ['tokens', sample]);
}

function checkTokens(t: Tokens, sample: number, layout: TokenLayout): void {
  const { idChannels, valueDim, coordDim } = layout;
  if (t.ids.length !== t.length * idChannels) throw badTokens(sample, `must hold length × ${idChannels} ids; got ${t.ids.length} for length ${t.length} instead.`);
  if (t.values.length !== t.length * valueDim) throw badTokens(sample, `must hold length × ${valueDim} values; got ${t.values.length} for length ${t.length} instead.`);
  if (t.coords.length !== t.length * coordDim) throw badTokens(sample, `must hold length × ${coordDim} coords; got ${t.coords.length} for length ${t.length} instead.`);
  for (let i = 0; i < t.ids.length; i++) {
    const vocab = layout.vocabSizes[i % idChannels];
    if (!(t.ids[i] >= 0 && t.ids[i] < vocab)) {
      throw badTokens(sample, `must have ids in [0, ${vocab}) in channel ${i % idChannels}; got ${t.ids[i]} at token ${Math.floor(i / idChannels)} instead.`);
    }
  }
}

/** The given samples padded to the longest of them; ids, values and coordinates are 0 at padding. */
export function padBatch(tokens: readonly Tokens[], samples: ArrayLike<number>, layout: TokenLayout): PaddedBatch {
  const { idChannels, valueDim, coordDim } = layout;
  const size = samples.length;
  let length = 0;
  for (let b = 0; b < size; b++) length = Math.max(length, tokens[samples[b]].length);
  const rows = size * length;
  const ids = Array.from({ length: idChannels }, () => new Int32Array(rows));
  const values = new Float32Array(rows * valueDim);
  const coords = new Float32Array(rows * coordDim);
  const valid = new Float32Array(rows);
  let count = 0;
  for (let b = 0; b < size; b++) {
    const t = tokens[samples[b]];
    checkTokens(t, samples[b], layout);
    const row = b * length;
    for (let p = 0; p < t.length; p++) {
      for (let c = 0; c < idChannels; c++) ids[c][row + p] = t.ids[p * idChannels + c];
    }
    values.set(t.values, row * valueDim);
    coords.set(t.coords, row * coordDim);
    valid.fill(1, row, row + t.length);
    count += t.length;
  }
  return { size, length, valueDim, coordDim, ids, values, coords, valid, tokens: count };
}
