// Test-split accuracy and macro-F1 of the transformer with the cell's classification protocol.
import { TokbenchError } from '../errors.js';
import { classificationScores } from './scores.js';
import type { Evaluator } from './types.js';

export const classification: Evaluator = {
  name: 'classification',
  stage: 'classified',
  needsLabels: true,
  metrics: ['accuracy', 'macro_f1'],
  evaluate({ dataset, testPredictions }) {
    if (testPredictions === undefined) throw new TokbenchError('input', "classification evaluator needs the classifier's test predictions");
    const scores = classificationScores(dataset.test.labels, testPredictions.classes, dataset.classNames.length);
    return { accuracy: scores.accuracy, macro_f1: scores.macroF1 };
  },
};
