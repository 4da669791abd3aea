// Test helper: tiny token sets with structure a small encoder can learn in seconds.
import type { Tokens, TokenLayout } from '../../../strategies/types.js';
import { trainParams, type ModelParams, type TrainParams } from '../../../harness/model/params.js';
import { createRng } from '../../../harness/random.js';

export const VOCAB = 8;

/** One id channel (the target) and the position as coordinate. */
export const idLayout: TokenLayout = { idChannels: 1, vocabSizes: [VOCAB], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 0 }, maskSpan: 1 };

/** Two values per token (the target) and the position as coordinate. */
export const valueLayout: TokenLayout = { idChannels: 0, vocabSizes: [], valueDim: 2, coordDim: 1, target: { kind: 'values' }, maskSpan: 1 };

export const smallModel: ModelParams = { dim: 16, depth: 1, heads: 2, mlp_ratio: 2 };

export const quickTraining: TrainParams = trainParams.parse({ pretrain_budget: { epochs: 3 }, classify_budget: { epochs: 3 }, batch_size: 16, lr: 3e-3 });

/** Each sequence repeats one random id (lengths 6…12), so any unmasked token gives a masked one away. */
export function repeatedTokens(n: number, seed: number): Tokens[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const length = 6 + rng.int(7);
    const id = rng.int(VOCAB);
    return {
      length,
      ids: new Int32Array(length).fill(id),
      values: new Float32Array(0),
      coords: Float32Array.from({ length }, (_, t) => t),
      extent: [length],
      dropped: 0,
    };
  });
}

/** Class 0: every id is 1 (values near (0, 1)); class 1: every id is 6 (values near (1, 0)). */
export function separableTokens(n: number, seed: number, layout: TokenLayout): { tokens: Tokens[]; labels: Int32Array } {
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const tokens = Array.from(labels, (label) => {
    const length = 3 + rng.int(6);
    return {
      length,
      ids: new Int32Array(length * layout.idChannels).fill(label === 0 ? 1 : 6),
      values: Float32Array.from({ length: length * layout.valueDim }, (_, i) => (i % 2 === label ? 0 : 1) + rng.normal(0, 0.1)),
      coords: Float32Array.from({ length }, (_, t) => t),
      extent: [length],
      dropped: 0,
    };
  });
  return { tokens, labels };
}
