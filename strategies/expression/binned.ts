// A cell's non-zero genes, each a (gene id, per-cell quantile bin of its value) token, as scGPT (Cui et al. 2024; bowang-lab/scGPT scgpt/preprocess.py `binning`, `_digitize`; scgpt/tokenizer/gene_tokenizer.py `tokenize_batch`, `pad_batch`).
import { z } from 'zod';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Rng } from '../../harness/random.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { FIRST_GENE } from './gene-vocabulary.js';
import { FIRST_BIN, geneBinTokens } from './gene-bin-tokens.js';
import { logNormalisedCell } from '../../datasets/expression/log-normalised.js';
import { acceptValues, refuseProblems, requireRandom } from './values.js';

const params = z.strictObject({
  n_bins: z
    .int()
    .min(2)
    .default(51)
    .describe("Value bins, bin 0 included, which holds the zeros: a cell's non-zero values fall in bins 1 … n_bins − 1 between n_bins − 1 quantiles of them; scGPT's `n_bins`, 51 in its pretraining and tutorials."),
  max_len: z
    .int()
    .min(1)
    .default(1200)
    .describe("Most tokens per cell: a cell with more keeps max_len genes drawn at random without replacement, in panel order (scGPT's `pad_batch`); 1,200 is the max_length of scGPT's cell-embedding task (scgpt/tasks/cell_emb.py) and its tutorials' n_hvg."),
  include_zeros: z
    .boolean()
    .default(false)
    .describe("Also tokenize the panel genes the cell did not express, in bin 0 (scGPT's `include_zero_gene`); every cell then has min(panel size, max_len) tokens."),
});

export type BinnedParams = z.infer<typeof params>;

const NAME = 'binned';
const EMPTY = new Float32Array(0);

/** ⌊a / b⌋ of integers a ≥ 0, b > 0, without rounding the quotient. */
const floorDiv = (a: number, b: number) => (a - (a % b)) / b;

/** What `fit` learns from the training split; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface BinnedState {
  /**
   * The log-normalised value each bin decodes to: the training split's mean of the non-zero values binned
   * in it; 0 for bin 0; a bin no training value fell in, interpolated between the nearest trained bins (past
   * the first or last trained bin, its mean).
   */
  readonly meanByBin: Float64Array;
  /** How many training values fell in each bin (0: its mean is interpolated). */
  readonly valuesInBin: Float64Array;
}

export interface BinnedStrategy extends Strategy<'expression'> {
  /** Bins the training cells with `random` (values on repeated edges are spread as in encode) to learn each bin's mean. */
  fit(train: readonly ExpressionSample[], random: Rng): void;
  /** Learned state; undefined until `fit`. */
  readonly state: BinnedState | undefined;
  /** `bin-means.tsv`: bin, training values in it and the value it decodes to, in log1p(counts per 10k) at full float64 precision. */
  artifacts(): Readonly<Record<string, string>>;
}

/** scGPT bins log1p-normalised values (normalize_total 1e4, log1p, then `binning`, which refuses negative data). */
function checkBinned(info: InfoOf['expression']): ParamProblem[] {
  return acceptValues(
    info,
    ['counts', 'normalised', 'log1p'],
    "binned splits each cell's non-negative log-normalised values at their quantiles, as scGPT's preprocessing does, and scaled values are centred per gene (negative) and cannot be brought back to them",
  );
}

