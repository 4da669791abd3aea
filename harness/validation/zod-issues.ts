// Turns zod 4 issues into "found …; expected …" problems, with "did you mean" for unknown keys (as lm-evaluation-harness does for names).
import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import type { FieldPath, Problem } from './problems.js';
import { isIntegerSchema, objectKeys, schemaAt } from './schema-shape.js';

const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** A value as it would read in YAML flow style (strings quoted, so "4" and 4 differ), shortened when long. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = flow(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${key}: ${flow(member)}`);
    return members.length > 0 ? `{ ${members.join(', ')} }` : '{}';
  }
  // JSON would print NaN (a non-number typed at the command line) as null.
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, side: 'min' | 'max'): string {
  const unit = origin === 'array' || origin === 'set' ? ' item' : origin === 'string' ? ' character' : '';
  const plural = unit !== '' && Number(limit) !== 1 ? 's' : '';
  const word = side === 'min' ? (inclusive === false ? 'more than' : 'at least') : inclusive === false ? 'less than' : 'at most';
  return `${word} ${limit}${unit}${plural}`;
}

/** What the schema wanted, in words; `field` is the schema at the issue's path, when known. */
function expectation(issue: z.core.$ZodIssue, field?: z.core.$ZodType): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' && field !== undefined && isIntegerSchema(field) ? TYPE_WORDS.int : (TYPE_WORDS[issue.expected] ?? issue.expected);
    case 'invalid_value':
      return issue.values.length === 1 ? describeValue(issue.values[0]) : `one of ${issue.values.map(describeValue).join(', ')}`;
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive, 'min');
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive, 'max');
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union': {
      const branches = issue.errors.flatMap((branch) => (branch[0] !== undefined ? [expectation(branch[0])] : []));
      return branches.length > 0 ? [...new Set(branches)].join(' or ') : issue.message;
    }
    default:
      return issue.message;
  }
}

/**
 * The problems one issue stands for, with paths relative to the validated value. `input` is the
 * value that was validated; `schema` (when known) lets an unknown key be matched to the valid ones.
 */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, code: ErrorCode, schema?: z.core.$ZodType): Problem[] {
  const path: FieldPath = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  if (issue.code === 'unrecognized_keys') {
    const owner = schema !== undefined ? schemaAt(schema, issue.path) : undefined;
    const valid = (owner !== undefined ? objectKeys(owner) : undefined) ?? [];
    return issue.keys.map((key) => {
      const hint = valid.length > 0 ? `; expected one of ${valid.join(', ')} (did you mean '${closest(key, valid)}'?)` : '; expected no keys here';
      return { code, path: [...path, key], message: `found unknown key '${key}'${hint}`, atKey: true };
    });
  }
  const found = describeValue(valueAt(input, issue.path));
  const field = schema !== undefined ? schemaAt(schema, issue.path) : undefined;
  // A refinement's message already says what is needed.
  const message = issue.code === 'custom' ? `found ${found}; ${issue.message}` : `found ${found}; expected ${expectation(issue, field)}`;
  return [{ code, path, message }];
}
