// The one place where outcomes become exit codes and errors become text: 0 success, 1 failed cells or a crash,
// 2 bad input, 3 a regression, 130/143 stopped by SIGINT/SIGTERM.
import { TokbenchError, isUsageError } from '../errors.js';
import { ConfigError, formatProblem } from '../validation/problems.js';
import type { CommandResult } from './command.js';

export const EXIT_OK = 0;
/** Some cells failed (their rows carry the error), or tokbench itself crashed. */
export const EXIT_FAILED = 1;
/** The command line or config is wrong; nothing was run or written. */
export const EXIT_USAGE = 2;

/** A quality metric regressed against the previous results (`compare`). */
export const EXIT_REGRESSION = 3;
/** 128 + the signal's number, as shells report a process a signal stopped. */
const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

export function exitCodeOf(result: CommandResult | void): number {
  if (result === undefined) return EXIT_OK;
  if (result.interrupted !== undefined) return EXIT_SIGNAL[result.interrupted];
  if (result.regression === true) return EXIT_REGRESSION;
  return result.failedCells > 0 ? EXIT_FAILED : EXIT_OK;
}

export function exitCodeOfError(error: unknown): number {
  return isUsageError(error) ? EXIT_USAGE : EXIT_FAILED;
}

/** What stderr shows: every config problem on its own line, a TokbenchError's message, or a crash's stack. */
export function formatError(error: unknown): string {
  if (error instanceof ConfigError) {
    const count = error.problems.length;
    return `${error.problems.map(formatProblem).join('\n')}\n${count} problem${count === 1 ? '' : 's'} found; nothing was run.\n`;
  }
  if (error instanceof TokbenchError) {
    const where = error.location !== undefined ? `${error.location.file}:${error.location.line}:${error.location.col}: ` : '';
    return `tokbench: ${where}${error.message}\n`;
  }
  return `tokbench: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}