/**
 * The bin of each of a cell's values (0 for a zero), in order. scGPT's `binning` takes as edges numpy's
 * linear-interpolation quantiles of the cell's n non-zero values at linspace(0, 1, n_bins − 1); `_digitize` then
 * bins x from left = #edges ≤ x and right = #edges < x (np.digitize without and with right=True) as
 * ceil(r·(right − left) + left), one uniform r in [0, 1) per value: left when no edge equals x (left = right),
 * else uniform over right + 1 … left, so a value on a run of equal edges is spread at random among their bins. left − ⌊r·(left − right)⌋ is the same number; only
 * values with two or more bins to choose from draw here, in the cell's order.
 *
 * Edges are compared in exact arithmetic, by position. Edge k lies at index v_k = k(n − 1)/(n_bins − 2) of the
 * sorted values (v_0 = 0 for n_bins 2: linspace(0, 1, 1) is [0]), and an edge between two different values lies
 * strictly between them; so for x at sorted positions lo … hi, edge k ≤ x exactly when v_k ≤ hi, and edge k < x
 * exactly when v_k < lo: left = ⌊hi(n_bins − 2)/(n − 1)⌋ + 1 and right = ⌈lo(n_bins − 2)/(n − 1)⌉ (n_bins − 1
 * and 0 for a lone value, which every edge equals). The bins depend on the values' order alone, so raw counts and
 * their log1p per 10k give the same bins (both increase with the count within a cell).
 *
 * numpy interpolates in floating point: an index such as 35 computed as 34.999… can put an edge that equals a
 * value one ulp below it, which narrows that value's range. [2, 3, 3, 3, 3, 4, 4, 4] at 51 bins: np.digitize's
 * right for the 4s is 36 on these float32 counts, 35 on their log1p per 10k (library 100) and 35 here. On 3,000
 * simulated cells at 51 bins, 1 % had a value whose left or right differs from numpy's; numpy's own bins of
 * counts and of their log1p differed in 1 cell.
 */
function binValues(values: Float64Array, nBins: number, random: Rng): Int32Array {
  const sorted = values.filter((v) => v > 0).sort();
  const n = sorted.length;
  const edges = nBins - 1;
  const bins = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === 0) continue;
    const lo = firstAtLeast(sorted, x);
    const hi = firstAtLeast(sorted, x, true) - 1;
    const left = n === 1 ? edges : floorDiv(hi * (edges - 1), n - 1) + 1;
    // ⌈a / b⌉ = ⌊(a + b − 1) / b⌋.
    const right = n === 1 ? 0 : floorDiv(lo * (edges - 1) + n - 2, n - 1);
    bins[i] = left - right > 1 ? left - random.int(left - right) : left;
  }
  return bins;
}

