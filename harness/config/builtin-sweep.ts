// loadSweep and parseSweep with the built-in datasets and strategies as default components, for library
// callers. sweep.ts itself does not import the registries, so the CLI can load them on demand.
import type { Components } from '../grid/components.js';
import { builtinComponents } from './builtin-components.js';
import * as sweep from './sweep.js';
import type { Sweep } from './sweep.js';

/** Reads and validates a sweep file; throws a ConfigError listing every problem, or a 'config' error if unreadable. */
export function loadSweep(file: string, components: Components = builtinComponents): Promise<Sweep> {
  return sweep.loadSweep(file, components);
}

/** Validates a sweep's YAML text; `file` is only used in problem locations. */
export function parseSweep(yaml: string, file: string, components: Components = builtinComponents): Sweep {
  return sweep.parseSweep(yaml, file, components);
}
