// The reference every table carries: logistic regression on the raw input, on the same split.
import { fitLogisticRegression } from '../baseline/logistic-regression.js';
import type { LoadedDataset, Modality, Split } from '../../datasets/types.js';
import { modalityAdapter } from '../modalities/registry.js';
import { classificationScores } from './scores.js';
import type { Evaluator, Metrics } from './types.js';

function featureMatrix(dataset: LoadedDataset<Modality>, split: Split<Modality>): { x: Float32Array; width: number } {
  const adapter = modalityAdapter(dataset.modality);
  const rows = split.samples.map((s) => adapter.features(s, dataset.info));
  const width = rows.length > 0 ? rows[0].length : 0;
  const x = new Float32Array(rows.length * width);
  rows.forEach((r, i) => x.set(r, i * width));
  return { x, width };
}

// The baseline depends on the dataset alone (the fit is deterministic), so every cell of one dataset shares it.
const cache = new WeakMap<LoadedDataset<Modality>, Metrics>();

function fitAndScore(dataset: LoadedDataset<Modality>): Metrics {
  const train = featureMatrix(dataset, dataset.train);
  const test = featureMatrix(dataset, dataset.test);
  const model = fitLogisticRegression(train.x, train.width, dataset.train.labels, dataset.classNames.length);
  const scores = classificationScores(dataset.test.labels, model.predict(test.x), dataset.classNames.length);
  return { baseline_accuracy: scores.accuracy, baseline_macro_f1: scores.macroF1 };
}

export const baseline: Evaluator = {
  name: 'baseline',
  stage: 'tokenized',
  metrics: ['baseline_accuracy', 'baseline_macro_f1'],
  evaluate({ dataset }) {
    let result = cache.get(dataset);
    if (result === undefined) {
      result = fitAndScore(dataset);
      cache.set(dataset, result);
    }
    return result;
  },
};
