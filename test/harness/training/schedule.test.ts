import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduledRate, WARMUP_FRACTION } from '../../../harness/training/schedule.js';

const closeTo = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);

test('20 steps: linear warm-up over 2 steps, then a cosine that halves the peak midway', () => {
  // Every hand value in this file assumes a tenth of the steps warm up.
  assert.equal(WARMUP_FRACTION, 0.1);
  // warm-up = round(0.1 · 20) = 2; after it, progress = (step − 2) / 18 and rate = peak · (1 + cos(π · progress)) / 2.
  const rate = (step: number) => scheduledRate(step, 20, 2);
  assert.equal(rate(0), 1); // 2 · 1/2
  assert.equal(rate(1), 2); // the end of the warm-up reaches the peak
  assert.equal(rate(2), 2); // progress 0: cos 0 = 1, the peak again
  assert.equal(rate(11), 1); // progress 9/18 = 1/2: cos(π/2) = 0, half the peak
  // Step 19, the last, has progress 17/18: 2 · (1 − cos(π/18)) / 2 = 2 sin²(π/36) ≈ 0.0152; zero would be at step 20.
  closeTo(rate(19), 2 * Math.sin(Math.PI / 36) ** 2);
  // Symmetric about the midpoint: rate(11 − k) + rate(11 + k) = peak.
  closeTo(rate(5) + rate(17), 2);
});

test('the warm-up length is rounded to the nearest step, half up', () => {
  // 0.1 · 25 = 2.5 → 3 steps: 1/3, 2/3, then the peak.
  closeTo(scheduledRate(0, 25, 3), 1);
  closeTo(scheduledRate(1, 25, 3), 2);
  assert.equal(scheduledRate(2, 25, 3), 3);
  // 0.1 · 24 = 2.4 → 2 steps: step 1 is already the peak.
  assert.equal(scheduledRate(0, 24, 3), 1.5);
  assert.equal(scheduledRate(1, 24, 3), 3);
});

test('a run too short for a tenth to be a step still warms up for one step', () => {
  // 0.1 · 4 rounds to 0, so one step: the peak at once, then progress 0, 1/3, 2/3 of a cosine over 3 steps.
  const rates = [0, 1, 2, 3].map((step) => scheduledRate(step, 4, 4));
  assert.deepEqual(rates.slice(0, 2), [4, 4]);
  closeTo(rates[2], 3); // 4 · (1 + cos(π/3)) / 2 = 4 · 3/4
  closeTo(rates[3], 1); // 4 · (1 + cos(2π/3)) / 2 = 4 · 1/4
  // A single step runs at the peak.
  assert.equal(scheduledRate(0, 1, 0.002), 0.002);
});

test('rises through the warm-up, then never rises again, and stays positive', () => {
  const rates = Array.from({ length: 100 }, (_, step) => scheduledRate(step, 100, 1));
  rates.forEach((r, i) => {
    assert.ok(r > 0 && r <= 1, `${i}: ${r}`);
    if (i > 0 && i < 10) assert.ok(r > rates[i - 1], `${i}`);
    if (i >= 10) assert.ok(r <= rates[i - 1], `${i}`);
  });
});
