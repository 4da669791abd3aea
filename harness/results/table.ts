// Result rows → one typed Apache Arrow table (fixed columns plus this sweep's axis columns).
import { Field, Float64, Int32, List, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import type { ColumnSpec, ColumnType, ResultRow, RowValue } from './columns.js';
import { FIXED_COLUMNS } from './columns.js';
import { isParamAxis } from './param-columns.js';
import type { TableMetadata } from './provenance.js';
import { schemaMetadata } from './provenance.js';

const ARROW_TYPES: { readonly [T in ColumnType]: () => DataType } = {
  utf8: () => new Utf8(),
  int32: () => new Int32(),
  float64: () => new Float64(),
  'list<float64>': () => new List(new Field('item', new Float64(), false)),
};

const arrowType = (type: ColumnType): DataType => ARROW_TYPES[type]();

/**
 * Types an axis column from its values: integers → int32, other numbers → float64, anything else → utf8
 * (lists and objects as JSON), so a column like `strategy.patch_size` filters numerically in any reader.
 */
export function axisColumn(name: string, values: readonly unknown[]): ColumnSpec {
  const present = values.filter((v) => v !== null && v !== undefined);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
  const type: ColumnType = numeric ? (present.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31) ? 'int32' : 'float64') : 'utf8';
  return { name, type, unit: '', direction: 'none', provenance: 'config', description: `Sweep axis ${name}.` };
}

/**
 * The column holding an axis's value: `dataset.*` and `strategy.*` axes get columns of their own; model
 * and training params have the fixed param columns named by the param alone (`train.lr` → `lr`).
 */
export function axisColumnName(axis: string): string {
  return isParamAxis(axis) ? axis.slice(axis.indexOf('.') + 1) : axis;
}

/** The value a `dataset.*` or `strategy.*` axis takes in a row, converted to its column's representation (model and train params: paramAxisValue). */
export function axisValue(value: unknown): RowValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function buildTable(rows: readonly ResultRow[], axisColumns: readonly ColumnSpec[], metadata: TableMetadata): Table {
  const columns = [...FIXED_COLUMNS, ...axisColumns];
  const fields = columns.map((c) => new Field(c.name, arrowType(c.type), true));
  const schema = new Schema(fields, schemaMetadata(metadata));
  const children = columns.map((c, i) => vectorFromArray(rows.map((r) => r[c.name] ?? null), fields[i].type).data[0]);
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
