// Which kinds of expression values a strategy accepts, checked before anything trains.
import type { ExpressionValues, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Rng } from '../../harness/random.js';
import type { ParamProblem } from '../types.js';

/**
 * A problem unless the dataset's values are one of `accepted`; `why` finishes "expected …, because …".
 * The message says what the data holds and, when the reader said, what else its source offers.
 */
export function acceptValues(info: InfoOf['expression'], accepted: readonly ExpressionValues[], why: string): ParamProblem[] {
  if (accepted.includes(info.values)) return [];
  const source = info.valuesSource === undefined ? '' : ` (${info.valuesSource})`;
  return [{ path: [], message: `found ${info.values} values${source}; expected ${accepted.join(' or ')} values, because ${why}` }];
}

/** What reading a file a param names (`read` throws a TokbenchError at that param) finds wrong, as `check`'s problems. */
export function readProblems(read: () => unknown): ParamProblem[] {
  try {
    read();
    return [];
  } catch (error) {
    if (!(error instanceof TokbenchError)) throw error;
    return [{ path: error.path, message: error.message }];
  }
}

/** Throws the first problem as an `input` error: `create` repeats the runner's check for direct library use. */
export function refuseProblems(strategy: string, problems: readonly ParamProblem[]): void {
  const [problem] = problems;
  if (problem !== undefined) throw new TokbenchError('input', `${strategy}: ${problem.message}`, ['strategy', ...problem.path]);
}

/** The encode stream of a strategy that draws at random; calling encode without one is a usage error. */
export function requireRandom(strategy: string, random: Rng | undefined): Rng {
  if (random === undefined) {
    throw new TokbenchError('invalid-param', `${strategy} draws at random while encoding; pass encode(sample, random) a stream such as sampleRandom(seed, sampleRow)`, ['random']);
  }
  return random;
}
