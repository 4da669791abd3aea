// Single-cell RNA-seq counts of K cell types simulated by the Splat model (Zappia, Phipson & Oshlack 2017, Genome Biology; Splatter's splatSimulate(method = "groups")).
import { z } from 'zod';
import { createRng, type Rng } from '../../harness/random.js';
import { carvedSizes, carveValidation, simulatedSplitSeed, splitByFraction, splitSeedOf, takeSplits, testSizeOf, valFractionOf } from '../split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type DatasetDefinition, type DatasetShape, type ExpressionSample } from '../types.js';

// Defaults are Splatter's SplatParams defaults except where noted.
export const syntheticExpressionParams = z
  .strictObject({
    cells: z.int().min(2).max(1_000_000).default(600).describe('Cells to simulate (train + test).'),
    genes: z.int().min(1).max(100_000).default(500).describe('Genes in the panel.'),
    types: z.int().min(2).max(1000).default(4).describe('Cell types (Splatter\'s nGroups); each is a class.'),
    type_prob: z.array(z.number().positive()).optional().describe('Relative frequency of each cell type, normalised to sum 1 (Splatter\'s group.prob); equal when omitted.'),
    mean_shape: z.number().positive().default(0.6).describe('Shape of the Gamma distribution of gene means: mean ~ Gamma(mean_shape, mean_rate).'),
    mean_rate: z.number().positive().default(0.3).describe('Rate of the Gamma distribution of gene means.'),
    /**
     * Expected library sizes ~ LogNormal(lib_loc, lib_scale). Splatter's 11 (≈60,000 counts) is
     * spread over 10,000 genes; 8 (≈3,000) keeps about its counts per gene on the 500-gene default panel.
     */
    lib_loc: z.number().default(8).describe('Location (log scale) of the LogNormal library sizes; 8 ≈ 3,000 counts per cell.'),
    lib_scale: z.number().min(0).default(0.2).describe('Scale (log scale) of the LogNormal library sizes.'),
    out_prob: z.number().min(0).max(1).default(0.05).describe('Probability that a gene is an expression outlier, set to the median mean × LogNormal(out_fac_loc, out_fac_scale).'),
    out_fac_loc: z.number().default(4).describe('Location of the LogNormal outlier factor.'),
    out_fac_scale: z.number().min(0).default(0.5).describe('Scale of the LogNormal outlier factor.'),
    de_prob: z.number().min(0).max(1).default(0.1).describe('Probability that a gene is differentially expressed in a cell type.'),
    de_down_prob: z.number().min(0).max(1).default(0.5).describe('Probability that a DE gene goes down rather than up.'),
    de_fac_loc: z.number().default(0.1).describe('Location of the LogNormal DE fold changes: factor ~ LogNormal(de_fac_loc, de_fac_scale).'),
    de_fac_scale: z.number().min(0).default(0.4).describe('Scale of the LogNormal DE fold changes.'),
    bcv_common: z.number().min(0).default(0.1).describe('Biological coefficient of variation: (bcv_common + 1/√mean) × √(bcv_df / χ²(bcv_df)).'),
    bcv_df: z.number().positive().default(60).describe('Degrees of freedom of the BCV\'s χ² scaling.'),
    // Off by default, as in Splatter: at the defaults the counts are already ~45% zeros.
    dropout: z.enum(['none', 'experiment']).default('none').describe('`experiment`: zero each count with probability logistic(ln(mean); dropout_mid, dropout_shape); `none`: no dropout.'),
    dropout_mid: z.number().default(0).describe('Midpoint (log mean) of the dropout logistic.'),
    dropout_shape: z.number().default(-1).describe('Shape of the dropout logistic (negative: low means drop out more).'),
    test_fraction: z.number().gt(0).lt(1).default(0.3).describe('Fraction of cells held out for testing, stratified by cell type.'),
    seed: z.int().min(0).max(0xffff_ffff).default(0).describe('Fixes the simulated cells and, unless `split_seed` is given, the split.'),
    [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe('Fixes only which cells go to training and which to testing, never the data; default: `seed`.'),
  })
  .refine((p) => p.type_prob === undefined || p.type_prob.length === p.types, {
    message: "The 'type_prob' parameter of synthetic-expression must have one entry per cell type ('types')",
    path: ['type_prob'],
  });
export type SyntheticExpressionParams = z.infer<typeof syntheticExpressionParams>;

/** The counts and, as Splatter keeps in rowData, the truth behind them. */
export interface SimulatedCells {
  readonly samples: ExpressionSample[];
  /** Cell type of each cell. */
  readonly labels: Int32Array;
  /** Gene means after outliers (Splatter's GeneMean). */
  readonly geneMeans: Float64Array;
  /** Per cell type, each gene's DE factor; 1 where the gene is not differentially expressed (DEFacGroup). */
  readonly deFactors: Float64Array[];
}

/** Splat's groups simulation, drawing in Splatter's order: types, library sizes, gene means, outliers, DE, BCV, counts, dropout. */
export function simulateSplat(p: SyntheticExpressionParams, rng: Rng): SimulatedCells {
  const labels = drawTypes(p, rng);
  const libSizes = Float64Array.from({ length: p.cells }, () => Math.exp(rng.normal(p.lib_loc, p.lib_scale)));
  const geneMeans = drawGeneMeans(p, rng);
  const deFactors = Array.from({ length: p.types }, () => lnormFactors(rng, p.genes, p.de_prob, p.de_down_prob, p.de_fac_loc, p.de_fac_scale));
  // Each type's share of a cell's library per gene: gene mean × DE factor, normalised to sum 1.
  const typeProps = deFactors.map((factors) => {
    const means = geneMeans.map((mean, j) => mean * factors[j]);
    const total = means.reduce((sum, mean) => sum + mean, 0);
    return means.map((mean) => mean / total);
  });
  // Splatter draws the χ² term once per gene (R recycles the nGenes draws down every cell's column).
  const bcvScale = Float64Array.from({ length: p.genes }, () => Math.sqrt(p.bcv_df / rng.gamma(p.bcv_df / 2, 0.5)));

  const counts = new Float64Array(p.genes);
  const samples = Array.from(labels, (type, cell): ExpressionSample => {
    const props = typeProps[type];
    for (let j = 0; j < p.genes; j++) {
      const base = props[j] * libSizes[cell];
      const bcv = (p.bcv_common + 1 / Math.sqrt(base)) * bcvScale[j];
      // Gamma with mean `base` and coefficient of variation `bcv`, then Poisson: a negative binomial count.
      const mean = base > 0 ? rng.gamma(1 / (bcv * bcv), 1 / (base * bcv * bcv)) : 0;
      let count = rng.poisson(mean);
      // A zero stays zero whatever the draw, so only non-zero counts consume one.
      if (count > 0 && p.dropout === 'experiment' && rng.uniform() < dropProbability(mean, p.dropout_mid, p.dropout_shape)) count = 0;
      counts[j] = count;
    }
    return toSparse(counts);
  });
  return { samples, labels, geneMeans, deFactors };
}

function drawTypes(p: SyntheticExpressionParams, rng: Rng): Int32Array {
  const weights = p.type_prob ?? new Array<number>(p.types).fill(1);
  const total = weights.reduce((sum, w) => sum + w, 0);
  let running = 0;
  const cumulative = weights.map((w) => (running += w / total));
  return Int32Array.from({ length: p.cells }, () => {
    const u = rng.uniform();
    const type = cumulative.findIndex((edge) => u < edge);
    // Rounding can leave the last edge a hair below 1.
    return type === -1 ? p.types - 1 : type;
  });
}

/** Base means ~ Gamma(shape, rate); outlier genes are replaced by the median base mean × their factor. */
function drawGeneMeans(p: SyntheticExpressionParams, rng: Rng): Float64Array {
  const base = Float64Array.from({ length: p.genes }, () => rng.gamma(p.mean_shape, p.mean_rate));
  const outliers = lnormFactors(rng, p.genes, p.out_prob, 0, p.out_fac_loc, p.out_fac_scale);
  const middle = median(base);
  return base.map((mean, j) => (outliers[j] === 1 ? mean : middle * outliers[j]));
}

/**
 * Splatter's getLNormFactors: each of n factors is 1 unless selected (probability selProb);
 * a selected one is LogNormal(loc, scale), inverted with probability negProb, after first
 * being flipped to ≥ 1, so negProb alone decides the direction.
 */
function lnormFactors(rng: Rng, n: number, selProb: number, negProb: number, loc: number, scale: number): Float64Array {
  const selected: number[] = [];
  for (let j = 0; j < n; j++) if (rng.uniform() < selProb) selected.push(j);
  const down = selected.map(() => rng.uniform() < negProb);
  const factors = new Float64Array(n).fill(1);
  selected.forEach((j, i) => {
    const draw = Math.exp(rng.normal(loc, scale));
    const up = draw >= 1 ? draw : 1 / draw;
    factors[j] = down[i] ? 1 / up : up;
  });
  return factors;
}

/** Splatter's logistic(ln(mean), x0 = mid, k = shape); a shape below 0 drops low means more often. */
function dropProbability(mean: number, mid: number, shape: number): number {
  return 1 / (1 + Math.exp(-shape * (Math.log(mean) - mid)));
}

/** R's median: the mean of the two middle values when the count is even. */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

function toSparse(counts: Float64Array): ExpressionSample {
  const genes: number[] = [];
  let librarySize = 0;
  counts.forEach((count, j) => {
    if (count > 0) {
      genes.push(j);
      librarySize += count;
    }
  });
  return {
    genes: Int32Array.from(genes),
    counts: Float32Array.from(genes, (j) => counts[j]),
    librarySize,
  };
}

/** 'Gene0001', …: 1-based like Splatter, zero-padded so names sort in panel order. */
export function geneNames(count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, j) => `Gene${String(j + 1).padStart(width, '0')}`);
}

