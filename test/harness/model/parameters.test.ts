import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { ParameterStore } from '../../../harness/model/parameters.js';

await selectBackend('wasm');

test('truncated normal init: within ±2 std, about the right spread, fixed by the seed', () => {
  const std = 0.5;
  const a = new ParameterStore(11);
  const b = new ParameterStore(11);
  const c = new ParameterStore(12);
  const va = Array.from(a.normal([100, 50], std).dataSync());
  const vb = Array.from(b.normal([100, 50], std).dataSync());
  const vc = Array.from(c.normal([100, 50], std).dataSync());
  assert.deepEqual(va, vb);
  assert.notDeepEqual(va, vc);
  assert.ok(va.every((v) => Math.abs(v) <= 2 * std + 1e-9));
  // A standard normal truncated at ±2 has standard deviation 0.8796.
  const sd = Math.sqrt(va.reduce((s, v) => s + v * v, 0) / va.length);
  assert.ok(Math.abs(sd / std - 0.8796) < 0.02, `sd ratio ${sd / std}`);
  for (const s of [a, b, c]) s.dispose();
});

test('counts and frees what it created', () => {
  const before = tf.memory().numTensors;
  const store = new ParameterStore(1);
  store.normal([3, 4], 1);
  assert.deepEqual(Array.from(store.zeros([5]).dataSync()), [0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(store.ones([2]).dataSync()), [1, 1]);
  assert.equal(store.size, 19);
  assert.equal(store.variables.length, 3);
  store.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(store.size, 0);
});
