import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { checkSplitParams, splitParams, splitProblem, splitRows } from '../../datasets/split-params.js';
import { TokbenchError } from '../../harness/errors.js';

describe('split parameters', () => {
  it('describe their samples by the unit the reader names', () => {
    const shape = splitParams('images');
    assert.match(shape.test_fraction.description ?? '', /^Fraction of images held out for testing/);
    assert.match(shape.train_size.description ?? '', /^Training images, drawn stratified by label/);
  });

  it('exclude a fraction when the data has its own test split, and no longer need sizes in pairs then', () => {
    const own = "the folder's test/ gives the test images";
    // Each message follows the config layer's "found <value>; " as one sentence.
    assert.deepEqual(splitProblem({ test_fraction: 0.2 }, own, 'd'), { param: 'test_fraction', message: "expected no test_fraction for d, because the folder's test/ gives the test images" });
    assert.equal(splitProblem({ train_size: 3 }, own, 'd'), undefined);
    assert.deepEqual(splitProblem({ test_size: 3 }, undefined, 'd'), { param: 'train_size', message: 'expected a size too, because d takes train_size and test_size together (or neither, to hold out test_fraction)' });
    assert.deepEqual(splitProblem({ test_fraction: 0.2, train_size: 3 }, undefined, 'd'), { param: 'test_fraction', message: 'expected no test_fraction for d beside train_size or test_size, because the sizes set the split' });
    assert.equal(splitProblem({}, undefined, 'd'), undefined);
  });

  it('are checked by zod against the own test file only for a reader that takes one', () => {
    const schema = (testFile?: { param: string; unit: string }) =>
      z.strictObject({ ...splitParams('records'), test_path: z.string().optional() }).superRefine(checkSplitParams('d', testFile));
    const issues = (s: ReturnType<typeof schema>, p: object) => s.safeParse(p).error?.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(issues(schema({ param: 'test_path', unit: 'records' }), { test_path: 't.csv', train_size: 2 }), undefined);
    assert.deepEqual(issues(schema(), { test_path: 't.csv', train_size: 2 }), ['test_size']);
  });

  it('draw every row of each own source without sizes, a stratified share with one', () => {
    const train = { labels: Int32Array.from([0, 0, 1, 1]), where: 'train/' };
    const test = { labels: Int32Array.from([1, 0, 1]), where: 'test/' };
    const all = splitRows('d', 'images', train, test, { seed: 0 });
    assert.deepEqual([[...all.train], [...all.test]], [[0, 1, 2, 3], [0, 1, 2]]);
    // Two of three test rows: one per class (largest remainder), so row 1, the only class-0 row, is always drawn.
    const drawn = splitRows('d', 'images', train, test, { seed: 0, test_size: 2 });
    assert.equal(drawn.test.length, 2);
    assert.ok(drawn.test.includes(1));
    assert.throws(
      () => splitRows('d', 'images', train, test, { seed: 0, train_size: 5 }),
      (error: unknown) => error instanceof TokbenchError && error.message === "The 'train_size' parameter of d must be at most 4, the images of train/; got 5 instead." && error.path[0] === 'train_size',
    );
  });
});
