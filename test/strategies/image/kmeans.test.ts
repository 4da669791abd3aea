// Exact k-means++ seeding, nearest-centre search, Lloyd updates and the empty-cluster rule on hand-made 1-D and 2-D points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../harness/random.js';
import type { Clustering, Points } from '../../../strategies/image/kmeans.js';
import { kmeans, lloyd, nearest, nearestFrom, quarterGaps, seedPlusPlus, squaredDistance } from '../../../strategies/image/kmeans.js';

const line = (...xs: number[]): Points => ({ data: Float32Array.from(xs), dim: 1 });

/** A hand-made start for Lloyd: 1-D centres and each point's centre. */
const start = (centres: number[], assign: number[]): Clustering => ({ centres: Float64Array.from(centres), codes: centres.length, assign: Int32Array.from(assign), updates: 0 });

test('nearest: the closest centre, ties to the lowest index whatever the starting candidate', () => {
  // 2-D point (1, 1); centres (0, 1), (3, 3), (2, 1), (1, 1.5): squared distances 1, 8, 1, 0.25.
  const points: Points = { data: Float32Array.of(1, 1), dim: 2 };
  const centres = Float64Array.of(0, 1, 3, 3, 2, 1, 1, 1.5);
  assert.equal(squaredDistance(points, 0, centres, 1), 8);
  assert.equal(nearest(points, 0, centres, 4, 1, 8), 3);
  // Without the fourth centre, centres 0 and 2 tie at 1: index 0 wins, also when the scan starts from 2.
  assert.equal(nearest(points, 0, centres, 3, 2, 1), 0);
  assert.equal(nearest(points, 0, centres, 3, 0, 1), 0);
});

test('quarterGaps: a quarter of the squared distance to the nearest other centre; nearestFrom gives nearest\'s answer from any start', () => {
  // 1-D centres 0, 4, 10: nearest neighbours at 4, 4 and 6 apart, so (gap/2)² = 4, 4, 9.
  const centres = Float64Array.of(0, 4, 10);
  const gaps = quarterGaps(centres, 3, 1);
  assert.deepEqual(Array.from(gaps), [4, 4, 9]);
  // 1.5 is within 2 of centre 0 and kept without a scan; 3 is 3 from centre 0, so the scan finds centre 1; 2 ties 0 and 4: centre 0.
  const points = line(1.5, 3, 2);
  assert.deepEqual([0, 1, 2].map((i) => [0, 1, 2].map((start) => nearestFrom(points, i, centres, 3, gaps, start))), [[0, 0, 0], [1, 1, 1], [0, 0, 0]]);
  assert.deepEqual(Array.from(quarterGaps(Float64Array.of(7), 1, 1)), [Infinity]);
});

test('seedPlusPlus: the seeds are data points, one per distinct value at most, with each point assigned to its nearest seed', () => {
  // Three distinct values among five points: asking for 4 seeds stops at 3, once every point sits on a seed.
  for (const seed of [0, 1, 2]) {
    const seeded = seedPlusPlus(line(0, 4, 4, 0, 9), 4, createRng(seed));
    assert.equal(seeded.codes, 3);
    assert.deepEqual(Array.from(seeded.centres).sort((a, b) => a - b), [0, 4, 9]);
    assert.deepEqual(Array.from(seeded.assign, (a) => seeded.centres[a]), [0, 4, 4, 0, 9]);
    assert.equal(seeded.updates, 0);
  }
  const one = seedPlusPlus(line(3, 3, 3), 2, createRng(0));
  assert.deepEqual([one.codes, Array.from(one.centres), Array.from(one.assign)], [1, [3], [0, 0, 0]]);
});

test('lloyd: centres move to the means until a reassignment moves nothing; iterations caps the updates', () => {
  // Points 0, 1, 5, 6, 7 from centres 0 and 1 (point 1 on centre 1, and 5, 6, 7 nearer it):
  // update 1: means 0 and (1+5+6+7)/4 = 4.75; point 1 (1 from 0, 3.75 from 4.75) moves to centre 0.
  // update 2: means (0+1)/2 = 0.5 and 6; nothing moves: done after 2 updates.
  const points = line(0, 1, 5, 6, 7);
  const from = start([0, 1], [0, 1, 1, 1, 1]);
  const done = lloyd(points, from, 20);
  assert.deepEqual([Array.from(done.centres), Array.from(done.assign), done.updates], [[0.5, 6], [0, 0, 1, 1, 1], 2]);
  const capped = lloyd(points, from, 1);
  assert.deepEqual([Array.from(capped.centres), capped.updates], [[0, 4.75], 1]);
  assert.deepEqual(Array.from(from.centres), [0, 1], 'the start is left as it was');
});

test('lloyd: an empty cluster takes the point farthest from its centre, ties to the lowest point index', () => {
  // Centre 100 has no point. Every point is 0.5 from its centre (0.5 or 10.5), so point 0 is taken:
  // means 1, 10.5 and 0; then every point is on or nearest its centre and nothing moves.
  const done = lloyd(line(0, 1, 10, 11), start([0.5, 10.5, 100], [0, 0, 1, 1]), 20);
  assert.deepEqual([Array.from(done.centres), Array.from(done.assign), done.updates], [[1, 10.5, 0], [2, 0, 1, 1], 1]);
  // The farthest point wins: 12 is 1.5 from 10.5, the others at most 0.5 from theirs.
  const far = lloyd(line(0, 1, 10, 12), start([0.5, 10.5, 100], [0, 0, 1, 1]), 1);
  assert.deepEqual([Array.from(far.centres), Array.from(far.assign)], [[0.5, 10, 12], [0, 0, 1, 2]]);
});

test('kmeans: two well-separated groups give their means, whatever the seed', () => {
  // 2-D groups around (0, 0) and (1, 1); each group's mean is exact in float64.
  const points: Points = { data: Float32Array.of(0, 0, 0.25, 0, 0, 0.25, 1, 1, 0.75, 1, 1, 0.75), dim: 2 };
  for (const seed of [0, 1, 2, 3]) {
    const result = kmeans(points, 2, 10, createRng(seed));
    const centres = [Array.from(result.centres.subarray(0, 2)), Array.from(result.centres.subarray(2, 4))].sort((a, b) => a[0] - b[0]);
    assert.deepEqual(centres, [[0.25 / 3, 0.25 / 3], [2.75 / 3, 2.75 / 3]]);
  }
});
