// Finds a YAML name in a registry (a frozen object literal keyed by name); an unknown name suggests the closest and lists the valid ones.
import { unknownName, type TokbenchError } from './errors.js';

type Registry = Readonly<Record<string, unknown>>;

export type Lookup<T> = { readonly ok: true; readonly definition: T } | { readonly ok: false; readonly error: TokbenchError };

/** The definition registered as `name`, or the unknown-name error as a value, for callers that collect every problem first. */
export function tryLookup<R extends Registry>(registry: R, kind: string, name: string, path: readonly (string | number)[] = []): Lookup<R[keyof R]> {
  // `in` would also find `constructor` and the rest of Object.prototype.
  if (Object.hasOwn(registry, name)) return { ok: true, definition: registry[name as keyof R] };
  return { ok: false, error: unknownName(kind, name, Object.keys(registry), path) };
}

/** The definition registered as `name`; throws the unknown-name error otherwise. */
export function lookup<R extends Registry>(registry: R, kind: string, name: string, path: readonly (string | number)[] = []): R[keyof R] {
  const found = tryLookup(registry, kind, name, path);
  if (!found.ok) throw found.error;
  return found.definition;
}
