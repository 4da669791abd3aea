// Rank value encoding of a cell: its genes ordered by median-scaled expression, as in Geneformer (Theodoris et al. 2023, geneformer/tokenizer.py).
import { z } from 'zod';
import { resolveDataPath } from '../../datasets/paths.js';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyContext, StrategyDefinition, Tokens } from '../types.js';
import { createDescendingSorter } from './descending-order.js';
import { SPECIALS } from './gene-vocabulary.js';
import { panelMedians } from './medians-file.js';
import { acceptValues, readProblems, refuseProblems } from './values.js';

const params = z.strictObject({
  max_len: z
    .int()
    .min(1)
    .default(2048)
    .describe('Most tokens per cell, <cls> and <eos> included with `special_tokens`; Geneformer V1 truncates at 2,048, V2 at 4,096 (its `model_input_size`).'),
  target_sum: z
    .number()
    .positive()
    .default(10_000)
    .describe(
      "Each value is divided by the cell's library size and multiplied by this before the median scaling, as Geneformer's `X / n_counts * target_sum`. With normalised values the library size is their row total, so they are rescaled to this total: a factor per cell, which leaves each cell's order alone but sets the scale that fitted medians have and a `medians` file must have.",
    ),
  medians: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A gene<TAB>median file (Geneformer's `gene_median_file` as text; gzip accepted), relative to the sweep file's folder, used instead of medians fitted on the training split; medians per `target_sum`. Genes by the dataset's gene names, matched exactly; panel genes it does not name are dropped and count in `dropped`, as Geneformer drops genes outside its dictionary. A first line whose second field is not a number is a header.",
    ),
  special_tokens: z
    .boolean()
    .default(false)
    .describe("Geneformer V2's layout (its `special_token`): <cls> first and <eos> last, the ranked genes truncated to max_len − 2; the vocabulary gains <cls> (2) and <eos> (3) and genes start at 4."),
});

export type RankParams = z.infer<typeof params>;

/**
 * Vocabulary: `<pad>` 0, `<mask>` 1, with `special_tokens` `<cls>` 2 and `<eos>` 3, then the genes in the
 * dataset's panel order. Geneformer's V1 token dictionary (Genecorpus-30M, read from its pickle) holds the first
 * two and genes from 2. V2's (Genecorpus-104M) starts with four `<…>` entries before its Ensembl ids (NVIDIA
 * BioNeMo's Geneformer loss script asserts it); <cls> 2 and <eos> 3 is the order V2 pipelines' stand-in
 * dictionaries use, the V2 pickle itself being out of reach here. Both number genes in their own Ensembl order;
 * the panel's order stands in for it.
 */
const V2_SPECIALS = [...SPECIALS, '<cls>', '<eos>'];
const CLS = 2;
const EOS = 3;

/** What `fit` learns from the training split; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface RankState {
  /** Median of each gene's non-zero values per `target_sum` over the training cells, or from the `medians` file; 0 for a gene left out (never detected, or not in the file). */
  readonly medians: Float64Array;
  /** Mean median-scaled value at each rank position over the training cells reaching it (decode's magnitude estimate). */
  readonly meanScaledByRank: Float64Array;
}

export interface RankStrategy extends Strategy<'expression'> {
  fit(train: readonly ExpressionSample[]): void;
  /** Learned state; undefined until `fit`. */
  readonly state: RankState | undefined;
  /**
   * `medians.tsv` (gene, median; one line per panel gene in panel order, 0 for a gene left out) and
   * `rank-means.tsv` (0-based rank position, mean scaled value), numbers at full float64 precision.
   */
  artifacts(): Readonly<Record<string, string>>;
}

const EMPTY_VALUES = new Float32Array(0);

const VALUES_WHY = "rank divides each value by the cell's library size and by the gene's median, as Geneformer does with raw counts, which needs values proportional to counts";

/** The values rank accepts, room for the specials, and a usable `medians` file (read now, so a sweep is refused before it runs). */
function checkRank(p: RankParams, info: InfoOf['expression'], context?: StrategyContext): ParamProblem[] {
  const problems = acceptValues(info, ['counts', 'normalised'], VALUES_WHY);
  if (p.special_tokens && p.max_len < 3) {
    problems.push({ path: ['max_len'], message: `found max_len ${p.max_len} with special_tokens; expected at least 3, room for <cls>, one gene and <eos>` });
  }
  const { medians } = p;
  if (medians !== undefined) problems.push(...readProblems(() => panelMedians(resolveDataPath(medians, context), info.genes)));
  return problems;
}

