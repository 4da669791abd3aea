// predictions.arrow: one row per (cell, seed, test sample), so paired statistics (McNemar, paired bootstrap)
// can compare strategies on the very same test samples.
import { Field, Float32, Int32, List, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import type { TableMetadata } from './provenance.js';
import { schemaMetadata } from './provenance.js';

/** A row's per-sample outcome on the test split, column by column. */
export interface SamplePredictions {
  readonly cellId: string;
  readonly seed: number;
  readonly classNames: readonly string[];
  /** Source row of each test sample in its dataset. */
  readonly sampleIndex: Int32Array;
  /** True class of each sample. */
  readonly labels: Int32Array;
  /** Predicted class of each sample; null with `classify: none`. */
  readonly predicted: Int32Array | null;
  /** Tokens each sample was cut into. */
  readonly tokens: Int32Array;
  /** samples × classes, row-major; null unless `--save-probabilities` and a classifier ran. */
  readonly probabilities: Float32Array | null;
}

interface PredictionColumn {
  readonly name: string;
  readonly type: DataType;
  readonly values: (p: SamplePredictions) => unknown[];
}

const repeat = <T>(value: T, p: SamplePredictions): T[] => new Array<T>(p.sampleIndex.length).fill(value);

const COLUMNS: readonly PredictionColumn[] = [
  { name: 'cell_id', type: new Utf8(), values: (p) => repeat(p.cellId, p) },
  { name: 'seed', type: new Int32(), values: (p) => repeat(p.seed, p) },
  { name: 'sample_index', type: new Int32(), values: (p) => Array.from(p.sampleIndex) },
  { name: 'label', type: new Utf8(), values: (p) => Array.from(p.labels, (y) => p.classNames[y]) },
  { name: 'predicted', type: new Utf8(), values: (p) => (p.predicted === null ? repeat(null, p) : Array.from(p.predicted, (y) => p.classNames[y])) },
  { name: 'tokens', type: new Int32(), values: (p) => Array.from(p.tokens) },
];

const PROBABILITIES: PredictionColumn = {
  name: 'probabilities',
  type: new List(new Field('item', new Float32(), false)),
  values: (p) => {
    const k = p.classNames.length;
    return Array.from(p.sampleIndex, (_, i) => (p.probabilities === null ? null : Array.from(p.probabilities.subarray(i * k, (i + 1) * k))));
  },
};

/** One table of every row's predictions; `probabilities` is a column only when asked for. */
export function buildPredictionsTable(all: readonly SamplePredictions[], withProbabilities: boolean, metadata: TableMetadata): Table {
  const columns = withProbabilities ? [...COLUMNS, PROBABILITIES] : COLUMNS;
  const fields = columns.map((c) => new Field(c.name, c.type, true));
  const schema = new Schema(fields, schemaMetadata(metadata));
  const length = all.reduce((n, p) => n + p.sampleIndex.length, 0);
  const children = columns.map((c, i) => vectorFromArray(all.flatMap((p) => c.values(p)), fields[i].type).data[0]);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
