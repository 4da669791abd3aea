// Checks shared by the datasets' `describe` tests: the shape agrees with what `load` produces, and both refuse the same params alike.
import assert from 'node:assert/strict';
import type { DatasetDefinition, DatasetShape, Modality } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';

/** Asserts that `describe` reports the info, split sizes and class count `load` produces; returns the shape. */
export async function assertDescribeMatchesLoad<M extends Modality, P extends object>(definition: DatasetDefinition<M, P>, params: P): Promise<DatasetShape<M>> {
  const shape = await definition.describe(params);
  const data = await definition.load(params);
  assert.deepEqual(shape.info, data.info);
  assert.equal(shape.trainSize, data.train.samples.length);
  assert.equal(shape.testSize, data.test.samples.length);
  assert.equal(shape.classes, data.classNames.length);
  return shape;
}

/** Asserts that `describe` and `load` both throw the same `invalid-param` error at `path` for `params`. */
export async function assertBothRefuse<M extends Modality, P extends object>(definition: DatasetDefinition<M, P>, params: P, path: readonly string[]): Promise<void> {
  const refusal = async (promise: Promise<unknown>) => {
    const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TokbenchError, `expected a TokbenchError; got ${String(error)}`);
    return { code: error.code, message: error.message, path: error.path };
  };
  const described = await refusal(definition.describe(params));
  assert.equal(described.code, 'invalid-param');
  assert.deepEqual(described.path, path);
  assert.deepEqual(await refusal(definition.load(params)), described);
}
