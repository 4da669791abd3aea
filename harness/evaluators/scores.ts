// Classification scores shared by the transformer's evaluator and the baseline's.

export interface ClassificationScores {
  accuracy: number;
  macroF1: number;
}

/**
 * Accuracy and macro-F1 (mean of per-class F1, as scikit-learn's `f1_score(average='macro')`, over the
 * classes present in the truth or the predictions).
 */
export function classificationScores(truth: Int32Array, predicted: Int32Array, numClasses: number): ClassificationScores {
  const tp = new Float64Array(numClasses);
  const fp = new Float64Array(numClasses);
  const fn = new Float64Array(numClasses);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === predicted[i]) {
      correct++;
      tp[truth[i]]++;
    } else {
      fn[truth[i]]++;
      fp[predicted[i]]++;
    }
  }
  let f1Sum = 0;
  let classes = 0;
  for (let c = 0; c < numClasses; c++) {
    if (tp[c] + fp[c] + fn[c] === 0) continue;
    f1Sum += (2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]);
    classes++;
  }
  return { accuracy: truth.length > 0 ? correct / truth.length : 0, macroF1: classes > 0 ? f1Sum / classes : 0 };
}
