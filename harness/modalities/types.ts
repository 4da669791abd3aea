// How each modality's samples are compared and fed to the baseline, independent of any tokenizer.
import type { DatasetInfo, Modality, SampleOf } from '../../datasets/types.js';

/** Sum and count of elementwise errors, so partial sums over samples can be pooled exactly. */
export interface ErrorSum {
  sum: number;
  count: number;
}

/** The trivial prediction of a sample's canonical elements, fitted on the training split and blind to the sample's content. */
export type Reference<M extends Modality = Modality> = (sample: SampleOf[M]) => Float32Array;

/** One sample's baseline features; every sample gets the same width. */
export type Features<M extends Modality = Modality> = (sample: SampleOf[M]) => Float32Array;

export interface ModalityAdapter<M extends Modality = Modality> {
  readonly modality: M;
  /** The sample as a dense vector in the canonical space where reconstruction is measured. */
  canonical(sample: SampleOf[M], info: DatasetInfo<M>): Float32Array;
  /** Error of `predicted` against `truth` (both canonical) over the given element indices, or over all of them. */
  error(truth: Float32Array, predicted: Float32Array, elements?: Iterable<number>): ErrorSum;
  /** The predictor every reconstruction error is shown beside: per-element training means, or the most frequent base. */
  fitReference(train: readonly SampleOf[M][], info: DatasetInfo<M>): Reference<M>;
  /**
   * The fixed-width features of the raw input the logistic-regression baseline learns from, chosen on the
   * training split alone (for expression, which genes), so no dense samples × elements matrix of a large
   * dataset is ever built.
   */
  fitFeatures(train: readonly SampleOf[M][], info: DatasetInfo<M>): Features<M>;
}

/** Squared error summed over `elements` (all of them when omitted). */
export function squaredError(truth: Float32Array, predicted: Float32Array, elements?: Iterable<number>): ErrorSum {
  let sum = 0;
  let count = 0;
  if (elements === undefined) {
    for (let e = 0; e < truth.length; e++) sum += (truth[e] - predicted[e]) ** 2;
    return { sum, count: truth.length };
  }
  for (const e of elements) {
    sum += (truth[e] - predicted[e]) ** 2;
    count++;
  }
  return { sum, count };
}
