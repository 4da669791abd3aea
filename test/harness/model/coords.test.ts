import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { COORD_FREQUENCIES, coordFeatures, FREQUENCIES } from '../../../harness/model/coords.js';

await selectBackend('wasm');

test('frequencies run geometrically from 1 down to 1e-4', () => {
  assert.equal(FREQUENCIES.length, 16);
  assert.equal(FREQUENCIES[0], 1);
  assert.ok(Math.abs(FREQUENCIES[15] - 1e-4) < 1e-10);
  assert.ok(Math.abs(FREQUENCIES[1] / FREQUENCIES[0] - FREQUENCIES[15] / FREQUENCIES[14]) < 1e-6);
});

test('each coordinate dimension gets its sines, then all cosines follow', () => {
  const coords = [[3, 250], [1500, 0.5]];
  const out = tf.tidy(() => Array.from(coordFeatures(tf.tensor2d(coords)).dataSync()));
  assert.equal(out.length, 2 * 2 * 2 * COORD_FREQUENCIES);
  coords.forEach((row, r) => {
    const expected = [...row.flatMap((c) => Array.from(FREQUENCIES, (w) => Math.sin(c * w))), ...row.flatMap((c) => Array.from(FREQUENCIES, (w) => Math.cos(c * w)))];
    // float32 angles: c·ω is exact to ~1e-4 rad at c = 1500.
    expected.forEach((e, i) => assert.ok(Math.abs(out[r * expected.length + i] - e) < 5e-4, `row ${r} feature ${i}`));
  });
});
