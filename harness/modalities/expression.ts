// Gene expression: canonical space is log1p(counts per 10,000), the scale single-cell papers report.
import type { ExpressionSample } from '../../datasets/types.js';
import type { ModalityAdapter } from './types.js';
import { squaredError } from './types.js';

const TARGET_SUM = 10_000;

function log1pPer10k(sample: ExpressionSample, genes: number): Float32Array {
  const dense = new Float32Array(genes);
  const scale = sample.librarySize > 0 ? TARGET_SUM / sample.librarySize : 0;
  for (let i = 0; i < sample.genes.length; i++) dense[sample.genes[i]] = Math.log1p(sample.counts[i] * scale);
  return dense;
}

export const expression: ModalityAdapter<'expression'> = {
  modality: 'expression',
  errorKind: 'mse',
  canonical: (sample, info) => log1pPer10k(sample, info.genes.length),
  error: squaredError,
  features: (sample, info) => log1pPer10k(sample, info.genes.length),
};
