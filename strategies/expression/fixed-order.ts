// Every gene of the panel in panel order, its log-normalised value in global fixed-width bins, as scBERT (Yang et al. 2022; TencentAILabHealthcare/scBERT preprocess.py, pretrain.py, finetune.py).
import { z } from 'zod';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { FIRST_GENE } from './gene-vocabulary.js';
import { FIRST_BIN, geneBinTokens } from './gene-bin-tokens.js';
import { logNormalisedCell } from '../../datasets/expression/log-normalised.js';
import { acceptValues, refuseProblems } from './values.js';

/**
 * scBERT's preprocess.py normalises to 10⁴ per cell and takes log2(1 + x) (`sc.pp.log1p(base=2)`); its
 * datasets clip values above `bin_num` (5) to 5 and truncate to an integer (`.long()`), so a gene's level is
 * ⌊log2(1 + x)⌋ capped at 5: six levels, 0 … 5, of width 1, the last open above. On tokbench's natural log
 * that is bins of width ln 2 — ln(1 + x) ≥ k·ln 2 exactly when log2(1 + x) ≥ k — hence n_bins 6 and max_value
 * 6·ln 2 = ln 64 by default.
 */
const SCBERT_BINS = 6;
const SCBERT_MAX_VALUE = SCBERT_BINS * Math.LN2;

const params = z.strictObject({
  n_bins: z
    .int()
    .min(2)
    .default(SCBERT_BINS)
    .describe("Value levels, bin 0 included, which holds the undetected genes and any value below the first edge; scBERT's default bin_num 5 gives levels 0 … 5, i.e. 6."),
  max_value: z
    .number()
    .positive()
    .default(SCBERT_MAX_VALUE)
    .describe(
      'Top of the last bin in log1p(counts per 10k); values above it fall into the last bin, and the bins are max_value / n_bins wide. The default ln 64 ≈ 4.159 with 6 bins gives width ln 2: scBERT\'s integer bins of log2(1 + counts per 10k).',
    ),
});

export type FixedOrderParams = z.infer<typeof params>;

const NAME = 'fixed-order';
const EMPTY = new Float32Array(0);

/** What `fit` learns from the training split; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface FixedOrderState {
  /**
   * The log-normalised value each bin decodes to: the training split's mean of the values in it; 0 for bin 0
   * (the undetected genes); a bin no training value fell in, its centre.
   */
  readonly meanByBin: Float64Array;
}

export interface FixedOrderStrategy extends Strategy<'expression'> {
  fit(train: readonly ExpressionSample[]): void;
  /** Learned state; undefined until `fit`. */
  readonly state: FixedOrderState | undefined;
  /** `bin-means.tsv`: bin, its lower edge and the value it decodes to, in log1p(counts per 10k) at full float64 precision. */
  artifacts(): Readonly<Record<string, string>>;
}

/** scBERT bins values it normalised and logged itself; values already logged or scaled would be logged again. */
function checkFixedOrder(info: InfoOf['expression']): ParamProblem[] {
  return acceptValues(
    info,
    ['counts', 'normalised'],
    "fixed-order normalises and log1p-transforms the values itself before binning them, as scBERT's preprocessing does (normalize_total 1e4, log1p)",
  );
}

function createFixedOrder(p: FixedOrderParams, info: InfoOf['expression']): FixedOrderStrategy {
  // The runner checks first; this keeps direct library use from binning values fixed-order cannot use.
  refuseProblems(NAME, checkFixedOrder(info));
  const genes = info.genes.length;
  /** Lower edge of each bin, k · max_value / n_bins (multiplied first, so the default's edges are exactly k · ln 2). */
  const edges = Float64Array.from({ length: p.n_bins }, (_, k) => (k * p.max_value) / p.n_bins);
  let state: FixedOrderState | undefined;

  /** The last bin whose lower edge is ≤ v: a value on an edge goes up, as scBERT's truncation to an integer does. */
  function binOf(v: number): number {
    let lo = 0;
    let hi = p.n_bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function fitted(): FixedOrderState {
    if (state === undefined) throw new TokbenchError('not-fitted', `${NAME} learns the mean value of each bin from the training split for decode; call fit(train) before encode, decode or artifacts`);
    return state;
  }

  const tokenCodec = geneBinTokens(NAME, info, p.n_bins);

  return {
    // The gene id is the position, as scBERT's gene2vec embedding.
    // scBERT never masks level-0 tokens (MASK_IGNORE_TOKEN_IDS = [0]); here bin 0 is a target like any bin, as the
    // harness masks every strategy's tokens alike, so most masked targets of sparse cells are bin 0.
    layout: tokenCodec.layout,
    decodeNote:
      'Each gene decodes to the training-split mean log-normalised value of its bin (a bin no training value reached, to its centre); bin 0 decodes to 0, so non-zero values below the first edge (under 1 count per 10k with the defaults), which share it with the undetected genes, decode as 0.',

    get state() {
      return state;
    },

    fit(train: readonly ExpressionSample[]): void {
      const sums = new Float64Array(p.n_bins);
      const counts = new Int32Array(p.n_bins);
      for (const cell of train) {
        for (const v of logNormalisedCell(NAME, info, cell)) {
          const b = binOf(v);
          sums[b] += v;
          counts[b]++;
        }
      }
      const meanByBin = Float64Array.from(edges, (lower, b) => (b === 0 ? 0 : counts[b] > 0 ? sums[b] / counts[b] : lower + p.max_value / p.n_bins / 2));
      state = { meanByBin };
    },

    artifacts() {
      const { meanByBin } = fitted();
      const rows = Array.from(meanByBin, (mean, b) => `${b}\t${String(edges[b])}\t${String(mean)}\n`);
      return { 'bin-means.tsv': `bin\tlower_edge\tdecodes_to\n${rows.join('')}` };
    },

    /**
     * One token per panel gene, in panel order, with no selection: the length is the panel size. scBERT appends
     * one more token (value 0) in the place of a [CLS]; it is left out, as the model mean-pools.
     */
    encode(cell: ExpressionSample): Tokens {
      // The tokens need no fitted state, but a fitted strategy refuses to encode before fit (STYLE rule 4).
      fitted();
      const values = logNormalisedCell(NAME, info, cell);
      const ids = new Int32Array(2 * genes);
      for (let g = 0; g < genes; g++) {
        ids[2 * g] = FIRST_GENE + g;
        ids[2 * g + 1] = FIRST_BIN;
      }
      for (let i = 0; i < values.length; i++) ids[2 * cell.genes[i] + 1] = FIRST_BIN + binOf(values[i]);
      return { length: genes, ids, values: EMPTY, coords: EMPTY, extent: [genes], dropped: 0 };
    },

    decode: (tokens: Tokens): ExpressionSample => tokenCodec.decode(tokens, fitted().meanByBin),
    covers: tokenCodec.covers,
    label: tokenCodec.label,
  };
}

export const fixedOrder = {
  name: NAME,
  modality: 'expression',
  description: 'Every panel gene in panel order with log1p(counts per 10k) in global fixed-width bins, no selection (scBERT, Yang et al. 2022); counts or normalised values',
  params,
  create: createFixedOrder,
  check: (_params, info) => checkFixedOrder(info),
  tokensPerSample: (_params, info) => info.genes.length,
} satisfies StrategyDefinition<'expression', FixedOrderParams>;
