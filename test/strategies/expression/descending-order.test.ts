// The stable descending argsort behind the rank strategy, against hand-made orders and a reference sort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../harness/random.js';
import { createDescendingSorter } from '../../../strategies/expression/descending-order.js';

function order(keys: number[]): number[] {
  const sorter = createDescendingSorter(keys.length);
  sorter.keys.set(keys);
  return Array.from(sorter.order(keys.length));
}

test('largest first, ties in position order', () => {
  assert.deepEqual(order([2, 5, 2, 7, 5, 1]), [3, 1, 4, 0, 2, 5]);
  assert.deepEqual(order([3, 3, 3]), [0, 1, 2]);
  assert.deepEqual(order([]), []);
  assert.deepEqual(order([0.25]), [0]);
});

test('keys that differ only in the low 32 bits are still ordered exactly', () => {
  const tiny = 2 ** -40;
  assert.deepEqual(order([1, 1 + tiny, 1, 1 + 2 * tiny]), [3, 1, 0, 2]);
  assert.deepEqual(order([1e-300, 1e300, 1]), [1, 2, 0]);
});

test('agrees with a stable comparison sort on random keys with many ties, reusing its buffers', () => {
  const rng = createRng(7);
  const sorter = createDescendingSorter(3000);
  for (let round = 0; round < 20; round++) {
    const n = rng.int(3000);
    // Ratios of small integers, as median-scaled counts are: many exact ties and near-ties.
    const keys = Array.from({ length: n }, () => (1 + rng.int(20)) / (1 + rng.int(7)));
    sorter.keys.set(keys);
    const expected = keys.map((_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
    assert.deepEqual(Array.from(sorter.order(n)), expected);
  }
});
