// How each modality's samples are compared and fed to the baseline, independent of any tokenizer.
import type { DatasetInfo, Modality, SampleOf } from '../../datasets/types.js';

/** Sum and count of elementwise errors, so partial sums over samples can be pooled exactly. */
export interface ErrorSum {
  sum: number;
  count: number;
}

export interface ModalityAdapter<M extends Modality = Modality> {
  readonly modality: M;
  /** The metric column reconstruction errors of this modality go to (`mse` or a per-base error rate). */
  readonly errorKind: 'mse' | 'base_error';
  /** The sample as a dense vector in the canonical space where reconstruction is measured. */
  canonical(sample: SampleOf[M], info: DatasetInfo<M>): Float32Array;
  /** Error of `predicted` against `truth` (both canonical) over the given element indices. */
  error(truth: Float32Array, predicted: Float32Array, elements: Iterable<number>): ErrorSum;
  /** Fixed-width features of the raw input for the logistic-regression baseline. */
  features(sample: SampleOf[M], info: DatasetInfo<M>): Float32Array;
}

export function squaredError(truth: Float32Array, predicted: Float32Array, elements: Iterable<number>): ErrorSum {
  let sum = 0;
  let count = 0;
  for (const e of elements) {
    const d = truth[e] - predicted[e];
    sum += d * d;
    count++;
  }
  return { sum, count };
}
