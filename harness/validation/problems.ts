// Problems as data (field path, what was found, what was expected), after zod's error-as-values design; the grid reports them, the config layer adds the file position.
import { TokbenchError, type ErrorCode, type SourceLocation } from '../errors.js';

/** Keys and list indices from the top of the YAML document down to one field. */
export type FieldPath = readonly (string | number)[];

export interface Problem {
  readonly code: ErrorCode;
  readonly path: FieldPath;
  /** What was found and what was expected: "found 99; expected at most 28". */
  readonly message: string;
  /** Points at the key named by the last path segment rather than at its value (unknown keys). */
  readonly atKey?: boolean;
}

export interface ConfigProblem extends Problem {
  readonly location: SourceLocation;
}

/** `strategies[0].params.patch_size[2]`; empty for the document itself. */
export function formatPath(path: FieldPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** `file:line:col: field.path: found …; expected …`, the one line a person reads to fix the file. */
export function formatProblem(problem: ConfigProblem): string {
  const { file, line, col } = problem.location;
  const field = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  return `${file}:${line}:${col}: ${field}${problem.message}`;
}

/** Every problem found in one config file; thrown only after the whole file has been checked. */
export class ConfigError extends TokbenchError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super('config', problems.map(formatProblem).join('\n'), problems[0]?.path ?? [], problems[0]?.location);
  }
}
