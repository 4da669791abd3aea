// Which runs one machine of many takes: a deterministic partition balanced by estimated cost, so shards of a
// sweep spread over Slurm job arrays, Kubernetes Indexed Jobs or CI matrices with no coordinator.
import { TokbenchError } from '../errors.js';

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

const badShard = (text: string, why: string) => new TokbenchError('invalid-param', `The 'shard' option must be i/n with 0 ≤ i < n (0-based); got '${text}' instead: ${why}.`, ['shard']);

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw badShard(text, 'not of the form i/n');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw badShard(text, 'n must be at least 1');
  if (index >= count) throw badShard(text, `i must be below n (the first shard is 0/${count})`);
  return { index, count };
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new TokbenchError('invalid-param', `The environment variable ${name} must be a non-negative integer; got '${value}' instead.`, ['shard']);
  return Number(value);
}

/**
 * The shard a scheduler assigned: a Slurm job array (SLURM_ARRAY_TASK_ID, numbered from
 * SLURM_ARRAY_TASK_MIN, with SLURM_ARRAY_TASK_COUNT tasks) or a Kubernetes Indexed Job
 * (JOB_COMPLETION_INDEX, with the shard count given as `shards`); undefined outside both.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv, shards: number | undefined): Shard | undefined {
  const task = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (task !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT') ?? (max !== undefined ? max - min + 1 : undefined);
    if (count === undefined) throw new TokbenchError('invalid-param', 'SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is: cannot tell how many shards there are.', ['shard']);
    return parseShard(`${task - min}/${count}`);
  }
  const index = envInt(env, 'JOB_COMPLETION_INDEX');
  if (index === undefined) return undefined;
  if (shards === undefined) throw new TokbenchError('invalid-param', 'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the number of shards with --shards N (the Job\'s completions).', ['shards']);
  return parseShard(`${index}/${shards}`);
}

/**
 * Shard of each run: longest estimated run first to the least loaded shard (ties: the lower run index, then
 * the lower shard), the LPT rule, which keeps every shard within 4/3 of the best possible makespan.
 */
export function assignShards(costs: readonly number[], count: number): Int32Array {
  const order = Array.from(costs.keys()).sort((a, b) => costs[b] - costs[a] || a - b);
  const load = new Float64Array(count);
  const shard = new Int32Array(costs.length);
  for (const run of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    shard[run] = best;
    load[best] += costs[run];
  }
  return shard;
}
