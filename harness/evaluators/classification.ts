// Test-split accuracy and macro-F1 of the transformer with the cell's classification protocol.
import { TokbenchError } from '../errors.js';
import { classificationScores } from './scores.js';
import type { Evaluator } from './types.js';

export const classification: Evaluator = {
  name: 'classification',
  stage: 'classified',
  metrics: ['accuracy', 'macro_f1'],
  evaluate({ dataset, testTokens, classifier }) {
    if (classifier === undefined) throw new TokbenchError('input', 'classification evaluator needs a trained classifier');
    const scores = classificationScores(dataset.test.labels, classifier.predict(testTokens), dataset.classNames.length);
    return { accuracy: scores.accuracy, macro_f1: scores.macroF1 };
  },
};
