// tokbench's canonical expression value, log1p of counts per 10,000 (scanpy's normalize_total(target_sum=1e4) then log1p), from each kind of stored value and back.
import type { ExpressionSample, ExpressionValues, InfoOf } from '../types.js';
import { TokbenchError } from '../../harness/errors.js';

/** The "per 10k" of log-normalised values. */
export const TARGET_SUM = 10_000;

/**
 * The log-normalised value of one stored value of a cell with this library size. Counts are scaled to
 * TARGET_SUM by the library size (not the panel's sum, which misses the genes a source did not keep) and
 * log1p'd; normalised values are log1p'd; log1p values are used as they are, so nothing is logged twice.
 * Scaled (z-scored) values cannot be brought back to counts and are used as they are too.
 */
export function logNormaliser(kind: ExpressionValues, librarySize: number): (value: number) => number {
  if (kind === 'log1p' || kind === 'scaled') return (value) => value;
  if (kind === 'normalised') return Math.log1p;
  const perTarget = countsPerTarget(librarySize);
  return (count) => Math.log1p(perTarget(count));
}

/** A count of a cell with this library size scaled to TARGET_SUM (0 for a cell with no library). */
export function countsPerTarget(librarySize: number): (count: number) => number {
  const scale = librarySize > 0 ? TARGET_SUM / librarySize : 0;
  return (count) => count * scale;
}

/**
 * The log-normalised value of each stored value of `cell`, in its order, after checking what a strategy
 * relies on: as many values as gene indices, ascending indices inside the panel, finite values ≥ 0, and a
 * library size for counts. `strategy` names who refuses the cell.
 */
export function logNormalisedCell(strategy: string, info: InfoOf['expression'], cell: ExpressionSample): Float64Array {
  const { genes, counts, librarySize } = cell;
  if (counts.length !== genes.length) {
    throw new TokbenchError('input', `${strategy}: found a cell with ${genes.length} gene indices and ${counts.length} values; expected one value per gene index`);
  }
  const panel = info.genes.length;
  const logNormalise = logNormaliser(info.values, librarySize);
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const g = genes[i];
    if (!(g >= 0 && g < panel && (i === 0 || g > genes[i - 1]))) {
      throw new TokbenchError('input', `${strategy}: found gene index ${g} after ${i === 0 ? 'none' : genes[i - 1]} in a cell; expected ascending indices into the panel of ${panel} genes`);
    }
    const value = counts[i];
    if (!(value >= 0 && value < Infinity)) {
      throw new TokbenchError('input', `${strategy}: found a value of ${value} for gene ${info.genes[g]}; expected a finite value ≥ 0`);
    }
    if (value > 0 && info.values === 'counts' && !(librarySize > 0)) {
      throw new TokbenchError('input', `${strategy}: found a library size of ${librarySize} in a cell with counts (gene ${info.genes[g]}: ${value}); expected the cell's total count`);
    }
    out[i] = logNormalise(value);
  }
  return out;
}

/**
 * A cell of `kind` values whose log-normalised values are `values` at `genes` (ascending): what decode
 * returns. Counts come back per TARGET_SUM (library size TARGET_SUM) and normalised values as expm1, so
 * `logNormaliser` gives `values` back, up to the float32 rounding of the stored values.
 */
export function fromLogNormalised(kind: ExpressionValues, genes: Int32Array, values: ArrayLike<number>): ExpressionSample {
  const asStored = kind === 'log1p' || kind === 'scaled';
  return { genes, counts: Float32Array.from(values, (v) => (asStored ? v : Math.expm1(v))), librarySize: TARGET_SUM };
}
