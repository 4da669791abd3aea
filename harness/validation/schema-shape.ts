// Reads the shape of a zod 4 schema (object keys, list-typed fields) through its public core classes.
import { z } from 'zod';

/** The schema a wrapper (default, optional and similar) wraps, or undefined when the schema is no wrapper. */
function wrapped(schema: z.core.$ZodType): z.core.$ZodType | undefined {
  if (
    schema instanceof z.core.$ZodDefault ||
    schema instanceof z.core.$ZodPrefault ||
    schema instanceof z.core.$ZodOptional ||
    schema instanceof z.core.$ZodNullable ||
    schema instanceof z.core.$ZodNonOptional ||
    schema instanceof z.core.$ZodReadonly ||
    schema instanceof z.core.$ZodCatch
  ) {
    return schema._zod.def.innerType;
  }
  // The YAML holds the pipe's input; its output may have another shape.
  return schema instanceof z.core.$ZodPipe ? schema._zod.def.in : undefined;
}

/** The schema that decides the YAML value's shape, under defaults, optionals and similar wrappers. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let inner = wrapped(current); inner !== undefined; inner = wrapped(current)) current = inner;
  return current;
}

/** The `.describe()` text of a field, given outside or inside its wrappers (`.describe().default()` keeps it inside). */
export function description(schema: z.core.$ZodType): string | undefined {
  for (let current: z.core.$ZodType | undefined = schema; current !== undefined; current = wrapped(current)) {
    const text = z.globalRegistry.get(current)?.description;
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Whether values of this schema are themselves lists (so a list of them, not a list, is a sweep axis). */
export function isListSchema(schema: z.core.$ZodType): boolean {
  const inner = unwrap(schema);
  return inner instanceof z.core.$ZodArray || inner instanceof z.core.$ZodTuple;
}

/** Whether the schema only accepts integers (zod reports a string given to `z.int()` as "expected number"). */
export function isIntegerSchema(schema: z.core.$ZodType): boolean {
  const inner = unwrap(schema);
  return inner instanceof z.ZodNumber && inner.isInt;
}

/** The least and greatest number the schema accepts (±Infinity where unbounded); undefined when it is not a number schema. */
export function numberRange(schema: z.core.$ZodType): { readonly min: number; readonly max: number } | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodNumber ? { min: inner.minValue ?? -Infinity, max: inner.maxValue ?? Infinity } : undefined;
}

/** The keys an object schema accepts; undefined when the schema is not an object. */
export function objectKeys(schema: z.core.$ZodType): string[] | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.core.$ZodObject ? Object.keys(inner._zod.def.shape) : undefined;
}

/** The schema of the field at `path` (keys and list indices), or undefined where the shape is unknown. */
export function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (const part of path) {
    if (current === undefined) return undefined;
    const inner = unwrap(current);
    if (inner instanceof z.core.$ZodObject) {
      current = typeof part === 'string' ? inner._zod.def.shape[part] : undefined;
    } else if (inner instanceof z.core.$ZodArray) {
      current = inner._zod.def.element;
    } else if (inner instanceof z.core.$ZodTuple) {
      current = typeof part === 'number' ? inner._zod.def.items[part] : undefined;
    } else if (inner instanceof z.core.$ZodRecord) {
      current = inner._zod.def.valueType;
    } else {
      return undefined;
    }
  }
  return current;
}

/** Each field's default value, for the fields of an object schema that have one. */
export function defaultValues(schema: z.core.$ZodType): Record<string, unknown> {
  const inner = unwrap(schema);
  if (!(inner instanceof z.core.$ZodObject)) return {};
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(inner._zod.def.shape)) {
    if (field instanceof z.core.$ZodDefault) defaults[key] = field._zod.def.defaultValue;
  }
  return defaults;
}
