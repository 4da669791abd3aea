// Runs one (cell, seed): tokenize, pre-train, evaluate, classify, evaluate — and always returns a row.
import { performance } from 'node:perf_hooks';
import type { Cell } from '../grid/cell.js';
import { Encoder } from '../model/encoder.js';
import { pretrain } from '../training/pretrain.js';
import { trainClassifier } from '../training/classify.js';
import type { Classifier } from '../training/classify.js';
import { TokbenchError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { evaluators } from '../evaluators/registry.js';
import type { EvaluationContext, Metrics, Stage } from '../evaluators/types.js';
import { METRIC_COLUMNS } from '../results/columns.js';
import type { ResultRow } from '../results/columns.js';
import { axisColumnName, axisValue } from '../results/table.js';
import { prepareOnce } from './prepare.js';

export interface RowContext {
  readonly sweep: string;
  readonly backend: string;
  readonly tokbenchVersion: string;
}

const DECLARED = new Set(METRIC_COLUMNS.map((c) => c.name));

function identity(cell: Cell, seed: number, context: RowContext): ResultRow {
  const row: ResultRow = {
    sweep: context.sweep,
    cell_id: cell.id,
    seed,
    modality: cell.modality,
    dataset: cell.dataset.name,
    strategy: cell.strategy.name,
    ...cell.model,
    ...cell.train,
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

async function runStage(stage: Stage, context: EvaluationContext, into: Metrics): Promise<void> {
  for (const evaluator of evaluators.filter((e) => e.stage === stage)) {
    const metrics = await evaluator.evaluate(context);
    for (const [name, value] of Object.entries(metrics)) {
      if (!DECLARED.has(name) || !evaluator.metrics.includes(name)) {
        throw new Error(`evaluator '${evaluator.name}' produced undeclared metric '${name}'`);
      }
      into[name] = value;
    }
  }
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function withMetrics(row: ResultRow, metrics: Metrics): ResultRow {
  for (const column of METRIC_COLUMNS) row[column.name] = metrics[column.name] ?? null;
  return row;
}

/** The row of a (cell, seed) that could not run at all, e.g. because its worker process died. */
export function failedRow(cell: Cell, seed: number, context: RowContext, error: string): ResultRow {
  return withMetrics({ ...identity(cell, seed, context), status: 'failed', error }, {});
}

/** Never throws for a cell's own failure: the error becomes the row's `status` and `error`. */
export async function runCell(cell: Cell, seed: number, context: RowContext): Promise<ResultRow> {
  const row = identity(cell, seed, context);
  const metrics: Metrics = {};
  let encoder: Encoder | undefined;
  let classifier: Classifier | undefined;
  try {
    const prepared = await prepareOnce(cell.dataset, cell.strategy);
    metrics.tokenize_seconds = prepared.tokenizeSeconds;
    row.decode_note = prepared.strategy.decodeNote;
    const base = { ...prepared, model: cell.model, train: cell.train, seed };
    await runStage('tokenized', base, metrics);

    encoder = new Encoder(prepared.strategy.layout, cell.model, deriveSeed(seed, 'init'));
    metrics.parameter_count = encoder.parameterCount;
    const started = performance.now();
    const pretraining = await pretrain(encoder, prepared.trainTokens, cell.train, deriveSeed(seed, 'pretrain'));
    metrics.pretrain_loss = pretraining.losses.at(-1) ?? null;
    let trainSeconds = (performance.now() - started) / 1000;
    await runStage('pretrained', { ...base, encoder }, metrics);

    const classifyStarted = performance.now();
    classifier = await trainClassifier(encoder, prepared.trainTokens, prepared.dataset.train.labels, prepared.dataset.classNames.length, cell.train, deriveSeed(seed, 'classify'));
    trainSeconds += (performance.now() - classifyStarted) / 1000;
    metrics.train_seconds = trainSeconds;
    metrics.train_tokens_per_second = (pretraining.tokens + classifier.report.tokens) / trainSeconds;
    await runStage('classified', { ...base, encoder, classifier }, metrics);
    row.status = 'ok';
    row.error = null;
  } catch (error) {
    row.status = error instanceof TokbenchError && error.code === 'diverged' ? 'diverged' : 'failed';
    row.error = error instanceof Error ? error.message : String(error);
  } finally {
    classifier?.dispose();
    encoder?.dispose();
  }
  metrics.peak_rss_mb = peakRssMiB();
  return withMetrics(row, metrics);
}
