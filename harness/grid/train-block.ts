// A sweep's train block as written, read into trainParams' terms: `pretrain_epochs: N` and `classify_epochs: N`
// are the budgets they abbreviate, and params that exclude each other are refused before any axis expands.
import { z } from 'zod';
import { EPOCH_SHORTHANDS, EXCLUSIVE_TRAIN_PARAMS } from '../model/params.js';
import type { FieldPath, Problem } from '../validation/problems.js';
import { resolveParams } from './resolve.js';

/**
 * The train block with each epoch shorthand replaced by its budget (an axis of epochs becomes an axis of
 * epoch budgets), or the problems: a shorthand out of range or written beside the budget it abbreviates, or
 * two params written together that exclude each other.
 */
export function readTrainBlock(raw: Readonly<Record<string, unknown>>, path: FieldPath): { readonly train: Record<string, unknown>; readonly problems: Problem[] } {
  const train: Record<string, unknown> = { ...raw };
  const problems: Problem[] = [];
  for (const { param, excludedBy, because } of EXCLUSIVE_TRAIN_PARAMS) {
    if (Object.hasOwn(raw, param) && Object.hasOwn(raw, excludedBy)) {
      problems.push({ code: 'config', path: [...path, param], message: `found both ${param} and ${excludedBy}; expected only ${excludedBy}, because ${because}` });
    }
  }
  for (const [shorthand, { budget, epochs }] of Object.entries(EPOCH_SHORTHANDS)) {
    if (!Object.hasOwn(raw, shorthand)) continue;
    delete train[shorthand];
    if (Object.hasOwn(raw, budget)) {
      problems.push({ code: 'config', path: [...path, shorthand], message: `found both ${shorthand} and ${budget}; expected one of them, because ${shorthand}: N is shorthand for ${budget}: {epochs: N}` });
      continue;
    }
    const checked = resolveParams({ [shorthand]: raw[shorthand] }, z.strictObject({ [shorthand]: epochs }), path, 'invalid-param');
    problems.push(...checked.problems);
    const value = raw[shorthand];
    train[budget] = Array.isArray(value) ? value.map((n: unknown) => ({ epochs: n })) : { epochs: value };
  }
  return { train, problems };
}
