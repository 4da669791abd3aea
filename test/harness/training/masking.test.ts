import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../harness/random.js';
import { choosePositions, maskCount } from '../../../harness/training/masking.js';

test('masks ⌈ratio × length⌉ tokens, at least one and at most all', () => {
  assert.deepEqual(
    [maskCount(20, 0.15), maskCount(21, 0.15), maskCount(4, 0.25), maskCount(5, 0.25), maskCount(3, 0.01), maskCount(1, 0.5), maskCount(0, 0.5), maskCount(10, 0.99)],
    [3, 4, 1, 2, 1, 1, 0, 10],
  );
});

test('span 1: exactly maskCount distinct positions, ascending, fixed by the seed', () => {
  const rng = createRng(42);
  for (const length of [1, 2, 7, 49, 200]) {
    const positions = choosePositions(length, 0.25, 1, rng);
    assert.equal(positions.length, maskCount(length, 0.25));
    assert.ok(positions.every((p, i) => p >= 0 && p < length && (i === 0 || p > positions[i - 1])));
  }
  const draw = (seed: number) => Array.from(choosePositions(40, 0.25, 1, createRng(seed)));
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
});

/** The maximal runs of consecutive positions. */
function runs(positions: Int32Array): number[] {
  const lengths: number[] = [];
  positions.forEach((p, i) => {
    if (i > 0 && p === positions[i - 1] + 1) lengths[lengths.length - 1]++;
    else lengths.push(1);
  });
  return lengths;
}

test('span k: whole runs of at least k, between maskCount and maskCount + k − 1 positions', () => {
  const rng = createRng(3);
  for (const [length, k] of [[195, 6], [100, 3], [30, 4], [13, 6]]) {
    for (let repeat = 0; repeat < 20; repeat++) {
      const positions = choosePositions(length, 0.15, k, rng);
      const target = maskCount(length, 0.15);
      assert.ok(positions.length >= target && positions.length <= target + k - 1, `${positions.length} for target ${target}`);
      assert.ok(runs(positions).every((r) => r >= k), `runs ${runs(positions)}`);
      assert.ok(positions.every((p, i) => p < length && (i === 0 || p > positions[i - 1])));
    }
  }
});

test('span k longer than the sequence masks the whole sequence', () => {
  assert.deepEqual(Array.from(choosePositions(4, 0.25, 6, createRng(1))), [0, 1, 2, 3]);
});

test('a seed fixes the spans: starts drawn uniformly in [0, length − k] until the target is covered', () => {
  // choosePositions draws from the same stream: starts 8 and 4 give spans 8…10 and 4…6, covering the target 6.
  const starts = createRng(2);
  assert.deepEqual([starts.int(10), starts.int(10)], [8, 4]);
  assert.deepEqual(Array.from(choosePositions(12, 0.5, 3, createRng(2))), [4, 5, 6, 8, 9, 10]);
});

test('a seed fixes the single positions: a partial Fisher–Yates shuffle of 0…length−1', () => {
  const draws = createRng(1);
  const order = Array.from({ length: 10 }, (_, i) => i);
  for (let i = 0; i < 3; i++) {
    const j = i + draws.int(10 - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const expected = order.slice(0, 3).sort((a, b) => a - b);
  assert.deepEqual(expected, [0, 4, 5]);
  assert.deepEqual(Array.from(choosePositions(10, 0.3, 1, createRng(1))), expected);
});
