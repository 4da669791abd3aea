// Checks shared by the datasets' `describe` tests: the shape agrees with what `load` produces, and both refuse the same params alike.
import assert from 'node:assert/strict';
import type { DatasetContext, DatasetDefinition, DatasetShape, Modality } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';

/** Asserts that `describe` reports the info, split sizes (validation too) and class count `load` produces; returns the shape. */
export async function assertDescribeMatchesLoad<M extends Modality, P extends object>(definition: DatasetDefinition<M, P>, params: P, context?: DatasetContext): Promise<DatasetShape<M>> {
  const shape = await definition.describe(params, context);
  const data = await definition.load(params, context);
  assert.deepEqual(shape.info, data.info);
  assert.equal(shape.trainSize, data.train.samples.length);
  assert.equal(shape.validationSize, data.validation.samples.length);
  assert.equal(shape.testSize, data.test.samples.length);
  assert.equal(shape.classes, data.classNames.length);
  return shape;
}

/** Asserts that `describe` and `load` both throw the same error (`invalid-param` unless `code` says) at `path` for `params`; returns its message. */
export async function assertBothRefuse<M extends Modality, P extends object>(
  definition: DatasetDefinition<M, P>,
  params: P,
  path: readonly string[],
  context?: DatasetContext,
  code = 'invalid-param',
): Promise<string> {
  const refusal = async (promise: Promise<unknown>) => {
    const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TokbenchError, `expected a TokbenchError; got ${String(error)}`);
    return { code: error.code, message: error.message, path: error.path };
  };
  const described = await refusal(definition.describe(params, context));
  assert.equal(described.code, code);
  assert.deepEqual(described.path, path);
  assert.deepEqual(await refusal(definition.load(params, context)), described);
  return described.message;
}
