// k-means of the rows of a matrix: k-means++ seeding (Arthur & Vassilvitskii 2007) then Lloyd's iterations, in float64
// JavaScript rather than tfjs so every backend (and `tokbench tokenize`, which selects none) fits the same codebook.
import type { Rng } from '../../harness/random.js';

/** n points of `dim` floats each, row-major. */
export interface Points {
  readonly data: Float32Array;
  readonly dim: number;
}

export interface Clustering {
  /** codes × dim centres, in the order they were seeded. */
  readonly centres: Float64Array;
  readonly codes: number;
  /** Each point's centre after the last assignment step. */
  readonly assign: Int32Array;
  /** Lloyd updates of the centres made: `iterations`, or fewer when an assignment step changed nothing. */
  readonly updates: number;
}

/** Squared Euclidean distance between row `i` of `points` and row `j` of `centres`. */
export function squaredDistance(points: Points, i: number, centres: Float64Array, j: number): number {
  const { data, dim } = points;
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    const diff = data[i * dim + d] - centres[j * dim + d];
    sum += diff * diff;
  }
  return sum;
}

/**
 * The centre nearest to point `i` (squared Euclidean; ties to the lowest index) among the first `codes`, given
 * a candidate `start` at squared distance `best`. A partial sum only grows, so a centre is dropped as soon as
 * it exceeds the best so far: the same answer as the full scan at a fraction of the work.
 */
export function nearest(points: Points, i: number, centres: Float64Array, codes: number, start: number, best: number): number {
  const { data, dim } = points;
  const offset = i * dim;
  let arg = start;
  for (let j = 0; j < codes; j++) {
    if (j === arg) continue;
    const centre = j * dim;
    let sum = 0;
    for (let d = 0; d < dim && sum <= best; d++) {
      const diff = data[offset + d] - centres[centre + d];
      sum += diff * diff;
    }
    if (sum < best || (sum === best && j < arg)) {
      best = sum;
      arg = j;
    }
  }
  return arg;
}

/**
 * k-means++ seeding: the first centre a uniformly drawn point, each next one a point drawn with probability
 * proportional to its squared distance to the nearest centre so far. Stops early, with fewer than `k` centres,
 * when every point coincides with a centre (fewer distinct points than `k`).
 */
export function seedPlusPlus(points: Points, k: number, random: Rng): Clustering {
  const { data, dim } = points;
  const n = data.length / dim;
  const centres = new Float64Array(k * dim);
  const assign = new Int32Array(n);
  const distance = new Float64Array(n).fill(Infinity);
  let pick = random.int(n);
  let codes = 0;
  while (true) {
    centres.set(data.subarray(pick * dim, (pick + 1) * dim), codes * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      // Strictly closer only: a tie keeps the earlier (lower) centre.
      const d = squaredDistanceBelow(points, i, centres, codes, distance[i]);
      if (d < distance[i]) {
        distance[i] = d;
        assign[i] = codes;
      }
      total += distance[i];
    }
    codes++;
    if (codes === k || total === 0) break;
    let r = random.uniform() * total;
    // The last point of positive weight, should rounding leave r ≥ 0 after the last subtraction.
    for (let i = 0; i < n; i++) {
      if (distance[i] === 0) continue;
      pick = i;
      r -= distance[i];
      if (r < 0) break;
    }
  }
  return { centres: centres.slice(0, codes * dim), codes, assign, updates: 0 };
}

/** The squared distance from point i to centre j when it is below `bound`; otherwise some partial sum ≥ bound. */
function squaredDistanceBelow(points: Points, i: number, centres: Float64Array, j: number, bound: number): number {
  const { data, dim } = points;
  let sum = 0;
  for (let d = 0; d < dim && sum < bound; d++) {
    const diff = data[i * dim + d] - centres[j * dim + d];
    sum += diff * diff;
  }
  return sum;
}

/**
 * A cluster left empty takes the point farthest from its own centre (ties to the lowest point index) among
 * clusters of two points or more, in ascending order of the empty clusters: deterministic, and the point
 * the current codebook serves worst.
 */
