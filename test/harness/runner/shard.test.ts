// Shard parsing, scheduler environments and the cost-balanced partition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../../harness/errors.js';
import { assignShards, parseShard, shardFromEnvironment } from '../../../harness/runner/shard.js';

test('--shard i/n is 0-based; anything else names the rule', () => {
  assert.deepEqual(parseShard('0/4'), { index: 0, count: 4 });
  assert.deepEqual(parseShard(' 3/4 '), { index: 3, count: 4 });
  for (const bad of ['4/4', '1/0', 'a/b', '1', '-1/2']) {
    assert.throws(() => parseShard(bad), (e: unknown) => e instanceof TokbenchError && e.code === 'invalid-param' && e.message.includes(`'${bad}'`));
  }
});

test('Slurm job arrays and Kubernetes Indexed Jobs give the shard, saying where from', () => {
  assert.deepEqual(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' }, undefined), { index: 4, count: 8, from: 'SLURM_ARRAY_TASK_ID=5' });
  assert.deepEqual(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3' }, undefined), { index: 2, count: 4, from: 'SLURM_ARRAY_TASK_ID=2' });
  // --array=0-10:2 is six tasks 0, 2, …, 10.
  assert.deepEqual(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '10', SLURM_ARRAY_TASK_STEP: '2' }, undefined), { index: 3, count: 6, from: 'SLURM_ARRAY_TASK_ID=6' });
  assert.deepEqual(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' }, 3), { index: 0, count: 3, from: 'JOB_COMPLETION_INDEX=0' });
  assert.equal(shardFromEnvironment({}, undefined), undefined);
});

test('environments that cannot name a shard are refused, naming the variable', () => {
  assert.throws(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '1' }, undefined), /--shards N/);
  assert.throws(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '3' }, 3), /JOB_COMPLETION_INDEX 3 is not below --shards 3/);
  assert.throws(() => shardFromEnvironment({}, 4), /--shards N needs JOB_COMPLETION_INDEX/);
  assert.throws(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1' }, undefined), /SLURM_ARRAY_TASK_COUNT/);
  assert.throws(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' }, undefined), /non-negative integer/);
  // A sparse array (--array=1,3,7) has task ids beyond its count.
  assert.throws(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' }, undefined), /task 7 is not one of 3 tasks from 1 in steps of 1.*--shard 0\/1 runs everything/);
  assert.throws(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' }, 2), /--shards is for Kubernetes/);
});

test('runs go longest first to the least loaded shard, deterministically', () => {
  // By cost: run 1 (7) → 0; run 3 (5) → 1; run 4 (4) → 1 (load 9); run 0 (3) → 0 (10); run 5 (3) → 1 (12); run 2 (2) → 0 (12).
  const shards = assignShards([3, 7, 2, 5, 4, 3], 2);
  assert.deepEqual(Array.from(shards), [0, 0, 0, 1, 1, 1]);
  const load = [0, 0];
  [3, 7, 2, 5, 4, 3].forEach((c, i) => (load[shards[i]] += c));
  assert.deepEqual(load, [12, 12]);
  assert.deepEqual(assignShards([3, 7, 2, 5, 4, 3], 2), shards);
  assert.deepEqual(Array.from(assignShards([1, 1, 1], 1)), [0, 0, 0]);
});