/** The first index of ascending `sorted` whose value is ≥ x (> x when `after`): numpy's searchsorted left (right). */
function firstAtLeast(sorted: Float64Array, x: number, after = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x || (after && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `keep` of the positions 0 … n − 1, every subset equally likely, ascending (selection sampling, Knuth TAOCP
 * 3.4.2 Algorithm S). scGPT's `pad_batch` draws np.random.choice(n, max_len, replace=False) and keeps the drawn
 * order; order means nothing to its model (no positional encoding) nor to ours (no coordinates), so panel order
 * keeps the tokens of a draw canonical.
 */
function sampleInOrder(n: number, keep: number, random: Rng): Int32Array {
  const kept = new Int32Array(keep);
  for (let i = 0, j = 0; j < keep; i++) if (random.int(n - i) < keep - j) kept[j++] = i;
  return kept;
}

/**
 * Each bin's mean, from per-bin sums and counts; a bin no value fell in takes the straight line between the
 * nearest trained bins on either side, or the nearest one's mean past the first or last (0 when none is).
 */
function binMeans(sums: Float64Array, counts: Float64Array): Float64Array {
  const means = new Float64Array(sums.length);
  const trained = Int32Array.from(counts.keys()).filter((b) => b > 0 && counts[b] > 0);
  for (const b of trained) means[b] = sums[b] / counts[b];
  for (let b = 1, next = 0; b < means.length; b++) {
    if (counts[b] > 0) continue;
    while (next < trained.length && trained[next] < b) next++;
    const below = next > 0 ? trained[next - 1] : -1;
    const above = next < trained.length ? trained[next] : -1;
    if (below >= 0 && above >= 0) means[b] = means[below] + ((means[above] - means[below]) * (b - below)) / (above - below);
    else if (below >= 0 || above >= 0) means[b] = means[Math.max(below, above)];
  }
  return means;
}

function createBinned(p: BinnedParams, info: InfoOf['expression']): BinnedStrategy {
  // The runner checks first; this keeps direct library use from binning values binned cannot use.
  refuseProblems(NAME, checkBinned(info));
  const genes = info.genes.length;
  /** Every panel gene, the candidates of a cell with `include_zeros`. */
  const panel = Int32Array.from({ length: genes }, (_, g) => g);
  let state: BinnedState | undefined;

  function fitted(): BinnedState {
    if (state === undefined) throw new TokbenchError('not-fitted', `${NAME} learns the mean value of each bin from the training split for decode; call fit(train, random) before encode, decode or artifacts`);
    return state;
  }

  const tokenCodec = geneBinTokens(NAME, info, p.n_bins);

  return {
    // No positional encoding: scGPT's gene embedding places the value.
    layout: tokenCodec.layout,
    decodeNote:
      "The tokens carry no cell's quantile edges, so a gene decodes to the training split's mean log-normalised value of the non-zero values in its bin (a bin no training value fell in, to the line between the nearest trained bins); bin 0 and the genes without a token (zeros, and non-zero genes cut by max_len) decode as 0.",

    get state() {
      return state;
    },

    fit(train: readonly ExpressionSample[], random: Rng): void {
      const sums = new Float64Array(p.n_bins);
      const counts = new Float64Array(p.n_bins);
      for (const cell of train) {
        const values = logNormalisedCell(NAME, info, cell);
        const bins = binValues(values, p.n_bins, random);
        for (let i = 0; i < values.length; i++) {
          if (bins[i] === 0) continue;
          sums[bins[i]] += values[i];
          counts[bins[i]]++;
        }
      }
      state = { meanByBin: binMeans(sums, counts), valuesInBin: counts };
    },

    artifacts() {
      const { meanByBin, valuesInBin } = fitted();
      const rows = Array.from(meanByBin, (mean, b) => `${b}\t${valuesInBin[b]}\t${String(mean)}\n`);
      return { 'bin-means.tsv': `bin\ttraining_values\tdecodes_to\n${rows.join('')}` };
    },

    /** Bins first, then (over max_len) the sample of genes, both from `random`: the tokens are a function of (seed, source row). */
    encode(cell: ExpressionSample, random?: Rng): Tokens {
      // The tokens need no fitted state, but a fitted strategy refuses to encode before fit (STYLE rule 4).
      fitted();
      const draw = requireRandom(NAME, random);
      const values = logNormalisedCell(NAME, info, cell);
      const bins = binValues(values, p.n_bins, draw);
      let nonzero = 0;
      for (const b of bins) if (b > 0) nonzero++;
      // The candidates: every panel gene (zeros in bin 0) with include_zeros, else the non-zero genes, in panel order.
      let candidateGenes = panel;
      let candidateBins: Int32Array;
      if (p.include_zeros) {
        candidateBins = new Int32Array(genes);
        for (let i = 0; i < bins.length; i++) candidateBins[cell.genes[i]] = bins[i];
      } else {
        candidateGenes = new Int32Array(nonzero);
        candidateBins = new Int32Array(nonzero);
        for (let i = 0, c = 0; i < bins.length; i++) {
          if (bins[i] === 0) continue;
          candidateGenes[c] = cell.genes[i];
          candidateBins[c++] = bins[i];
        }
      }
      const kept = candidateGenes.length > p.max_len ? sampleInOrder(candidateGenes.length, p.max_len, draw) : undefined;
      const length = kept === undefined ? candidateGenes.length : p.max_len;
      const ids = new Int32Array(2 * length);
      let keptNonzero = 0;
      for (let t = 0; t < length; t++) {
        const c = kept === undefined ? t : kept[t];
        ids[2 * t] = FIRST_GENE + candidateGenes[c];
        ids[2 * t + 1] = FIRST_BIN + candidateBins[c];
        if (candidateBins[c] > 0) keptNonzero++;
      }
      const dropped = nonzero === 0 ? 0 : (nonzero - keptNonzero) / nonzero;
      return { length, ids, values: EMPTY, coords: EMPTY, extent: [genes], dropped };
    },

    decode: (tokens: Tokens): ExpressionSample => tokenCodec.decode(tokens, fitted().meanByBin),
    covers: tokenCodec.covers,
    label: tokenCodec.label,
  };
}

export const binned = {
  name: NAME,
  modality: 'expression',
  description: "Non-zero genes as (gene id, per-cell quantile bin of the value) tokens, values on repeated edges spread at random and genes over max_len sampled at random (scGPT, Cui et al. 2024); counts, normalised or log1p values",
  params,
  create: createBinned,
  check: (_params, info) => checkBinned(info),
  tokensPerSample: (p, info) => (p.include_zeros ? Math.min(info.genes.length, p.max_len) : undefined),
  seeded: true,
} satisfies StrategyDefinition<'expression', BinnedParams>;
