// Reads the shape of a zod 4 schema (object keys, list-typed fields) through its public core classes.
import { z } from 'zod';

/** The schema that decides the YAML value's shape, under defaults, optionals and similar wrappers. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.core.$ZodDefault ||
      current instanceof z.core.$ZodPrefault ||
      current instanceof z.core.$ZodOptional ||
      current instanceof z.core.$ZodNullable ||
      current instanceof z.core.$ZodNonOptional ||
      current instanceof z.core.$ZodReadonly ||
      current instanceof z.core.$ZodCatch
    ) {
      current = current._zod.def.innerType;
    } else if (current instanceof z.core.$ZodPipe) {
      // The YAML holds the pipe's input; its output may have another shape.
      current = current._zod.def.in;
    } else {
      return current;
    }
  }
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
