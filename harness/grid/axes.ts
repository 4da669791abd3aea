// Sweep axes: a param written as a list is swept over, unless the param itself takes a list (then a list of lists is).
import type { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import type { FieldPath, Problem } from '../validation/problems.js';
import { describeValue } from '../validation/zod-issues.js';
import { isListSchema, objectKeys, schemaAt } from '../validation/schema-shape.js';

/** One point of a params block's grid: the values, and the index each axis took in its list. */
export interface Combination {
  readonly values: Readonly<Record<string, unknown>>;
  readonly picks: Readonly<Record<string, number>>;
}

export interface Expansion {
  readonly combinations: readonly Combination[];
  readonly problems: readonly Problem[];
}

/** Whether `value` written for `key` is a sweep axis of the params block validated by `schema`. */
export function isAxis(schema: z.core.$ZodType, key: string, value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  const known = objectKeys(schema);
  // An unknown key is left as written, so zod reports it once rather than once per value.
  if (known !== undefined && !known.includes(key)) return false;
  const field = schemaAt(schema, [key]);
  if (field !== undefined && isListSchema(field)) return value.length > 0 && value.every((item) => Array.isArray(item));
  return true;
}

/**
 * The cartesian product of a params block's axes, the first written axis varying slowest (as
 * itertools.product). An empty axis or a value repeated along an axis is a problem at `path`.
 */
export function expandAxes(raw: Readonly<Record<string, unknown>>, schema: z.core.$ZodType, path: FieldPath): Expansion {
  const problems: Problem[] = [];
  let combinations: Combination[] = [{ values: {}, picks: {} }];
  for (const [key, value] of Object.entries(raw)) {
    if (!isAxis(schema, key, value)) {
      combinations = combinations.map((c) => ({ values: { ...c.values, [key]: value }, picks: c.picks }));
      continue;
    }
    if (value.length === 0) {
      problems.push({ code: 'config', path: [...path, key], message: 'found an empty list; expected at least one value to sweep over' });
    }
    const seen = new Map<string, number>();
    value.forEach((item, index) => {
      const text = canonicalJson(item);
      const first = seen.get(text);
      if (first !== undefined) {
        problems.push({
          code: 'config',
          path: [...path, key, index],
          message: `found ${describeValue(item)} again (also at index ${first}); expected distinct values along a sweep axis`,
        });
      } else {
        seen.set(text, index);
      }
    });
    combinations = combinations.flatMap((c) =>
      value.map((item, index) => ({ values: { ...c.values, [key]: item }, picks: { ...c.picks, [key]: index } })),
    );
  }
  return { combinations, problems };
}
