// Evaluator contract: a pure function from a cell's trained state and data to named metrics.
import type { LoadedDataset, Modality } from '../../datasets/types.js';
import type { Strategy, Tokens } from '../../strategies/types.js';
import type { ModelParams, TrainParams } from '../model/params.js';
import type { Encoder } from '../model/encoder.js';
import type { MetricName, Metrics } from '../results/metrics.js';
import type { ClassPredictions } from '../training/classify.js';

export type { Metrics } from '../results/metrics.js';

/** When an evaluator runs: after tokenizing, after pre-training (before fine-tuning changes the encoder), after classification. */
export type Stage = 'tokenized' | 'pretrained' | 'classified';

/** A cell's data after its strategy was fitted on the training split and every split was encoded once. */
export interface TokenizedCell {
  readonly dataset: LoadedDataset<Modality>;
  readonly strategy: Strategy<Modality>;
  readonly trainTokens: readonly Tokens[];
  /** Tokens of the validation split (empty without `val_fraction`), encoded by the strategy fitted without them. */
  readonly validationTokens: readonly Tokens[];
  readonly testTokens: readonly Tokens[];
}

export interface EvaluationContext extends TokenizedCell {
  readonly model: ModelParams;
  readonly train: TrainParams;
  /** The row's sweep seed; evaluators derive their own streams from it. */
  readonly seed: number;
  /** Present from stage `pretrained` on. */
  readonly encoder?: Encoder;
  /** Present at stage `classified`: the trained classifier's answer for every test sample. */
  readonly testPredictions?: ClassPredictions;
}

export interface Evaluator {
  readonly name: string;
  readonly stage: Stage;
  /** Whether it reads class labels; skipped with `classify: none` (unlabelled data). */
  readonly needsLabels: boolean;
  /** The metrics it fills, declared so a row never carries an undeclared number. */
  readonly metrics: readonly MetricName[];
  evaluate(context: EvaluationContext): Metrics | Promise<Metrics>;
}
