// The model and training params as result columns, generated from their zod schemas (harness/model/params.ts):
// a param declared there gets its column, type and description, and its value a text that fits the column.
import type { z } from 'zod';
import { inapplicableTrainParams, modelParams, trainParams } from '../model/params.js';
import type { ModelParams, TrainParams } from '../model/params.js';
import { BUDGET_KINDS, budgetText } from '../training/budget.js';
import type { Budget } from '../training/budget.js';
import { description, isIntegerSchema, numberRange, objectKeys, schemaAt } from '../validation/schema-shape.js';
import type { ColumnSpec, ColumnType, ResultRow, RowValue } from './columns.js';

/** The sections of a cell's configuration whose params are columns, as `model.*` and `train.*` axes name them. */
const SECTIONS: ReadonlyMap<string, z.core.$ZodType> = new Map<string, z.core.$ZodType>([['model', modelParams], ['train', trainParams]]);

/** `train.pretrain_budget` → its section's schema (undefined for `dataset.*`, `strategy.*`) and the param's name. */
function splitAxis(axis: string): { readonly section: z.core.$ZodType | undefined; readonly name: string } {
  const dot = axis.indexOf('.');
  return { section: dot < 0 ? undefined : SECTIONS.get(axis.slice(0, dot)), name: axis.slice(dot + 1) };
}

/**
 * int32 for integers whose whole declared range fits 32 bits, float64 for any other number (exact up to 2^53,
 * so an unbounded `z.int()` is float64), utf8 for the rest: enums, strings, booleans, and lists and objects as text.
 */
export function paramColumnType(field: z.core.$ZodType): ColumnType {
  const range = numberRange(field);
  if (range === undefined) return 'utf8';
  return isIntegerSchema(field) && range.min >= -(2 ** 31) && range.max < 2 ** 31 ? 'int32' : 'float64';
}

/** A training budget: `budgetSchema` builds a new schema per stage, so a budget is told by its keys, exactly the budget kinds. */
function isBudget(field: z.core.$ZodType): boolean {
  const keys = objectKeys(field);
  return keys !== undefined && keys.length === BUDGET_KINDS.length && BUDGET_KINDS.every((kind) => keys.includes(kind));
}

/**
 * A param's value as its column holds it: numbers and strings as they are, a budget as `budgetText`
 * (`flops=2e9`), anything else (lists such as `lr_select`, objects, booleans, a number in a text column) as JSON:
 * `[0.001,0.003]` reads back with any JSON parser, where `0.001, 0.003` would blur into the `, ` that joins axes
 * in summary.md. Missing (an optional param left out) is null. Without a schema (a param an older tokbench had)
 * the value's own type decides.
 */
export function paramColumnValue(field: z.core.$ZodType | undefined, value: unknown): RowValue {
  if (value === undefined || value === null) return null;
  if (field !== undefined && isBudget(field)) return budgetText(value as Budget);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && (field === undefined || paramColumnType(field) !== 'utf8')) return value;
  return JSON.stringify(value);
}

/** One column per key of an object schema, in declaration order, named by the key and described by its `.describe()` text. */
export function paramColumns(schema: z.core.$ZodType): ColumnSpec[] {
  return (objectKeys(schema) ?? []).map((name) => {
    const field = schemaAt(schema, [name]) as z.core.$ZodType;
    return { name, type: paramColumnType(field), unit: '', direction: 'none', provenance: 'config', description: description(field) ?? '' };
  });
}

/** Every key of an object schema with its value from `values` as its column holds it (null when `values` lacks it). */
export function paramValues(schema: z.core.$ZodType, values: Readonly<Record<string, unknown>>): ResultRow {
  return Object.fromEntries((objectKeys(schema) ?? []).map((name) => [name, paramColumnValue(schemaAt(schema, [name]), values[name])]));
}

/** The model's params, then the training params: the columns of every result row between `strategy` and `params_json`. */
export const PARAM_COLUMNS: readonly ColumnSpec[] = [...paramColumns(modelParams), ...paramColumns(trainParams)];

/** A cell's model and training params as the values of PARAM_COLUMNS; null for a training param that does not act on the run (a probe's `classify_budget`). */
export function paramColumnValues(model: ModelParams, train: TrainParams): ResultRow {
  const unused = Object.fromEntries(inapplicableTrainParams(train).map((name) => [name, null]));
  return { ...paramValues(modelParams, model), ...paramValues(trainParams, train), ...unused };
}

/** Whether an axis (`model.dim`, `train.pretrain_budget`) is a model or training param, held in PARAM_COLUMNS. */
export function isParamAxis(axis: string): boolean {
  return splitAxis(axis).section !== undefined;
}

/** A `model.*` or `train.*` axis's value as its param column holds it: `train.pretrain_budget` `{flops: 2e9}` → `flops=2e9`. */
export function paramAxisValue(axis: string, value: unknown): RowValue {
  const { section, name } = splitAxis(axis);
  return paramColumnValue(section === undefined ? undefined : schemaAt(section, [name]), value);
}
