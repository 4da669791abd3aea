// predictions.arrow: one row per (cell, seed, test sample), so paired statistics (McNemar, paired bootstrap)
// can compare strategies on the very same test samples. Each run's predictions are saved beside its row;
// the sweep's file is their concatenation.
import { Field, Float32, Int32, List, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { readFile } from 'node:fs/promises';
import type { TableMetadata } from './provenance.js';
import { schemaMetadata } from './provenance.js';

/** A row's per-sample outcome on the test split, column by column. */
export interface SamplePredictions {
  readonly cellId: string;
  readonly seed: number;
  readonly classNames: readonly string[];
  /** Source row of each test sample in its dataset. */
  readonly sampleIndex: Int32Array;
  /** Window of each test sample within its source row, when the reader cut windows; null otherwise. */
  readonly window: Int32Array | null;
  /** True class of each sample. */
  readonly labels: Int32Array;
  /** Predicted class of each sample; null with `classify: none`. */
  readonly predicted: Int32Array | null;
  /** Tokens each sample was cut into. */
  readonly tokens: Int32Array;
  /** samples × classes, row-major; null unless `--save-probabilities` and a classifier ran. */
  readonly probabilities: Float32Array | null;
}

/** The file's columns as plain values, one array per column. */
type Columns = Record<string, unknown[]>;

const PROBABILITIES = 'probabilities';
const WINDOW = 'window';

const TYPES: Readonly<Record<string, () => DataType>> = {
  cell_id: () => new Utf8(),
  seed: () => new Int32(),
  sample_index: () => new Int32(),
  [WINDOW]: () => new Int32(),
  label: () => new Utf8(),
  predicted: () => new Utf8(),
  tokens: () => new Int32(),
  [PROBABILITIES]: () => new List(new Field('item', new Float32(), false)),
};

function columnsOf(p: SamplePredictions): Columns {
  const n = p.sampleIndex.length;
  const k = p.classNames.length;
  return {
    cell_id: new Array<string>(n).fill(p.cellId),
    seed: new Array<number>(n).fill(p.seed),
    sample_index: Array.from(p.sampleIndex),
    ...(p.window === null ? {} : { [WINDOW]: Array.from(p.window) }),
    label: Array.from(p.labels, (y) => p.classNames[y]),
    predicted: p.predicted === null ? new Array<null>(n).fill(null) : Array.from(p.predicted, (y) => p.classNames[y]),
    tokens: Array.from(p.tokens),
    [PROBABILITIES]: Array.from({ length: n }, (_, i) => (p.probabilities === null ? null : Array.from(p.probabilities.subarray(i * k, (i + 1) * k)))),
  };
}

function build(parts: readonly Columns[], withProbabilities: boolean, metadata: TableMetadata): Table {
  // `window` only where a reader cut windows; `probabilities` only when asked for.
  const withWindows = parts.some((part) => part[WINDOW] !== undefined);
  const names = Object.keys(TYPES).filter((name) => (withProbabilities || name !== PROBABILITIES) && (withWindows || name !== WINDOW));
  const fields = names.map((name) => new Field(name, TYPES[name](), true));
  const schema = new Schema(fields, schemaMetadata(metadata));
  const length = parts.reduce((n, part) => n + part.cell_id.length, 0);
  // A part saved without probabilities has none to give: nulls, never a shifted column.
  const values = (part: Columns, name: string) => part[name] ?? new Array<null>(part.cell_id.length).fill(null);
  const children = names.map((name, i) => vectorFromArray(parts.flatMap((part) => values(part, name)), fields[i].type).data[0]);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

/** One run's predictions as a table; `probabilities` is a column only when asked for. */
export function buildPredictionsTable(all: readonly SamplePredictions[], withProbabilities: boolean, metadata: TableMetadata): Table {
  return build(all.map(columnsOf), withProbabilities, metadata);
}

/** The runs' saved prediction files concatenated in the given order, as one table. */
export async function concatPredictionFiles(files: readonly string[], withProbabilities: boolean, metadata: TableMetadata): Promise<Table> {
  const parts: Columns[] = [];
  for (const file of files) {
    const table = tableFromIPC(await readFile(file));
    const part: Columns = {};
    for (const field of table.schema.fields) {
      const values = table.getChild(field.name)?.toArray() ?? [];
      // List cells come back as Arrow vectors; strings and numbers as plain values.
      part[field.name] = Array.from(values as ArrayLike<unknown>, (v) => (v !== null && typeof v === 'object' && Symbol.iterator in v ? Array.from(v as Iterable<number>) : v));
    }
    parts.push(part);
  }
  return build(parts, withProbabilities, metadata);
}
