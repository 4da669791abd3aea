// Gene expression: canonical space is log1p(counts per 10,000), the scale single-cell papers report.
// Counts are normalised to 10,000 per cell and log1p'd; normalised values are log1p'd; log1p values are used as they are,
// and so are scaled (z-scored) values, which cannot be brought back to counts.
import type { ExpressionSample, ExpressionValues } from '../../datasets/types.js';
import { geneMoments } from '../../datasets/expression/hvg.js';
import { logNormaliser } from '../../datasets/expression/log-normalised.js';
import type { ModalityAdapter } from './types.js';
import { squaredError } from './types.js';

/** Genes the logistic baseline sees: the most variable ones, so its matrix stays cells × 1,000 however wide the panel. */
export const BASELINE_GENES = 1000;

/** Calls `visit(gene, canonical value)` for each stored value of the cell. */
function eachCanonical(sample: ExpressionSample, kind: ExpressionValues, visit: (gene: number, value: number) => void): void {
  const canonical = logNormaliser(kind, sample.librarySize);
  for (let i = 0; i < sample.genes.length; i++) visit(sample.genes[i], canonical(sample.counts[i]));
}

function dense(sample: ExpressionSample, genes: number, kind: ExpressionValues): Float32Array {
  const out = new Float32Array(genes);
  eachCanonical(sample, kind, (g, value) => (out[g] += value));
  return out;
}

/**
 * The `count` genes whose canonical values vary most over `train` (absent genes count as 0; sparse, see
 * geneMoments), ascending; ties to the lower gene index. All genes when the panel is no wider.
 */
export function mostVariableGenes(train: readonly ExpressionSample[], genes: number, kind: ExpressionValues, count: number): Int32Array {
  if (genes <= count) return Int32Array.from({ length: genes }, (_, g) => g);
  // The sum of squared deviations orders genes as their variance does.
  const { squares } = geneMoments(train, genes, (librarySize) => logNormaliser(kind, librarySize));
  const order = Array.from({ length: genes }, (_, g) => g).sort((a, b) => squares[b] - squares[a] || a - b);
  return Int32Array.from(order.slice(0, count)).sort();
}

export const expression: ModalityAdapter<'expression'> = {
  modality: 'expression',
  canonical: (sample, info) => dense(sample, info.genes.length, info.values),
  error: squaredError,
  fitReference(train, info) {
    // Summed sparsely: no cells × genes matrix, even for a large panel.
    const sums = new Float64Array(info.genes.length);
    for (const cell of train) eachCanonical(cell, info.values, (g, value) => (sums[g] += value));
    const mean = Float32Array.from(sums, (s) => (train.length > 0 ? s / train.length : 0));
    return () => mean;
  },
  fitFeatures(train, info) {
    const kept = mostVariableGenes(train, info.genes.length, info.values, BASELINE_GENES);
    // Column of each panel gene in the features, −1 when left out.
    const column = new Int32Array(info.genes.length).fill(-1);
    kept.forEach((g, j) => (column[g] = j));
    return (sample) => {
      const out = new Float32Array(kept.length);
      eachCanonical(sample, info.values, (g, value) => {
        if (column[g] >= 0) out[column[g]] += value;
      });
      return out;
    };
  },
};
