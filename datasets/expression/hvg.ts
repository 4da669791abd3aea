// Highly variable genes by Seurat's dispersion rule, as scanpy's highly_variable_genes(flavor='seurat', n_top_genes=N) (Satija et al. 2015; scanpy/preprocessing/_highly_variable_genes.py).
import { TokbenchError } from '../../harness/errors.js';
import type { ExpressionSample, ExpressionValues } from '../types.js';
import { countsPerTarget } from './log-normalised.js';

/** scanpy's default `n_bins`: equal-width bins of log mean expression. */
const MEAN_BINS = 20;
/** scanpy replaces a zero mean by this before dividing. */
const ZERO_MEAN = 1e-12;

/**
 * A stored value as expm1 of its log-normalised value: scanpy's seurat flavour expects log1p data and
 * takes expm1 of it, so counts become counts per 10k, normalised values stay, log1p values are expm1'd.
 */
function linear(kind: ExpressionValues, librarySize: number): (value: number) => number {
  if (kind === 'log1p') return Math.expm1;
  if (kind === 'normalised') return (value) => value;
  if (kind === 'counts') return countsPerTarget(librarySize);
  throw new TokbenchError('input', 'highly variable genes need counts, normalised or log1p values; found scaled values, which cannot be log-normalised');
}

/**
 * Each gene's mean over the cells and the sum of its squared deviations from it, absent genes counting as
 * zeros, of the values `valueOf(cell's library size)` gives each stored value. Two passes over the non-zeros,
 * the zeros' share added in closed form, so no cell is densified and no sum of squares cancels.
 */
export function geneMoments(cells: readonly ExpressionSample[], genes: number, valueOf: (librarySize: number) => (value: number) => number): { mean: Float64Array; squares: Float64Array } {
  const n = cells.length;
  const sum = new Float64Array(genes);
  const detected = new Int32Array(genes);
  for (const cell of cells) {
    const value = valueOf(cell.librarySize);
    for (let i = 0; i < cell.genes.length; i++) {
      sum[cell.genes[i]] += value(cell.counts[i]);
      detected[cell.genes[i]]++;
    }
  }
  const mean = sum.map((s) => (n > 0 ? s / n : 0));
  const squares = mean.map((m, g) => (n - detected[g]) * m * m);
  for (const cell of cells) {
    const value = valueOf(cell.librarySize);
    for (let i = 0; i < cell.genes.length; i++) squares[cell.genes[i]] += (value(cell.counts[i]) - mean[cell.genes[i]]) ** 2;
  }
  return { mean, squares };
}

/** Each gene's mean and variance (n − 1 denominator, scanpy's `correction=1`) of its expm1'd log-normalised values. */
function meanAndVariance(cells: readonly ExpressionSample[], genes: number, kind: ExpressionValues): { mean: Float64Array; variance: Float64Array } {
  const { mean, squares } = geneMoments(cells, genes, (librarySize) => linear(kind, librarySize));
  return { mean, variance: squares.map((s) => s / (cells.length - 1)) };
}

/**
 * pandas' `cut(x, bins)` with an integer bin count, as scanpy bins the log means: `bins` equal-width
 * intervals (lo, hi] from the minimum to the maximum, the first edge lowered by 0.1% of the range so
 * the minimum falls in the first bin; all values equal: the range widened by 0.1% of the value (0.001 at
 * zero) on both sides. Edges are start + i × step with the last one the maximum itself, as numpy's linspace.
 */
export function equalWidthBins(values: Float64Array, bins: number): Int32Array {
  // A loop: spreading a large panel into Math.min overflows the stack.
  let min = Infinity;
  let max = -Infinity;
  for (const x of values) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const widen = (x: number) => (x !== 0 ? 0.001 * Math.abs(x) : 0.001);
  const lo = min === max ? min - widen(min) : min;
  const hi = min === max ? max + widen(max) : max;
  const step = (hi - lo) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * step));
  if (min !== max) edges[0] -= (hi - lo) * 0.001;
  // A value on an edge closes the bin below it: intervals are (lo, hi].
  return Int32Array.from(values, (x) => Math.max(0, edges.findIndex((edge) => edge >= x) - 1));
}

/**
 * Seurat's normalised dispersion of each gene: log(variance / mean) of its expm1'd log-normalised values
 * (NaN for a zero dispersion), z-scored among the genes in its bin of log1p(mean) (20 equal-width bins),
 * with the bin's mean and n − 1 standard deviation over the genes whose dispersion is not NaN. As scanpy,
 * a bin with one such gene divides by that gene's dispersion instead (1 for the gene itself).
 */
export function normalisedDispersions(cells: readonly ExpressionSample[], genes: number, kind: ExpressionValues): Float64Array {
  const { mean, variance } = meanAndVariance(cells, genes, kind);
  const safeMean = mean.map((m) => (m === 0 ? ZERO_MEAN : m));
  const dispersion = safeMean.map((m, g) => {
    const d = variance[g] / m;
    return d === 0 ? NaN : Math.log(d);
  });
  if (genes === 0) return dispersion;
  const bin = equalWidthBins(safeMean.map(Math.log1p), MEAN_BINS);
  const count = new Int32Array(MEAN_BINS);
  const avg = new Float64Array(MEAN_BINS);
  const dev = new Float64Array(MEAN_BINS);
  dispersion.forEach((d, g) => {
    if (Number.isNaN(d)) return;
    count[bin[g]]++;
    avg[bin[g]] += d;
  });
  avg.forEach((s, b) => (avg[b] = s / count[b]));
  dispersion.forEach((d, g) => {
    if (!Number.isNaN(d)) dev[bin[g]] += (d - avg[bin[g]]) ** 2;
  });
  return dispersion.map((d, g) => {
    const b = bin[g];
    return count[b] > 1 ? (d - avg[b]) / Math.sqrt(dev[b] / (count[b] - 1)) : d / avg[b];
  });
}

/**
 * The `n` genes (all when the panel is smaller) of highest normalised dispersion over `cells`, ascending:
 * the selection of scanpy's highly_variable_genes(flavor='seurat', n_top_genes=n) on log-normalised values.
 * Two differences keep the count exactly `n`: genes tied at the cut-off go to the lower gene index (scanpy
 * keeps every tied gene), and genes whose dispersion is NaN (never or evenly expressed) fill the places
 * the others leave, lowest index first (scanpy then returns fewer than `n`). Sparse: no cell is densified.
 */
export function highlyVariableGenes(cells: readonly ExpressionSample[], genes: number, kind: ExpressionValues, n: number): Int32Array {
  const norm = normalisedDispersions(cells, genes, kind);
  // NaN last; between two NaNs (or two equal infinities) the difference is NaN, which falls through to the index.
  const nan = (g: number) => Number(Number.isNaN(norm[g]));
  const order = Array.from({ length: genes }, (_, g) => g).sort((a, b) => nan(a) - nan(b) || norm[b] - norm[a] || a - b);
  return Int32Array.from(order.slice(0, n)).sort();
}
