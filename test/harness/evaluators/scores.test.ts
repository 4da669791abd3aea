import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationScores } from '../../../harness/evaluators/scores.js';

const closeTo = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);

test('macro-F1 averages over the classes seen, with 0 for a class never predicted, as scikit-learn does', () => {
  // Class 3 of 4 appears in neither array; class 2 is never predicted.
  const truth = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
  const predicted = Int32Array.of(0, 0, 0, 1, 1, 1, 0, 0, 1, 1);
  // Confusion matrix, rows truth, columns predicted:
  //          0  1  2
  //   0  [   3  1  0 ]
  //   1  [   1  2  0 ]
  //   2  [   1  2  0 ]
  // Accuracy (3 + 2 + 0) / 10 = 1/2. F1 = 2tp / (2tp + fp + fn):
  //   class 0: tp 3, fp 1 + 1, fn 1     → 6 / 9 = 2/3
  //   class 1: tp 2, fp 1 + 2, fn 1     → 4 / 8 = 1/2
  //   class 2: tp 0, fp 0,     fn 1 + 2 → 0 / 3 = 0
  //   class 3: no sample, no prediction → skipped (counting it as 0 would give 7/24)
  // Macro-F1 (2/3 + 1/2 + 0) / 3 = 7/18; scikit-learn 1.9.1 f1_score(average='macro') gives 0.38888888888888884.
  const scores = classificationScores(truth, predicted, 4);
  assert.equal(scores.accuracy, 1 / 2);
  closeTo(scores.macroF1, 7 / 18);
});

test('a class only ever predicted, never true, counts with F1 0', () => {
  // class 0: tp 1, fp 0, fn 1 → 2/3; class 1: tp 2 → 1; class 2: tp 0, fp 1 → 0.
  // Macro-F1 (2/3 + 1 + 0) / 3 = 5/9, as scikit-learn 1.9.1 gives (0.5555555555555555).
  const scores = classificationScores(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 2, 1, 1), 3);
  assert.equal(scores.accuracy, 3 / 4);
  closeTo(scores.macroF1, 5 / 9);
});

test('perfect predictions score 1, and no samples score 0 rather than NaN', () => {
  assert.deepEqual(classificationScores(Int32Array.of(2, 0, 1, 0), Int32Array.of(2, 0, 1, 0), 5), { accuracy: 1, macroF1: 1 });
  assert.deepEqual(classificationScores(new Int32Array(0), new Int32Array(0), 3), { accuracy: 0, macroF1: 0 });
});
