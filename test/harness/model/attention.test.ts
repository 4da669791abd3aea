import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { applyAttention, createAttention, keyPaddingBias } from '../../../harness/model/attention.js';
import { ParameterStore } from '../../../harness/model/parameters.js';

await selectBackend('wasm');

/** Attention whose queries, keys and values are the input itself and whose output projection is the identity. */
function identityAttention(heads: number) {
  const store = new ParameterStore(1);
  const attention = createAttention(store, 2, heads);
  attention.qkv.weight.assign(tf.tensor2d([[1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1]]));
  attention.out.weight.assign(tf.tensor2d([[1, 0], [0, 1]]));
  return { store, attention };
}

function run(heads: number, rows: number[][], valid: number[][]): number[] {
  const { store, attention } = identityAttention(heads);
  const out = tf.tidy(() => Array.from(applyAttention(attention, tf.tensor2d(rows), valid.length, keyPaddingBias(tf.tensor2d(valid))).dataSync()));
  store.dispose();
  return out;
}

const close = (actual: number[], expected: number[]) => expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-6, `${i}: ${actual[i]} vs ${e}`));

test('one head: softmax(q·kᵀ/√d) over the real keys, padding ignored', () => {
  // Tokens [1, 0] and [0, 1], then a padding token that must get no weight.
  const out = run(1, [[1, 0], [0, 1], [5, 5]], [[1, 1, 0]]);
  const s = 1 / (1 + Math.exp(-1 / Math.SQRT2));
  close(out.slice(0, 4), [s, 1 - s, 1 - s, s]);
});

test('two heads attend separately, one per coordinate (head dim 1, scale 1)', () => {
  const rows = [[1, 2], [3, -1]];
  const out = run(2, rows, [[1, 1]]);
  const expected: number[] = [];
  for (const q of rows) {
    for (let h = 0; h < 2; h++) {
      const w = rows.map((k) => Math.exp(q[h] * k[h]));
      const total = w[0] + w[1];
      expected.push((w[0] * rows[0][h] + w[1] * rows[1][h]) / total);
    }
  }
  close(out, expected);
});

test('padding does not change the real tokens, whatever the padding holds', () => {
  const rows = [[0.3, -0.2], [1.1, 0.4], [-0.5, 0.9]];
  const alone = run(2, rows, [[1, 1, 1]]);
  const padded = run(2, [...rows, [9, -9], [4, 4]], [[1, 1, 1, 0, 0]]);
  close(padded.slice(0, 6), alone);
});

test('without padding the mask can be left out', () => {
  const rows = [[0.3, -0.2], [1.1, 0.4], [2, 1], [-1, 0.5]];
  const { store, attention } = identityAttention(2);
  const unmasked = tf.tidy(() => Array.from(applyAttention(attention, tf.tensor2d(rows), 2, null).dataSync()));
  store.dispose();
  close(unmasked, run(2, rows, [[1, 1], [1, 1]]));
});

test('sequences of one batch do not see each other', () => {
  const a = [[0.3, -0.2], [1.1, 0.4]];
  const b = [[2, 1], [-1, 0.5]];
  const together = run(1, [...a, ...b], [[1, 1], [1, 1]]);
  close(together.slice(0, 4), run(1, a, [[1, 1]]));
  close(together.slice(4), run(1, b, [[1, 1]]));
});
