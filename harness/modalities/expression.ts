// Gene expression: canonical space is log1p(counts per 10,000), the scale single-cell papers report.
// Counts are normalised to 10,000 per cell and log1p'd; normalised values are log1p'd; log1p values are used as they are.
import type { ExpressionSample, ExpressionValues } from '../../datasets/types.js';
import type { ModalityAdapter } from './types.js';
import { squaredError } from './types.js';

const TARGET_SUM = 10_000;

/** The canonical value of one stored value of a cell. */
function toCanonical(kind: ExpressionValues, librarySize: number): (value: number) => number {
  if (kind === 'log1p') return (value) => value;
  if (kind === 'normalised') return Math.log1p;
  const scale = librarySize > 0 ? TARGET_SUM / librarySize : 0;
  return (count) => Math.log1p(count * scale);
}

/** Adds the cell's canonical values into `into` (dense over the panel), gene by gene. */
function addCanonical(sample: ExpressionSample, kind: ExpressionValues, into: Float32Array | Float64Array): void {
  const canonical = toCanonical(kind, sample.librarySize);
  for (let i = 0; i < sample.genes.length; i++) into[sample.genes[i]] += canonical(sample.counts[i]);
}

function dense(sample: ExpressionSample, genes: number, kind: ExpressionValues): Float32Array {
  const out = new Float32Array(genes);
  addCanonical(sample, kind, out);
  return out;
}

export const expression: ModalityAdapter<'expression'> = {
  modality: 'expression',
  canonical: (sample, info) => dense(sample, info.genes.length, info.values),
  error: squaredError,
  fitReference(train, info) {
    // Summed sparsely: no cells × genes matrix, even for a large panel.
    const sums = new Float64Array(info.genes.length);
    for (const cell of train) addCanonical(cell, info.values, sums);
    const mean = Float32Array.from(sums, (s) => (train.length > 0 ? s / train.length : 0));
    return () => mean;
  },
  features: (sample, info) => dense(sample, info.genes.length, info.values),
};