function refillEmpty(points: Points, clustering: Clustering, counts: Int32Array): void {
  const { centres, codes, assign } = clustering;
  if (!counts.includes(0)) return;
  const n = assign.length;
  const distance = Float64Array.from({ length: n }, (_, i) => squaredDistance(points, i, centres, assign[i]));
  for (let j = 0; j < codes; j++) {
    if (counts[j] > 0) continue;
    let far = -1;
    for (let i = 0; i < n; i++) {
      if (counts[assign[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
    }
    counts[assign[far]]--;
    assign[far] = j;
    counts[j] = 1;
  }
}

/** Each centre becomes the mean of its points (after refillEmpty, every cluster has one). */
function updateCentres(points: Points, clustering: Clustering): void {
  const { data, dim } = points;
  const { centres, codes, assign } = clustering;
  const counts = new Int32Array(codes);
  for (const a of assign) counts[a]++;
  refillEmpty(points, clustering, counts);
  centres.fill(0);
  assign.forEach((a, i) => {
    for (let d = 0; d < dim; d++) centres[a * dim + d] += data[i * dim + d];
  });
  for (let j = 0; j < codes; j++) {
    for (let d = 0; d < dim; d++) centres[j * dim + d] /= counts[j];
  }
}

/** A quarter of each centre's squared distance to its nearest other centre: (half the gap)², for `nearestFrom`. */
export function quarterGaps(centres: Float64Array, codes: number, dim: number): Float64Array {
  const gaps = new Float64Array(codes).fill(Infinity);
  for (let j = 0; j < codes; j++) {
    for (let l = j + 1; l < codes; l++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) {
        const diff = centres[j * dim + d] - centres[l * dim + d];
        sum += diff * diff;
      }
      gaps[j] = Math.min(gaps[j], sum / 4);
      gaps[l] = Math.min(gaps[l], sum / 4);
    }
  }
  return gaps;
}

/**
 * `nearest`, trying centre `start` first: a point closer to it than half the gap to its nearest other centre
 * keeps it without a scan (Hamerly 2010's test: by the triangle inequality no other centre is as close), which
 * most points pass once the centres settle. `gaps` is quarterGaps of the same centres.
 */
export function nearestFrom(points: Points, i: number, centres: Float64Array, codes: number, gaps: Float64Array, start: number): number {
  const best = squaredDistance(points, i, centres, start);
  return best < gaps[start] ? start : nearest(points, i, centres, codes, start, best);
}

/** Moves every point to its nearest centre; returns how many moved. */
function reassign(points: Points, clustering: Clustering): number {
  const { centres, codes, assign } = clustering;
  const gaps = quarterGaps(centres, codes, points.dim);
  let moved = 0;
  for (let i = 0; i < assign.length; i++) {
    const next = nearestFrom(points, i, centres, codes, gaps, assign[i]);
    if (next !== assign[i]) {
      assign[i] = next;
      moved++;
    }
  }
  return moved;
}

/**
 * Lloyd's algorithm from `start` (its centres and each point's nearest centre among them): up to `iterations`
 * updates of every centre to the mean of its points, each followed by a reassignment of every point to its
 * nearest centre; stops when a reassignment moves no point (a fixed point), and skips the reassignment after
 * the last update, whose assignment nothing reads. `start` is left as it was.
 */
export function lloyd(points: Points, start: Clustering, iterations: number): Clustering {
  const clustering = { ...start, centres: start.centres.slice(), assign: start.assign.slice() };
  let updates = 0;
  while (updates < iterations) {
    updateCentres(points, clustering);
    updates++;
    if (updates === iterations || reassign(points, clustering) === 0) break;
  }
  return { ...clustering, updates };
}

/** k-means++ seeds refined by Lloyd's algorithm. */
export function kmeans(points: Points, k: number, iterations: number, random: Rng): Clustering {
  return lloyd(points, seedPlusPlus(points, k, random), iterations);
}
