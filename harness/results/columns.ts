// The result table's fixed columns, each declared once with its type, unit, direction and provenance.
// results/README.md documents exactly these; a test keeps the two in step. Metrics are declared in metrics.ts,
// the model and training params' columns are generated from their schemas in param-columns.ts.
import type { Direction, MetricType, Provenance } from './metrics.js';
import { METRIC_NAMES, METRICS } from './metrics.js';
import { PARAM_COLUMNS } from './param-columns.js';
import type { SamplePredictions } from './predictions.js';

export type ColumnType = MetricType | 'utf8';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly unit: string;
  readonly direction: Direction;
  readonly provenance: Provenance;
  readonly description: string;
}

const id = (name: string, type: ColumnType, description: string): ColumnSpec => ({ name, type, unit: '', direction: 'none', provenance: 'config', description });

export const IDENTITY_COLUMNS: readonly ColumnSpec[] = [
  id('sweep', 'utf8', 'Sweep name from the config.'),
  id('cell_id', 'utf8', 'Stable id of the grid cell: hash of `config`, its parameters that differ from their defaults (not the seed), so a parameter tokbench gains with a default keeps every id.'),
  id('config', 'utf8', 'The cell\'s readable configuration: `{dataset, strategy, model, train}` with only the parameters that differ from their defaults, as canonical JSON (paths as written in the YAML). Rows of different tokbench versions are compared on it.'),
  id('config_hash', 'utf8', 'SHA-256 (16 hex digits) of the fully resolved configuration, defaults included: resume re-runs a row whose hash differs from the sweep\'s.'),
  id('data_hash', 'utf8', 'SHA-256 (16 hex digits) of the content of every data file the dataset read and every file named by the strategy params (a medians table, gene sets); empty for simulated data with no such file. Resume re-runs a row whose data changed.'),
  id('seed', 'int32', "The sweep seed of this row: initialisation, masking and batch order (the train/test split is fixed by the dataset's `split_seed`, default its `seed`)."),
  id('modality', 'utf8', '`image`, `expression` or `sequence`.'),
  id('dataset', 'utf8', 'Dataset registry name.'),
  id('strategy', 'utf8', 'Strategy registry name.'),
  ...PARAM_COLUMNS,
  id('params_json', 'utf8', 'Every resolved parameter of the cell as JSON: `{dataset, strategy, model, train}` with names and params.'),
];

export const STATUS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'status', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: '`ok`, `failed` (the cell threw) or `diverged` (a non-finite loss).' },
  { name: 'error', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: 'Error text when status is not `ok`, else null.' },
  { name: 'decode_note', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: "How the strategy's `decode` estimates what its tokens do not carry (rank tokens have no magnitudes, overlapping k-mers can disagree); empty when decode is exact." },
  { name: 'backend', type: 'utf8', unit: '', direction: 'none', provenance: 'measured', description: 'tfjs backend that ran the cell (`tensorflow` with or without GPU, `wasm`, `cpu`).' },
  { name: 'tokbench_version', type: 'utf8', unit: '', direction: 'none', provenance: 'config', description: 'Version of tokbench that wrote the row.' },
];

/** The metric columns, in declaration order. */
export const METRIC_COLUMNS: readonly ColumnSpec[] = METRIC_NAMES.map((name) => {
  const { type, unit, direction, provenance, description } = METRICS[name];
  return { name, type, unit, direction, provenance, description };
});

export const FIXED_COLUMNS: readonly ColumnSpec[] = [...IDENTITY_COLUMNS, ...STATUS_COLUMNS, ...METRIC_COLUMNS];

/** One result row; axis columns (`dataset.*`, `strategy.*`) are added per sweep beside the fixed ones. */
export type RowValue = string | number | readonly number[] | null;
export type ResultRow = Record<string, RowValue>;

/** What one (cell, seed) produced: its row and, for an `ok` row, its per-sample test predictions. */
export interface RowOutcome {
  readonly row: ResultRow;
  readonly predictions: SamplePredictions | null;
  /** A failure's full error (stack included) for errors.log; null for an ok row. */
  readonly errorDetail: string | null;
  /** The fitted tokenizer's state as files (`--save-tokenizers`), or null. */
  readonly artifacts: Readonly<Record<string, string>> | null;
}
