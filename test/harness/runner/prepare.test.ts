// The random source of a strategy's fit: the run's seed for a seeded strategy, one fixed stream for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizerRandom } from '../../../harness/runner/prepare.js';

const draws = (definition: { seeded?: boolean }, seed: number) => {
  const rng = tokenizerRandom(definition, seed);
  return [rng.uniform(), rng.uniform(), rng.uniform()];
};

test('a seeded strategy draws from its run seed: the same seed repeats, another differs', () => {
  assert.deepEqual(draws({ seeded: true }, 3), draws({ seeded: true }, 3));
  assert.notDeepEqual(draws({ seeded: true }, 3), draws({ seeded: true }, 4));
});

test('a strategy that is not seeded gets one stream whatever the run seed, that of seed 0 for a seeded one', () => {
  assert.deepEqual(draws({}, 3), draws({ seeded: false }, 4));
  assert.deepEqual(draws({}, 3), draws({ seeded: true }, 0));
});
