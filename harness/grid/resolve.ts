// Validates every combination of a params block against its zod schema (defaults filled in), each distinct problem once.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import { formatPath, type FieldPath, type Problem } from '../validation/problems.js';
import { schemaAt } from '../validation/schema-shape.js';
import { describeIssue, describeValue } from '../validation/zod-issues.js';
import { expandAxes, type Combination } from './axes.js';

export interface Resolved<T> {
  readonly params: T;
  /** Index each axis took in its list, by param name. */
  readonly picks: Readonly<Record<string, number>>;
}

export interface Resolution<T> {
  readonly resolved: readonly Resolved<T>[];
  readonly problems: readonly Problem[];
}

export function resolveParams<T>(raw: Readonly<Record<string, unknown>>, schema: z.ZodType<T>, path: FieldPath, code: ErrorCode): Resolution<T> {
  const expansion = expandAxes(raw, schema, path);
  const problems: Problem[] = [...expansion.problems];
  const seen = new Set<string>();
  const resolved: Resolved<T>[] = [];
  for (const combination of expansion.combinations) {
    const result = schema.safeParse(combination.values);
    if (result.success) {
      resolved.push({ params: result.data, picks: combination.picks });
      continue;
    }
    for (const issue of result.error.issues) {
      for (const relative of describeIssue(issue, combination.values, code, schema)) {
        const problem = placeInSweep(relative, combination, path, issue.code === 'custom' && !failsAlone(schema, issue.path, combination.values));
        // An invalid axis value fails every combination it is part of; say so once.
        const key = `${formatPath(problem.path)}\n${problem.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(problem);
        }
      }
    }
  }
  return { resolved, problems };
}

/**
 * Whether the field an issue is about fails its own schema, whatever the other params: then a refinement it broke
 * is the field's own (a budget naming two kinds), not one across fields, and the other axes' values do not matter.
 */
function failsAlone(schema: z.ZodType, path: readonly PropertyKey[], values: Readonly<Record<string, unknown>>): boolean {
  const [head] = path;
  const field = typeof head === 'string' ? schemaAt(schema, [head]) : undefined;
  return field !== undefined && !z.safeParse(field, values[head as string]).success;
}

/**
 * Prefixes the block's path and, when the field is an axis, the index of the offending value in
 * its list. A refinement across fields names the other axes' values, since only some
 * combinations may break it.
 */
function placeInSweep(problem: Problem, combination: Combination, path: FieldPath, crossField: boolean): Problem {
  const [head, ...rest] = problem.path;
  const pick = typeof head === 'string' && Object.hasOwn(combination.picks, head) ? combination.picks[head] : undefined;
  const located = pick !== undefined ? [head, pick, ...rest] : problem.path;
  const others = Object.keys(combination.picks).filter((key) => key !== head);
  const context =
    crossField && others.length > 0 ? ` (with ${others.map((key) => `${key} = ${describeValue(combination.values[key])}`).join(', ')})` : '';
  return { ...problem, path: [...path, ...located], message: problem.message + context };
}
