// tokbench's public API as a library (`import { loadSweep, runSweep } from 'tokbench'`): re-exports only,
// as zod's entry files do. Compiled to dist/harness/index.js, the package's "." export.

// Sweeps: read and validate a YAML sweep, expand a grid, run it.
export { loadSweep, parseSweep } from './config/builtin-sweep.js';
export type { Sweep } from './config/sweep.js';
export { builtinComponents } from './config/builtin-components.js';
export type { ComponentDefinition, Components } from './grid/components.js';
export { expandGrid } from './grid/expand.js';
export type { Grid, GridEntry, GridInput } from './grid/expand.js';
export type { Cell, Component } from './grid/cell.js';
export { runSweep } from './runner/sweep.js';
export type { SweepOptions, SweepSummary } from './runner/sweep.js';
export { preflight } from './runner/preflight.js';
export type { Preflight } from './runner/preflight.js';
export { BACKEND_PREFERENCES } from './backend/types.js';
export type { BackendPreference } from './backend/types.js';

// Registries and their contracts.
export { strategies } from '../strategies/registry.js';
export type { StrategyName } from '../strategies/registry.js';
export type { ParamProblem, ReconstructionTarget, Strategy, StrategyContext, StrategyDefinition, TokenLayout, Tokens } from '../strategies/types.js';
// A seeded strategy draws in fit and encode; library callers pass these streams as the harness does.
export { createRng, sampleRandom } from './random.js';
export type { Rng } from './random.js';
export { datasets } from '../datasets/registry.js';
export type { DatasetName } from '../datasets/registry.js';
export { EXPRESSION_VALUES, MODALITIES, SPLIT_SEED_PARAM } from '../datasets/types.js';
// An expression reader is a schema and a `read` into a CellMatrix; the shared pipeline does the rest.
export { defineExpressionReader, expressionSourceParams } from '../datasets/expression/source.js';
export type { ExpressionReader, ExpressionSourceParams } from '../datasets/expression/source.js';
export type { CellMatrix } from '../datasets/expression/cell-matrix.js';
export type {
  DatasetContext,
  DatasetDefinition,
  DatasetInfo,
  DatasetShape,
  ExpressionSample,
  ExpressionValues,
  ImageSample,
  InfoOf,
  LoadedDataset,
  Modality,
  Sample,
  SampleOf,
  SeedParams,
  SequenceSample,
  Split,
} from '../datasets/types.js';

// Results: metrics declared once, and the rows a sweep returns.
export { METRICS, METRIC_NAMES } from './results/metrics.js';
export type { Direction, MetricName, MetricSpec, MetricType, MetricValue, Metrics, Provenance } from './results/metrics.js';
export type { ColumnSpec, ColumnType, ResultRow, RowOutcome, RowValue } from './results/columns.js';
export type { SamplePredictions } from './results/predictions.js';
export { mergeResults } from './results/merge.js';
export type { MergeOptions, MergeReport } from './results/merge.js';
export { compareRows, formatComparison, readResultRows } from './results/compare.js';
export type { CompareOptions, Comparison } from './results/compare.js';

// Errors are values: a code, a path and, for config problems, where in the file.
export { TokbenchError } from './errors.js';
export type { ErrorCode, SourceLocation } from './errors.js';
export { ConfigError } from './validation/problems.js';
export type { ConfigProblem, FieldPath, Problem } from './validation/problems.js';
