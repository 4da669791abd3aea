// Runs one (cell, seed): tokenize, pre-train, evaluate, classify, evaluate — and always returns a row.
import { performance } from 'node:perf_hooks';
import type { Cell } from '../grid/cell.js';
import { Encoder } from '../model/encoder.js';
import type { Spend } from '../training/budget.js';
import { selectLearningRate, type RunSeeds } from '../training/lr-selection.js';
import { pretrain } from '../training/pretrain.js';
import { trainClassifier } from '../training/classify.js';
import type { ClassPredictions, Classifier } from '../training/classify.js';
import { TokbenchError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { evaluators } from '../evaluators/registry.js';
import type { EvaluationContext, Metrics, Stage } from '../evaluators/types.js';
import { METRIC_NAMES, METRICS } from '../results/metrics.js';
import type { ResultRow, RowOutcome } from '../results/columns.js';
import type { SamplePredictions } from '../results/predictions.js';
import { axisColumnName, axisValue } from '../results/table.js';
import { paramColumnValues } from '../results/param-columns.js';
import { canonicalJson } from '../grid/canonical-json.js';
import { prepareOnce } from './prepare.js';
import type { PreparedCell } from './prepare.js';

export interface RowContext {
  readonly sweep: string;
  readonly backend: string;
  readonly tokbenchVersion: string;
  /** Keep each test sample's class probabilities in the predictions. */
  readonly saveProbabilities: boolean;
  /** Keep the fitted tokenizer's state (Strategy.artifacts) with the row. */
  readonly saveTokenizers: boolean;
}

function identity(cell: Cell, seed: number, context: RowContext, dataHash: string): ResultRow {
  const row: ResultRow = {
    sweep: context.sweep,
    cell_id: cell.id,
    seed,
    config: canonicalJson(cell.explicit),
    config_hash: cell.configHash,
    data_hash: dataHash,
    modality: cell.modality,
    dataset: cell.dataset.name,
    strategy: cell.strategy.name,
    ...paramColumnValues(cell.model, cell.train),
    params_json: JSON.stringify({ dataset: cell.dataset, strategy: cell.strategy, model: cell.model, train: cell.train }),
    decode_note: null,
    backend: context.backend,
    tokbench_version: context.tokbenchVersion,
  };
  // Model and train axes already sit in their fixed columns; the others get columns of their own.
  for (const [axis, value] of Object.entries(cell.axes)) {
    if (axisColumnName(axis) === axis) row[axis] = axisValue(value);
  }
  return row;
}

/** Runs the stage's evaluators; those reading labels only when the cell classifies. */
async function runStage(stage: Stage, context: EvaluationContext, into: Metrics): Promise<void> {
  const labelled = context.train.classify !== 'none';
  for (const evaluator of evaluators.filter((e) => e.stage === stage && (labelled || !e.needsLabels))) {
    const metrics = await evaluator.evaluate(context);
    for (const [name, value] of Object.entries(metrics)) {
      if (!(evaluator.metrics as readonly string[]).includes(name)) throw new Error(`evaluator '${evaluator.name}' produced undeclared metric '${name}'`);
      const spec = METRICS[name as keyof typeof METRICS];
      if (value !== null && !spec.modalities.includes(context.dataset.modality)) {
        throw new Error(`evaluator '${evaluator.name}' gave metric '${name}' a value for ${context.dataset.modality} data, which it is not declared for`);
      }
      into[name as keyof Metrics] = value;
    }
  }
}

/** A stage's spend columns (`pretrain_flops`, …); null when the stage had no budget to spend. */
function spendColumns(stage: 'pretrain' | 'classify', spend: Spend | null): Metrics {
  return {
    [`${stage}_flops`]: spend?.flops ?? null,
    [`${stage}_tokens`]: spend?.tokens ?? null,
    [`${stage}_samples`]: spend?.samples ?? null,
    [`${stage}_steps`]: spend?.steps ?? null,
  };
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function withMetrics(row: ResultRow, metrics: Metrics): ResultRow {
  for (const name of METRIC_NAMES) row[name] = metrics[name] ?? null;
  return row;
}

function samplePredictions(cell: Cell, seed: number, prepared: PreparedCell, classes: ClassPredictions | undefined, keepProbabilities: boolean): SamplePredictions {
  const { dataset, testTokens } = prepared;
  return {
    cellId: cell.id,
    seed,
    classNames: dataset.classNames,
    sampleIndex: dataset.test.index,
    window: dataset.test.window ?? null,
    labels: dataset.test.labels,
    predicted: classes?.classes ?? null,
    tokens: Int32Array.from(testTokens, (t) => t.length),
    probabilities: keepProbabilities ? (classes?.probabilities ?? null) : null,
  };
}

function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The wasm heap has no out-of-memory error of its own: an allocation past its end traps like this.
  return error instanceof Error && error.name === 'RuntimeError' ? `${message} (the wasm backend ran out of memory; lower batch_size, max_len or the model size)` : message;
}

/** The row of a (cell, seed) that could not run at all, e.g. because its worker process died. */
export function failedRow(cell: Cell, seed: number, context: RowContext, dataHash: string, error: string): ResultRow {
  return withMetrics({ ...identity(cell, seed, context, dataHash), status: 'failed', error }, {});
}

/** Never throws for a cell's own failure: the error becomes the row's `status` and `error`. */
export async function runCell(cell: Cell, seed: number, context: RowContext, dataHash: string): Promise<RowOutcome> {
  const row = identity(cell, seed, context, dataHash);
  const metrics: Metrics = {};
  let encoder: Encoder | undefined;
  let classifier: Classifier | undefined;
  let predictions: SamplePredictions | null = null;
  let errorDetail: string | null = null;
  let artifacts: Readonly<Record<string, string>> | null = null;
  try {
    const prepared = await prepareOnce(cell, seed);
    metrics.tokenize_seconds = prepared.tokenizeSeconds;
    row.decode_note = prepared.strategy.decodeNote;
    if (context.saveTokenizers) artifacts = prepared.strategy.artifacts?.() ?? null;
    const base = { ...prepared, model: cell.model, train: cell.train, seed };
    await runStage('tokenized', base, metrics);

    const seeds: RunSeeds = {
      init: deriveSeed(seed, 'init'),
      pretrain: deriveSeed(seed, 'pretrain'),
      classify: deriveSeed(seed, 'classify'),
      validationMasks: deriveSeed(seed, 'validation-masks'),
    };
    const { dataset } = prepared;
    let lr = cell.train.lr;
    if (cell.train.lr_select !== undefined) {
      const selection = await selectLearningRate(
        cell.train.lr_select,
        prepared.strategy.layout,
        { train: prepared.trainTokens, trainLabels: dataset.train.labels, validation: prepared.validationTokens, validationLabels: dataset.validation.labels, numClasses: dataset.classNames.length },
        cell.model,
        cell.train,
        seeds,
      );
      lr = selection.lr;
      metrics.lr_selected = lr;
      metrics.lr_selection_flops = selection.flops;
    }
    encoder = new Encoder(prepared.strategy.layout, cell.model, seeds.init);
    metrics.parameter_count = encoder.parameterCount;
    const started = performance.now();
    const pretraining = await pretrain(encoder, prepared.trainTokens, cell.train, seeds.pretrain, { lr });
    Object.assign(metrics, spendColumns('pretrain', pretraining.spend));
    metrics.pretrain_losses = pretraining.losses;
    metrics.pretrain_loss = pretraining.losses.at(-1) ?? null;
    let trainSeconds = (performance.now() - started) / 1000;
    let trainedTokens = pretraining.tokens;
    await runStage('pretrained', { ...base, encoder }, metrics);

    let testPredictions: ClassPredictions | undefined;
    if (cell.train.classify !== 'none') {
      const classifyStarted = performance.now();
      classifier = await trainClassifier(encoder, prepared.trainTokens, dataset.train.labels, dataset.classNames.length, cell.train, seeds.classify, { lr });
      trainSeconds += (performance.now() - classifyStarted) / 1000;
      Object.assign(metrics, spendColumns('classify', classifier.report.spend));
      trainedTokens += classifier.report.tokens;
      // A probe is fitted to its optimum in one go: it has no epochs to report.
      metrics.classify_losses = classifier.report.losses.length > 0 ? classifier.report.losses : null;
      testPredictions = classifier.predict(prepared.testTokens);
    }
    metrics.train_seconds = trainSeconds;
    metrics.train_tokens_per_second = trainedTokens / trainSeconds;
    if (testPredictions !== undefined) await runStage('classified', { ...base, encoder, testPredictions }, metrics);
    predictions = samplePredictions(cell, seed, prepared, testPredictions, context.saveProbabilities);
    row.status = 'ok';
    row.error = null;
  } catch (error) {
    row.status = error instanceof TokbenchError && error.code === 'diverged' ? 'diverged' : 'failed';
    row.error = failureMessage(error);
    errorDetail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  } finally {
    classifier?.dispose();
    encoder?.dispose();
  }
  metrics.peak_rss_mb = peakRssMiB();
  return { row: withMetrics(row, metrics), predictions, errorDetail, artifacts };
}
