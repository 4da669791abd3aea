// Rank value encoding of a cell: its genes ordered by median-scaled expression, as in Geneformer (Theodoris et al. 2023, geneformer/tokenizer.py).
import { z } from 'zod';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { createDescendingSorter } from './descending-order.js';

const params = z.strictObject({
  max_len: z.int().min(1).default(2048).describe('Most tokens per cell; Geneformer V1 truncates at 2,048 (V2 uses 4,096 including <cls>/<eos>).'),
  target_sum: z.number().positive().default(10_000).describe('Counts are scaled to this total per cell before the median scaling, as Geneformer\'s `target_sum`.'),
});

export type RankParams = z.infer<typeof params>;

/**
 * Vocabulary: id 0 `<pad>`, id 1 `<mask>`, then gene g of the dataset's panel has id 2 + g.
 * Geneformer's V1 token dictionary (Genecorpus-30M) has the same two specials at 0 and 1 and
 * its genes from 2, but numbers them in its own Ensembl order; V2 (Genecorpus-104M) inserts
 * `<cls>` and `<eos>` at 2 and 3 and wraps every cell in them. We add neither: our model
 * mean-pools the tokens, so the layout is V1's with the dataset's panel as the gene order.
 */
const PAD = 0;
const MASK = 1;
const SPECIALS = ['<pad>', '<mask>'];
const FIRST_GENE = SPECIALS.length;

/** What `fit` learns from the training split; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface RankState {
  /** Median of each gene's non-zero values per `target_sum` over the training cells; 0 when the gene was never detected. */
  readonly medians: Float64Array;
  /** Mean median-scaled value at each rank position over the training cells reaching it (decode's magnitude estimate). */
  readonly meanScaledByRank: Float64Array;
}

export interface RankStrategy extends Strategy<'expression'> {
  fit(train: readonly ExpressionSample[]): void;
  /** Learned state; undefined until `fit`. */
  readonly state: RankState | undefined;
  /**
   * `medians.tsv` (gene, median; one line per panel gene in panel order, 0 when never detected) and
   * `rank-means.tsv` (0-based rank position, mean scaled value), numbers at full float64 precision.
   */
  artifacts(): Readonly<Record<string, string>>;
}

const EMPTY_VALUES = new Float32Array(0);

/** Geneformer normalises raw counts by each cell's library size itself; decode returns counts per target_sum. */
function checkRank(info: InfoOf['expression']): ParamProblem[] {
  if (info.values === 'counts') return [];
  return [{ path: [], message: `found a dataset of ${info.values} values; expected raw counts, which rank normalises itself as Geneformer does` }];
}

function createRank(p: RankParams, info: InfoOf['expression']): RankStrategy {
  // The runner checks first; this keeps direct library use from ranking values that are not counts.
  const [problem] = checkRank(info);
  if (problem !== undefined) throw new TokbenchError('input', `rank: ${problem.message}`, ['strategy', ...problem.path]);
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
      // Geneformer's `X / n_counts * target_sum / median`, in the same order, in float64.
      keys[n] = ((count / librarySize) * targetSum) / median;
      keyGene[n++] = g;
    }
    return { nonzero, order: sorter.order(n) };
  }

  function fitted(): RankState {
    if (state === undefined) throw new TokbenchError('not-fitted', 'rank learns gene medians from the training split; call fit(train) before encode, decode or artifacts');
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
    layout: { idChannels: 1, vocabSizes: [genes + FIRST_GENE], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: FIRST_GENE }, maskSpan: 1 },
    decodeNote:
      "Rank tokens carry no magnitudes, so the gene at rank position r is estimated as the training-set mean median-scaled value at r (the deepest trained position beyond it) times the gene's training median, per target_sum, and every other gene as 0.",

    get state() {
      return state;
    },

    fit(train: readonly ExpressionSample[]): void {
      if (train.length === 0) throw new TokbenchError('input', 'rank needs at least one training cell to learn gene medians');
      const medians = fitMedians(train);
      const sums = new Float64Array(p.max_len);
      const reached = new Int32Array(p.max_len);
      let depth = 0;
      for (const cell of train) {
        const { order } = rankCell(cell, medians);
        const length = Math.min(order.length, p.max_len);
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
      const length = Math.min(order.length, p.max_len);
      const ids = new Int32Array(length);
      const coords = new Float32Array(length);
      for (let r = 0; r < length; r++) {
        ids[r] = FIRST_GENE + keyGene[order[r]];
        coords[r] = r;
      }
      // Genes left out for want of a median count as dropped, like truncated ones.
      const dropped = nonzero === 0 ? 0 : (nonzero - length) / nonzero;
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
        const r = tokens.coords[t];
        if (id === PAD || id === MASK) continue;
        const g = geneIndex(id - FIRST_GENE);
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
      return id === PAD || id === MASK ? new Int32Array(0) : Int32Array.of(geneIndex(id - FIRST_GENE));
    },

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return id < FIRST_GENE && id >= 0 ? SPECIALS[id] : info.genes[geneIndex(id - FIRST_GENE)];
    },
  };
}

export const rank = {
  name: 'rank',
  modality: 'expression',
  description: 'Genes ranked by expression scaled by their training-set non-zero median, truncated to max_len (Geneformer, Theodoris et al. 2023)',
  params,
  create: createRank,
  check: (_params, info) => checkRank(info),
} satisfies StrategyDefinition<'expression', RankParams>;
