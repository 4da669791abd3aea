import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed } from '../../harness/random.js';

test('every seed has its own stream, 0 and 1 included', () => {
  const first = [0, 1, 2, 0xffffffff].map((s) => createRng(s).uniform());
  assert.equal(new Set(first).size, 4);
});

test('the same seed replays the same draws', () => {
  const a = createRng(7);
  const b = createRng(7);
  const draws = (r: typeof a) => [r.uniform(), r.int(100), r.normal(0, 1), r.gamma(2, 1), r.poisson(3), r.binomial(10, 0.5)];
  assert.deepEqual(draws(a), draws(b));
});

test('shuffle is a permutation', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  createRng(3).shuffle(items);
  assert.notDeepEqual(items, Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual([...items].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
});

test('deriveSeed is stable and separates its parts', () => {
  assert.equal(deriveSeed('a', 1), deriveSeed('a', 1));
  assert.notEqual(deriveSeed('a', 1), deriveSeed('a1'));
  assert.equal(deriveSeed(''), 0x811c9dc5);
});

test('a normal with sd 0 is its mean, not NaN', () => {
  assert.equal(createRng(1).normal(2, 0), 2);
});
