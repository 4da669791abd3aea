// Tests of the wording of zod issues: what was found, what was expected, for each kind of issue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeIssue, describeValue } from '../../../harness/validation/zod-issues.js';

const schema = z.strictObject({
  size: z.int().min(1).default(4),
  rate: z.number().gt(0).lt(1),
  mode: z.enum(['fast', 'exact']).optional(),
  sizes: z.array(z.int()).min(1).optional(),
  name: z.string().regex(/^[a-z]+$/).optional(),
  step: z.number().multipleOf(0.5).optional(),
  stride: z.union([z.int().min(1), z.literal('same')]).optional(),
  inner: z.strictObject({ depth: z.int() }).optional(),
  even: z
    .int()
    .refine((n) => n % 2 === 0, { message: 'expected an even number' })
    .optional(),
});

function messages(value: Record<string, unknown>): string[] {
  const result = schema.safeParse({ rate: 0.5, ...value });
  assert.ok(!result.success);
  return result.error.issues.flatMap((issue) => describeIssue(issue, value, 'invalid-param', schema)).map((p) => `${p.path.join('.')}: ${p.message}`);
}

test('types, including integers given as strings', () => {
  assert.deepEqual(messages({ size: '4' }), ['size: found "4"; expected an integer']);
  assert.deepEqual(messages({ size: 2.5 }), ['size: found 2.5; expected an integer']);
  assert.deepEqual(messages({ rate: [0.1] }), ['rate: found [0.1]; expected a number']);
  assert.deepEqual(messages({ rate: undefined }), ['rate: found nothing; expected a number']);
});

test('bounds, inclusive and exclusive, on numbers and lists', () => {
  assert.deepEqual(messages({ size: 0 }), ['size: found 0; expected at least 1']);
  assert.deepEqual(messages({ rate: 1 }), ['rate: found 1; expected less than 1']);
  assert.deepEqual(messages({ rate: 0 }), ['rate: found 0; expected more than 0']);
  assert.deepEqual(messages({ sizes: [] }), ['sizes: found []; expected at least 1 item']);
});

test('choices, patterns, multiples, unions and refinements', () => {
  assert.deepEqual(messages({ mode: 'slow' }), ['mode: found "slow"; expected one of "fast", "exact"']);
  assert.deepEqual(messages({ name: 'A b' }), ['name: found "A b"; expected a string matching /^[a-z]+$/']);
  assert.deepEqual(messages({ step: 0.3 }), ['step: found 0.3; expected a multiple of 0.5']);
  assert.deepEqual(messages({ stride: 'valid' }), ['stride: found "valid"; expected a number or "same"']);
  assert.deepEqual(messages({ even: 3 }), ['even: found 3; expected an even number']);
});

test('unknown keys, nested too, with the valid keys and the closest one', () => {
  assert.deepEqual(messages({ sise: 4 }), [
    "sise: found unknown key 'sise'; expected one of size, rate, mode, sizes, name, step, stride, inner, even (did you mean 'size'?)",
  ]);
  assert.deepEqual(messages({ inner: { dpth: 2, depth: 1 } }), ["inner.dpth: found unknown key 'dpth'; expected one of depth (did you mean 'depth'?)"]);
});

test('values read as YAML flow style, long ones shortened', () => {
  assert.equal(describeValue({ a: [1, 'x'], b: null }), '{ a: [1, "x"], b: null }');
  assert.equal(describeValue(Number.NaN), 'NaN');
  assert.equal(describeValue('x'.repeat(80)), `"${'x'.repeat(56)}...`);
});
