// `pretrain_epochs: N` and `classify_epochs: N` in a train block, read as the budgets they abbreviate.
import { z } from 'zod';
import { EPOCH_SHORTHANDS } from '../model/params.js';
import type { FieldPath, Problem } from '../validation/problems.js';
import { resolveParams } from './resolve.js';

/**
 * The train block with each epoch shorthand replaced by its budget (an axis of epochs becomes an axis of
 * epoch budgets), or the problems: a shorthand out of range, or written beside the budget it abbreviates.
 */
export function expandEpochShorthands(raw: Readonly<Record<string, unknown>>, path: FieldPath): { readonly train: Record<string, unknown>; readonly problems: Problem[] } {
  const train: Record<string, unknown> = { ...raw };
  const problems: Problem[] = [];
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