function createRank(p: RankParams, info: InfoOf['expression'], context?: StrategyContext): RankStrategy {
  // The runner checks first; this keeps direct library use from ranking values rank cannot use.
  refuseProblems('rank', checkRank(p, info, context));
  const givenMedians = p.medians === undefined ? undefined : panelMedians(resolveDataPath(p.medians, context), info.genes);
  const specials = p.special_tokens ? V2_SPECIALS : SPECIALS;
  const firstGene = specials.length;
  /** Tokens before the first gene (the <cls>); a gene's coordinate is its token position, its rank plus this. */
  const lead = p.special_tokens ? 1 : 0;
  /** Most genes a cell keeps: Geneformer V2 truncates to `model_input_size - 2` before adding <cls> and <eos>. */
  const geneSlots = p.special_tokens ? p.max_len - 2 : p.max_len;
  const genes = info.genes.length;
  const sorter = createDescendingSorter(genes);
  /** Gene of each key in the sorter, in the cell's (ascending) gene order. */
  const keyGene = new Int32Array(genes);
  let state: RankState | undefined;

  function checkCell(cell: ExpressionSample): void {
    if (cell.counts.length !== cell.genes.length) {
      throw new TokbenchError('input', `rank got a cell with ${cell.genes.length} gene indices but ${cell.counts.length} counts`);
    }
    if (cell.genes.length > genes) {
      throw new TokbenchError('input', `rank got a cell listing ${cell.genes.length} genes but the panel has ${genes}`);
    }
    if (!(cell.librarySize > 0) && cell.counts.some((c) => c !== 0)) {
      throw new TokbenchError('input', `rank got a cell with non-zero counts but library size ${cell.librarySize}`);
    }
  }

  function geneIndex(g: number): number {
    if (!(g >= 0 && g < genes)) throw new TokbenchError('input', `rank got gene index ${g} outside the panel of ${genes} genes`);
    return g;
  }

  /**
   * Fills the sorter with the cell's median-scaled values (non-zero genes with a median only) and
   * orders them. Genes arrive in ascending panel order and the sort is stable, so ties go to the
   * lower panel index: numpy's argsort, which Geneformer uses, leaves tie order unspecified.
   */
  function rankCell(cell: ExpressionSample, medians: Float64Array): { nonzero: number; order: Int32Array } {
    checkCell(cell);
    const { counts, librarySize } = cell;
    const cellGenes = cell.genes;
    const keys = sorter.keys;
    const targetSum = p.target_sum;
    let nonzero = 0;
    let n = 0;
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i];
      if (count === 0) continue;
      if (!(count > 0 && count < Infinity)) throw new TokbenchError('input', `rank got a count of ${count}; counts must be finite and ≥ 0`);
      nonzero++;
      const g = geneIndex(cellGenes[i]);
      const median = medians[g];
      if (median === 0) continue;
      // Geneformer's `X / n_counts * target_sum / median`, in the same order, in float64. `n_counts` is the
      // cell's whole library (the reader's `librarySize`: its total column, or the row sum over the file's full
      // panel), never the sum over the genes kept here.
      keys[n] = ((count / librarySize) * targetSum) / median;
      keyGene[n++] = g;
    }
    return { nonzero, order: sorter.order(n) };
  }

  function fitted(): RankState {
    if (state === undefined) {
      throw new TokbenchError('not-fitted', "rank learns gene medians (unless given a `medians` file) and decode's mean scaled value per rank from the training split; call fit(train) before encode, decode or artifacts");
    }
    return state;
  }

  /** Exact median of each gene's non-zero normalised values (numpy's rule: mean of the two middle values when even). */
  function fitMedians(train: readonly ExpressionSample[]): Float64Array {
    const starts = new Int32Array(genes + 1);
    for (const cell of train) {
      checkCell(cell);
      for (let i = 0; i < cell.counts.length; i++) if (cell.counts[i] > 0) starts[geneIndex(cell.genes[i]) + 1]++;
    }
    for (let g = 0; g < genes; g++) starts[g + 1] += starts[g];
    const values = new Float64Array(starts[genes]);
    const fill = starts.slice(0, genes);
    for (const cell of train) {
      for (let i = 0; i < cell.counts.length; i++) {
        if (cell.counts[i] > 0) values[fill[cell.genes[i]]++] = (cell.counts[i] / cell.librarySize) * p.target_sum;
      }
    }
    const medians = new Float64Array(genes);
    for (let g = 0; g < genes; g++) {
      const n = starts[g + 1] - starts[g];
      if (n === 0) continue;
      const sorted = values.subarray(starts[g], starts[g + 1]).sort();
      medians[g] = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
    return medians;
  }

  return {
    layout: { idChannels: 1, vocabSizes: [genes + firstGene], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: firstGene }, maskSpan: 1 },
    decodeNote:
      "Rank tokens carry no magnitudes, so the gene at rank position r is estimated as the training-set mean median-scaled value at r (the deepest trained position beyond it) times the gene's median (fitted, or from the `medians` file), per target_sum, and every other gene as 0.",

    get state() {
      return state;
    },

    fit(train: readonly ExpressionSample[]): void {
      if (train.length === 0) throw new TokbenchError('input', "rank needs at least one training cell to learn decode's mean scaled value per rank");
      // A medians file replaces the fitted medians only; the rank means are always the training split's.
      const medians = givenMedians ?? fitMedians(train);
      const sums = new Float64Array(geneSlots);
      const reached = new Int32Array(geneSlots);
      let depth = 0;
      for (const cell of train) {
        const { order } = rankCell(cell, medians);
        const length = Math.min(order.length, geneSlots);
        for (let r = 0; r < length; r++) {
          sums[r] += sorter.keys[order[r]];
          reached[r]++;
        }
        depth = Math.max(depth, length);
      }
      const meanScaledByRank = new Float64Array(depth);
      for (let r = 0; r < depth; r++) meanScaledByRank[r] = sums[r] / reached[r];
      state = { medians, meanScaledByRank };
    },

    artifacts() {
      const { medians, meanScaledByRank } = fitted();
      const lines = (header: string, values: Float64Array, key: (i: number) => string) =>
        [header, ...Array.from(values, (value, i) => `${key(i)}\t${String(value)}`)].join('\n') + '\n';
      return {
        'medians.tsv': lines('gene\tmedian', medians, (g) => info.genes[g]),
        'rank-means.tsv': lines('rank\tmean_scaled', meanScaledByRank, String),
      };
    },

    encode(cell: ExpressionSample): Tokens {
      const { nonzero, order } = rankCell(cell, fitted().medians);
      const kept = Math.min(order.length, geneSlots);
      // Geneformer drops a cell with no gene in its dictionary; every sample stays here, so with the specials
      // such a cell is <cls> <eos> alone.
      const length = kept + 2 * lead;
      const ids = new Int32Array(length);
      const coords = new Float32Array(length);
      for (let t = 0; t < length; t++) coords[t] = t;
      if (p.special_tokens) {
        ids[0] = CLS;
        ids[length - 1] = EOS;
      }
      for (let r = 0; r < kept; r++) ids[lead + r] = firstGene + keyGene[order[r]];
      // Genes left out for want of a median count as dropped, like truncated ones.
      const dropped = nonzero === 0 ? 0 : (nonzero - kept) / nonzero;
      return { length, ids, values: EMPTY_VALUES, coords, extent: [genes], dropped };
    },

    decode(tokens: Tokens): ExpressionSample {
      const { medians, meanScaledByRank } = fitted();
      const estimate = new Float64Array(genes);
      const seen = new Uint8Array(genes);
      const deepest = meanScaledByRank.length - 1;
      let present = 0;
      // A predicted list may repeat a gene; its first (highest-ranked) occurrence wins. The rank is read from
      // the coords, never from the token's index, so a subset of the tokens (the visible ones) decodes alike.
      for (let t = 0; t < tokens.length; t++) {
        const id = tokens.ids[t];
        const r = tokens.coords[t] - lead;
        // Position 0 is <cls>'s with the specials: a gene there was predicted where <cls> was masked and has no
        // rank. One at <eos>'s position reads as the rank after the last gene, as a gene cut by max_len would.
        if (id < firstGene || r < 0) continue;
        const g = geneIndex(id - firstGene);
        if (seen[g] === 1) continue;
        seen[g] = 1;
        if (medians[g] === 0 || deepest < 0) continue;
        estimate[g] = meanScaledByRank[Math.min(r, deepest)] * medians[g];
        present++;
      }
      const outGenes = new Int32Array(present);
      const outCounts = new Float32Array(present);
      for (let g = 0, j = 0; g < genes; g++) {
        if (estimate[g] === 0) continue;
        outGenes[j] = g;
        outCounts[j++] = estimate[g];
      }
      return { genes: outGenes, counts: outCounts, librarySize: p.target_sum };
    },

    covers(tokens: Tokens, i: number): Int32Array {
      const id = tokens.ids[i];
      return id < firstGene ? new Int32Array(0) : Int32Array.of(geneIndex(id - firstGene));
    },

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return id < firstGene && id >= 0 ? specials[id] : info.genes[geneIndex(id - firstGene)];
    },
  };
}

export const rank = {
  name: 'rank',
  modality: 'expression',
  description: 'Genes ranked by expression scaled by their non-zero median (fitted on the training split or from a file), truncated to max_len; V1 or V2 layout (Geneformer, Theodoris et al. 2023); counts or normalised values',
  params,
  create: createRank,
  check: checkRank,
  files: (p, context) => (p.medians === undefined ? [] : [resolveDataPath(p.medians, context)]),
} satisfies StrategyDefinition<'expression', RankParams>;
