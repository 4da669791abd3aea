// Which runs one machine of many takes: a deterministic partition balanced by estimated cost, so shards of a
// sweep spread over Slurm job arrays, Kubernetes Indexed Jobs or CI matrices with no coordinator.
import { TokbenchError } from '../errors.js';

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
  /** The environment variable it came from, when a scheduler set it. */
  readonly from?: string;
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

const badArray = (why: string) =>
  new TokbenchError('invalid-param', `SLURM_ARRAY_TASK_ID cannot name a shard: ${why}. Shard a sweep over a contiguous array (sbatch --array=0-3), or pass --shard i/n (--shard 0/1 runs everything).`, ['shard']);

/**
 * The shard a scheduler assigned: a Slurm job array (SLURM_ARRAY_TASK_ID, numbered from SLURM_ARRAY_TASK_MIN
 * in steps of SLURM_ARRAY_TASK_STEP, SLURM_ARRAY_TASK_COUNT tasks) or a Kubernetes Indexed Job
 * (JOB_COMPLETION_INDEX, with the shard count given as `shards`); undefined outside both.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv, shards: number | undefined): Shard | undefined {
  const task = envInt(env, 'SLURM_ARRAY_TASK_ID');
  const index = envInt(env, 'JOB_COMPLETION_INDEX');
  if (task !== undefined) {
    if (shards !== undefined) throw badArray('--shards is for Kubernetes Indexed Jobs; a Slurm array already says how many tasks it has');
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT') ?? (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    if (count === undefined) throw badArray('neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set, so the number of shards is unknown');
    const offset = task - min;
    if (offset < 0 || offset % step !== 0 || offset / step >= count) throw badArray(`task ${task} is not one of ${count} tasks from ${min} in steps of ${step} (a sparse array?)`);
    return { index: offset / step, count, from: `SLURM_ARRAY_TASK_ID=${task}` };
  }
  if (index === undefined) {
    if (shards !== undefined) throw new TokbenchError('invalid-param', '--shards N needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); to run one shard by hand, pass --shard i/n.', ['shards']);
    return undefined;
  }
  if (shards === undefined) throw new TokbenchError('invalid-param', 'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the number of shards with --shards N (the Job\'s completions).', ['shards']);
  if (index >= shards) throw new TokbenchError('invalid-param', `JOB_COMPLETION_INDEX ${index} is not below --shards ${shards}: the Job has more completions than shards.`, ['shards']);
  return { index, count: shards, from: `JOB_COMPLETION_INDEX=${index}` };
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
