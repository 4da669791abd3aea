// The references every accuracy is read against, on the same split: always answering the training
// split's most frequent class, and logistic regression on the raw input.
import { fitLogisticRegression } from '../baseline/logistic-regression.js';
import type { LoadedDataset, Modality, Split } from '../../datasets/types.js';
import { modalityAdapter } from '../modalities/registry.js';
import type { Features, ModalityAdapter } from '../modalities/types.js';
import { classificationScores } from './scores.js';
import type { Evaluator, Metrics } from './types.js';

/** The split's features, one row per sample, written straight into one matrix. */
function featureMatrix(features: Features, split: Split<Modality>): { x: Float32Array; width: number } {
  const samples = split.samples;
  const width = samples.length > 0 ? features(samples[0]).length : 0;
  const x = new Float32Array(samples.length * width);
  samples.forEach((sample, i) => x.set(features(sample), i * width));
  return { x, width };
}

/** The most frequent class of `labels` (ties to the lowest class index, as scikit-learn's DummyClassifier). */
export function majorityClass(labels: Int32Array, numClasses: number): number {
  const counts = new Int32Array(numClasses);
  for (const y of labels) counts[y]++;
  return counts.indexOf(Math.max(...counts));
}

// Both depend on the dataset alone (the fit is deterministic), so every cell of one dataset shares them.
const cache = new WeakMap<LoadedDataset<Modality>, Metrics>();

function fitAndScore(dataset: LoadedDataset<Modality>): Metrics {
  const numClasses = dataset.classNames.length;
  const majority = majorityClass(dataset.train.labels, numClasses);
  const majorityCorrect = dataset.test.labels.reduce((n, y) => n + (y === majority ? 1 : 0), 0);
  const adapter: ModalityAdapter = modalityAdapter(dataset.modality);
  const features = adapter.fitFeatures(dataset.train.samples, dataset.info);
  const train = featureMatrix(features, dataset.train);
  const test = featureMatrix(features, dataset.test);
  const model = fitLogisticRegression(train.x, train.width, dataset.train.labels, numClasses);
  const scores = classificationScores(dataset.test.labels, model.predict(test.x), numClasses);
  return {
    majority_accuracy: dataset.test.labels.length > 0 ? majorityCorrect / dataset.test.labels.length : null,
    baseline_accuracy: scores.accuracy,
    baseline_macro_f1: scores.macroF1,
  };
}

export const baseline: Evaluator = {
  name: 'baseline',
  stage: 'tokenized',
  needsLabels: true,
  metrics: ['majority_accuracy', 'baseline_accuracy', 'baseline_macro_f1'],
  evaluate({ dataset }) {
    let result = cache.get(dataset);
    if (result === undefined) {
      result = fitAndScore(dataset);
      cache.set(dataset, result);
    }
    return result;
  },
};