/** What `load` will report for these params and validation share (see DatasetContext); checks the split before anything is simulated. */
function shapeOf(params: SyntheticExpressionParams, context: DatasetContext | undefined): DatasetShape<'expression'> {
  const testSize = testSizeOf(params.cells, params.test_fraction, 'synthetic-expression');
  return {
    info: { genes: geneNames(params.genes), values: 'counts' },
    ...carvedSizes(params.cells - testSize, context, 'synthetic-expression'),
    testSize,
    classes: params.types,
    files: [],
  };
}

export const syntheticExpression: DatasetDefinition<'expression', SyntheticExpressionParams> = {
  name: 'synthetic-expression',
  modality: 'expression',
  description: 'Splat-simulated single-cell RNA-seq counts of K cell types with differentially expressed genes (Zappia et al. 2017, Splatter)',
  params: syntheticExpressionParams,
  async describe(params, context) {
    return shapeOf(params, context);
  },
  async load(params, context) {
    const { info } = shapeOf(params, context);
    const { samples, labels } = simulateSplat(params, createRng(params.seed));
    const split = splitByFraction(labels, params.test_fraction, simulatedSplitSeed(splitSeedOf(params)), 'synthetic-expression');
    const rows = carveValidation(split, labels, valFractionOf(context), splitSeedOf(params), 'synthetic-expression');
    const sampleAt = (row: number) => samples[row];
    return {
      modality: 'expression',
      info,
      classNames: Array.from({ length: params.types }, (_, k) => `Type${k + 1}`),
      ...takeSplits(rows, labels, sampleAt),
    };
  },
};
