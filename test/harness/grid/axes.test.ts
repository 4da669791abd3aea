// Tests of the sweep-axis rule: lists are axes, except for list-typed params, where lists of lists are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { expandAxes, isAxis } from '../../../harness/grid/axes.js';

const schema = z.strictObject({
  size: z.int().default(4),
  mode: z.enum(['a', 'b']).optional(),
  sizes: z.array(z.int()).default([4, 8]),
  pair: z.tuple([z.int(), z.int()]).optional(),
});

test('a list is an axis for a scalar param; for a list-typed param only a list of lists is', () => {
  assert.equal(isAxis(schema, 'size', [4, 7]), true);
  assert.equal(isAxis(schema, 'size', 4), false);
  assert.equal(isAxis(schema, 'sizes', [4, 8]), false);
  assert.equal(isAxis(schema, 'sizes', [[4], [4, 8]]), true);
  assert.equal(isAxis(schema, 'sizes', []), false);
  assert.equal(isAxis(schema, 'pair', [1, 2]), false);
  assert.equal(isAxis(schema, 'pair', [[1, 2], [3, 4]]), true);
  // An unknown key stays as written, so the schema rejects it once.
  assert.equal(isAxis(schema, 'sise', [4, 7]), false);
});

test('axes expand as a cartesian product, the first written axis varying slowest', () => {
  const { combinations, problems } = expandAxes({ size: [2, 3], mode: ['a', 'b'], sizes: [1, 2] }, schema, ['params']);
  assert.deepEqual(problems, []);
  assert.deepEqual(combinations, [
    { values: { size: 2, mode: 'a', sizes: [1, 2] }, picks: { size: 0, mode: 0 } },
    { values: { size: 2, mode: 'b', sizes: [1, 2] }, picks: { size: 0, mode: 1 } },
    { values: { size: 3, mode: 'a', sizes: [1, 2] }, picks: { size: 1, mode: 0 } },
    { values: { size: 3, mode: 'b', sizes: [1, 2] }, picks: { size: 1, mode: 1 } },
  ]);
});

test('a list of lists sweeps a list-typed param', () => {
  const { combinations } = expandAxes({ sizes: [[4], [4, 8], [2, 4, 8]] }, schema, []);
  assert.deepEqual(
    combinations.map((c) => c.values.sizes),
    [[4], [4, 8], [2, 4, 8]],
  );
});

test('no axes: one combination with the values as written', () => {
  assert.deepEqual(expandAxes({ size: 4 }, schema, []).combinations, [{ values: { size: 4 }, picks: {} }]);
  assert.deepEqual(expandAxes({}, schema, []).combinations, [{ values: {}, picks: {} }]);
});

test('an empty axis and a repeated value are problems at their place', () => {
  assert.deepEqual(expandAxes({ size: [] }, schema, ['model']).problems, [
    { code: 'config', path: ['model', 'size'], message: 'found an empty list; expected at least one value to sweep over' },
  ]);
  assert.deepEqual(expandAxes({ sizes: [[1, 2], [3], [1, 2]] }, schema, ['p']).problems, [
    { code: 'config', path: ['p', 'sizes', 2], message: 'found [1, 2] again (also at index 0); expected distinct values along a sweep axis' },
  ]);
});
