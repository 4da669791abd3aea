// Errors are values with a code and a path; only the CLI formats them and picks exit codes.
import { closest } from 'fastest-levenshtein';

export type ErrorCode =
  | 'config' // the YAML file is malformed or breaks the schema
  | 'unknown-name' // a strategy, dataset, metric or backend name that is not registered
  | 'invalid-param' // a component parameter outside its constraints
  | 'modality-mismatch' // a strategy paired with a dataset of another modality
  | 'input' // a data sample or file that cannot be used
  | 'not-fitted' // a learned tokenizer used before `fit`
  | 'backend' // no usable tfjs backend
  | 'diverged'; // training produced a non-finite loss

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export class TokbenchError extends Error {
  override readonly name = 'TokbenchError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path: readonly (string | number)[] = [],
    readonly location?: SourceLocation,
  ) {
    super(message);
  }
}

/** "unknown strategy 'pach'; did you mean 'patch'? valid: kmer, patch, rank" */
export function unknownName(kind: string, name: string, valid: readonly string[], path: readonly (string | number)[] = []): TokbenchError {
  const sorted = [...valid].sort();
  const suggestion = sorted.length > 0 ? closest(name, sorted) : undefined;
  const hint = suggestion !== undefined ? `; did you mean '${suggestion}'?` : '';
  return new TokbenchError('unknown-name', `unknown ${kind} '${name}'${hint} valid: ${sorted.join(', ')}`, path);
}

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['config', 'unknown-name', 'invalid-param', 'modality-mismatch', 'input', 'backend']);

/** Input problems worth stopping a sweep for (exit code 2), as opposed to a failing cell; a backend that was asked for but cannot run is one. */
export function isUsageError(error: unknown): error is TokbenchError {
  return error instanceof TokbenchError && USAGE_CODES.has(error.code);
}
