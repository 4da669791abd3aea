// Exact bins, scGPT's random spread of values on repeated edges, sampling to max_len, zeros, refusals and decode of the scGPT-style binned strategy on hand-made cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ExpressionValues } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng, sampleRandom, type Rng } from '../../../harness/random.js';
import { binned, type BinnedStrategy } from '../../../strategies/expression/binned.js';
import type { Tokens } from '../../../strategies/types.js';

/** Ids of both channels: <pad> 0 and <mask> 1, then gene g → 2 + g and bin b → 2 + b. */
const ID = 2;
const PAD = 0;
const MASK = 1;

function cell(librarySize: number, entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

/** Panel genes G0, G1, … */
const infoOf = (genes: number, values: ExpressionValues = 'counts') => ({ genes: Array.from({ length: genes }, (_, g) => `G${g}`), values });

function fitted(genes: number, written: object = {}, values: ExpressionValues = 'counts', train: ExpressionSample[] = [], random: Rng = createRng(0)): BinnedStrategy {
  const s = binned.create(binned.params.parse(written), infoOf(genes, values));
  s.fit(train, random);
  return s;
}

const genesOf = (t: Tokens) => Array.from({ length: t.length }, (_, i) => t.ids[2 * i] - ID);
const binsOf = (t: Tokens) => Array.from({ length: t.length }, (_, i) => t.ids[2 * i + 1] - ID);
/** Bins of one cell's tokens under each of `rows` encode streams of seed 0. */
const binsByRow = (s: BinnedStrategy, c: ExpressionSample, rows: number) => Array.from({ length: rows }, (_, row) => binsOf(s.encode(c, sampleRandom(0, row))));

/** Range of each token's bin over many streams, for comparing with numpy's [right + 1, left]. */
function binRanges(s: BinnedStrategy, c: ExpressionSample, rows: number): [number[], number[]] {
  const all = binsByRow(s, c, rows);
  const lowest = all[0].map((_, i) => Math.min(...all.map((bins) => bins[i])));
  const highest = all[0].map((_, i) => Math.max(...all.map((bins) => bins[i])));
  return [lowest, highest];
}

test('nine distinct values at n_bins 5: edges at their quantiles 0, 1/3, 2/3, 1, bins 1 1 1 2 2 2 3 3 4 by rank, as numpy digitizes them', () => {
  const s = fitted(12, { n_bins: 5 });
  // Zeros (G1 stored as 0, G4 and G8 absent) are left out. Sorted 1 … 9, the edges are 1, 3⅔, 6⅓, 9
  // (np.quantile at linspace(0, 1, 4)); np.digitize gives left [2, 1, 4, 1, 3, 1, 3, 2, 2] and right
  // [2, 0, 3, 1, 3, 1, 3, 2, 2]: a value on one edge only (1 and 9) goes to left, so no draw decides.
  const c = cell(45, [[0, 5], [1, 0], [2, 1], [3, 9], [5, 3], [6, 7], [7, 2], [9, 8], [10, 4], [11, 6]]);
  const tokens = s.encode(c, sampleRandom(0, 0));
  assert.deepEqual(genesOf(tokens), [0, 2, 3, 5, 6, 7, 9, 10, 11]);
  assert.deepEqual(binsOf(tokens), [2, 1, 4, 1, 3, 1, 3, 2, 2]);
  assert.deepEqual(tokens.values, new Float32Array(0));
  assert.deepEqual(tokens.coords, new Float32Array(0));
  assert.deepEqual(tokens.extent, [12]);
  assert.equal(tokens.dropped, 0);
  assert.deepEqual(Array.from({ length: 3 }, (_, i) => s.label(tokens, i)), ['G0:bin2', 'G2:bin1', 'G3:bin4']);
  assert.deepEqual(Array.from(s.covers(tokens, 2)), [3]);
  for (let row = 1; row < 20; row++) assert.deepEqual(s.encode(c, sampleRandom(7, row)), tokens);
});

// [2, 3, 3, 3, 3, 4, 4, 4] at 51 bins: 49 edges over 8 values, edge k at sorted index k·7/49 = k/7, so edges 7 … 28
// equal 3 and 35 … 49 equal 4. The 3s have left 29, right 7; the 4s left 50, right 35. numpy interpolates index 35
// as 34.999… and puts that edge one ulp below 4 on these float32 counts (np.digitize right = 36, though 35 on
// their log1p per 10k with a library of 100); the exact comparison keeps bin 36 in the 4s' range.
const tied = cell(100, [[0, 2], [1, 3], [2, 3], [3, 3], [4, 3], [5, 4], [6, 4], [7, 4]]);

test('values on a run of repeated edges spread uniformly over right + 1 … left, drawn from the encode stream', () => {
  const s = fitted(8);
  const rows = 2000;
  const all = binsByRow(s, tied, rows);
  const histogram = new Map<number, number>();
  for (const bins of all) {
    assert.equal(bins[0], 1);
    for (let i = 1; i < 8; i++) histogram.set(bins[i], (histogram.get(bins[i]) ?? 0) + 1);
  }
  const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
  assert.deepEqual([...histogram.keys()].sort((a, b) => a - b), [...range(8, 29), ...range(36, 50)]);
  // 4 × 2000 draws over 22 bins (≈ 364 each) and 3 × 2000 over 15 (400 each).
  for (const b of range(8, 29)) assert.ok(Math.abs(histogram.get(b)! - (4 * rows) / 22) < 80, `bin ${b}: ${histogram.get(b)}`);
  for (const b of range(36, 50)) assert.ok(Math.abs(histogram.get(b)! - (3 * rows) / 15) < 80, `bin ${b}: ${histogram.get(b)}`);
  // Seeded: the same (seed, row) repeats its bins, another row draws others.
  assert.deepEqual(binsOf(s.encode(tied, sampleRandom(3, 9))), binsOf(s.encode(tied, sampleRandom(3, 9))));
  assert.notDeepEqual(binsOf(s.encode(tied, sampleRandom(3, 9))), binsOf(s.encode(tied, sampleRandom(3, 10))));
});

test('counts, normalised and log1p-normalised values of one cell give the same bins: only their order counts', () => {
  const normalised = { ...tied, counts: tied.counts.map((c) => (c * 10_000) / 100) };
  const logged = { ...tied, counts: tied.counts.map((c) => Math.log1p((c * 10_000) / 100)) };
  const byKind = ([['counts', tied], ['normalised', normalised], ['log1p', logged]] as const).map(([kind, c]) => binsByRow(fitted(8, {}, kind), c, 50));
  assert.deepEqual(byKind[1], byKind[0]);
  assert.deepEqual(byKind[2], byKind[0]);
});

test("bins of simulated cells stay in numpy's [right + 1, left] and reach both ends (reference numbers from np.quantile and np.digitize)", () => {
  // Counts drawn as Poisson(1.5) + 1 in numpy; left = np.digitize(x, edges), right = np.digitize(x, edges, right=True).
  const references = [
    {
      n_bins: 11,
      counts: [3, 3, 4, 2, 3, 5, 1, 2, 1, 3, 3, 2, 1, 2, 2, 2, 3, 4, 4],
      left: [8, 8, 9, 5, 8, 10, 2, 5, 2, 8, 8, 5, 2, 5, 5, 5, 8, 9, 9],
      right: [5, 5, 8, 2, 5, 9, 0, 2, 0, 5, 5, 2, 0, 2, 2, 2, 5, 8, 8],
    },
    {
      n_bins: 51,
      counts: [2, 2, 1, 4, 4, 2, 2, 2, 2, 3, 5, 1, 3, 4, 2, 1, 4],
      left: [28, 28, 7, 46, 46, 28, 28, 28, 28, 34, 50, 7, 34, 46, 28, 7, 46],
      right: [10, 10, 0, 37, 37, 10, 10, 10, 10, 31, 49, 0, 31, 37, 10, 0, 37],
    },
    {
      n_bins: 21,
      counts: [1, 2, 1, 4, 3, 3, 3, 2, 3, 3, 4, 2, 2, 3, 2],
      left: [2, 9, 2, 20, 17, 17, 17, 9, 17, 17, 20, 9, 9, 17, 9],
      right: [0, 3, 0, 18, 10, 10, 10, 3, 10, 10, 18, 3, 3, 10, 3],
    },
  ];
  for (const { n_bins, counts, left, right } of references) {
    const c = cell(1000, counts.map((count, g) => [g, count]));
    const [lowest, highest] = binRanges(fitted(counts.length, { n_bins }), c, 500);
    assert.deepEqual(lowest, right.map((r) => r + 1), `n_bins ${n_bins}`);
    assert.deepEqual(highest, left, `n_bins ${n_bins}`);
  }
});

test('n_bins 2 puts every non-zero value in bin 1; a lone non-zero value sits on every edge and may take any bin', () => {
  const values = cell(20, [[0, 3], [2, 1], [3, 3], [4, 8]]);
  assert.deepEqual(binRanges(fitted(5, { n_bins: 2 }), values, 100), [[1, 1, 1, 1], [1, 1, 1, 1]]);
  // One value: np.quantile makes all 4 edges equal to it, so left = 4, right = 0.
  assert.deepEqual(binRanges(fitted(5, { n_bins: 5 }), cell(3, [[2, 3]]), 100), [[1], [4]]);
});

test('include_zeros adds the undetected panel genes in bin 0, in panel order; without it only non-zero genes are tokens', () => {
  // Values 2 < 5 < 9 at n_bins 5 (edges at sorted index 0, 2/3, 4/3, 2): bins 1, 2, 4.
  const c = cell(16, [[1, 5], [3, 2], [4, 9]]);
  const off = fitted(6, { n_bins: 5 }).encode(c, sampleRandom(0, 0));
  assert.deepEqual([genesOf(off), binsOf(off)], [[1, 3, 4], [2, 1, 4]]);
  const withZeros = fitted(6, { n_bins: 5, include_zeros: true });
  const on = withZeros.encode(c, sampleRandom(0, 0));
  assert.deepEqual([genesOf(on), binsOf(on)], [[0, 1, 2, 3, 4, 5], [0, 2, 0, 1, 4, 0]]);
  assert.equal(on.dropped, 0);
  assert.equal(withZeros.label(on, 0), 'G0:bin0');
  assert.equal(binned.tokensPerSample(binned.params.parse({ include_zeros: true }), infoOf(6)), 6);
  assert.equal(binned.tokensPerSample(binned.params.parse({ include_zeros: true, max_len: 4 }), infoOf(6)), 4);
  assert.equal(binned.tokensPerSample(binned.params.parse({}), infoOf(6)), undefined);
});

test('over max_len, genes are sampled without replacement from the encode stream, kept in panel order, each with its bin in the whole cell', () => {
  // Ten distinct values on the even genes of a 20-gene panel: their bins need no draw.
  const c = cell(100, Array.from({ length: 10 }, (_, k): [number, number] => [2 * k, k + 1]));
  const whole = fitted(20, { n_bins: 11 }).encode(c, sampleRandom(0, 0));
  const binOfGene = new Map(genesOf(whole).map((g, i) => [g, binsOf(whole)[i]]));
  const s = fitted(20, { n_bins: 11, max_len: 4 });
  const kept = new Map<number, number>();
  for (let row = 0; row < 500; row++) {
    const tokens = s.encode(c, sampleRandom(5, row));
    const genes = genesOf(tokens);
    assert.equal(tokens.length, 4);
    assert.ok(genes.every((g, i) => i === 0 || g > genes[i - 1]), `row ${row}: ${genes}`);
    assert.deepEqual(binsOf(tokens), genes.map((g) => binOfGene.get(g)));
    assert.equal(tokens.dropped, 0.6);
    for (const g of genes) kept.set(g, (kept.get(g) ?? 0) + 1);
  }
  // Every gene is kept 4 times in 10, ≈ 200 of 500.
  assert.deepEqual([...kept.keys()].sort((a, b) => a - b), [...binOfGene.keys()]);
  for (const [g, n] of kept) assert.ok(Math.abs(n - 200) < 40, `gene ${g}: ${n}`);
  assert.deepEqual(s.encode(c, sampleRandom(5, 1)), s.encode(c, sampleRandom(5, 1)));
  assert.notDeepEqual(genesOf(s.encode(c, sampleRandom(5, 1))), genesOf(s.encode(c, sampleRandom(5, 2))));
});

test('the bins are drawn before the sample of genes: a sampled cell keeps the bins the same stream gives the whole cell', () => {
  const whole = fitted(8);
  const cut = fitted(8, { max_len: 3 });
  for (let row = 0; row < 50; row++) {
    const all = whole.encode(tied, sampleRandom(1, row));
    const part = cut.encode(tied, sampleRandom(1, row));
    assert.deepEqual(binsOf(part), genesOf(part).map((g) => binsOf(all)[g]));
    assert.equal(part.dropped, 5 / 8);
  }
});

test('with include_zeros, max_len samples from the whole panel and dropped counts the non-zero genes left out', () => {
  const s = fitted(20, { include_zeros: true, max_len: 4 });
  const c = cell(10, [[3, 1], [8, 2]]);
  for (let row = 0; row < 30; row++) {
    const tokens = s.encode(c, sampleRandom(0, row));
    const genes = genesOf(tokens);
    const nonzero = genes.filter((g) => g === 3 || g === 8).length;
    assert.equal(tokens.length, 4);
    assert.deepEqual(binsOf(tokens), genes.map((g) => (g === 3 ? 1 : g === 8 ? 50 : 0)));
    assert.equal(tokens.dropped, (2 - nonzero) / 2);
  }
});

test('accepts counts, normalised and log1p values and refuses scaled ones, saying what the data holds', () => {
  for (const values of ['counts', 'normalised', 'log1p'] as const) assert.deepEqual(binned.check(binned.params.parse({}), infoOf(3, values)), []);
  const scaled = { ...infoOf(3, 'scaled'), valuesSource: "layer 'X' of reduced.h5ad: scaled (min −2.1); raw/X holds log1p" };
  const [problem] = binned.check(binned.params.parse({}), scaled);
  assert.deepEqual(problem.path, []);
  assert.match(problem.message, /^found scaled values \(layer 'X' of reduced\.h5ad: scaled \(min −2\.1\); raw\/X holds log1p\); expected counts or normalised or log1p values, because binned /);
  assert.throws(
    () => binned.create(binned.params.parse({}), scaled),
    (e) => e instanceof TokbenchError && e.code === 'input' && e.message.startsWith('binned: found scaled values'),
  );
});

test('refuses to work unfitted or without an encode stream, and values that are negative, naming the gene', () => {
  const fresh = binned.create(binned.params.parse({}), infoOf(3));
  const c = cell(10, [[0, 4], [2, 6]]);
  const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';
  assert.throws(() => fresh.encode(c, sampleRandom(0, 0)), notFitted);
  assert.throws(() => fresh.decode(fitted(3).encode(c, sampleRandom(0, 0))), notFitted);
  assert.throws(() => fresh.artifacts(), notFitted);
  assert.throws(() => fitted(3).encode(c), (e) => e instanceof TokbenchError && e.code === 'invalid-param' && e.message.startsWith('binned draws at random'));
  assert.throws(
    () => fitted(3, {}, 'log1p').encode(cell(10, [[0, 1], [1, -0.5]]), sampleRandom(0, 0)),
    (e) => e instanceof TokbenchError && e.code === 'input' && /found a value of -0\.5 for gene G1/.test(e.message),
  );
  assert.equal(binned.seeded, true);
  assert.deepEqual(fitted(3, { n_bins: 11 }).layout, { idChannels: 2, vocabSizes: [5, 13], valueDim: 0, coordDim: 0, target: { kind: 'ids', channel: 1, specials: 2 }, maskSpan: 1 });
});

test('fit learns the mean log-normalised value of each bin; bins nothing fell in are interpolated between the nearest trained ones', () => {
  // log1p values 0.5 … 4.5 at n_bins 5: bins 1 1 1 2 2 2 3 3 4 by rank; a stored zero counts in no bin.
  const nine = cell(0, Array.from({ length: 9 }, (_, k): [number, number] => [k, (k + 1) / 2]));
  const s = fitted(9, { n_bins: 5 }, 'log1p', [nine, cell(0, [[4, 0]])]);
  assert.deepEqual(s.state?.meanByBin, Float64Array.from([0, 1, 2.5, 3.75, 4.5]));
  assert.deepEqual(s.state?.valuesInBin, Float64Array.from([0, 3, 3, 2, 1]));
  assert.equal(s.artifacts()['bin-means.tsv'], 'bin\ttraining_values\tdecodes_to\n0\t0\t0\n1\t3\t1\n2\t3\t2.5\n3\t2\t3.75\n4\t1\t4.5\n');
  // Three values at n_bins 6 fall in bins 1, 3, 5; bins 2 and 4 lie halfway between their neighbours.
  const three = cell(0, [[0, 1], [1, 2], [2, 4]]);
  assert.deepEqual(fitted(3, { n_bins: 6 }, 'log1p', [three]).state?.meanByBin, Float64Array.from([0, 1, 1.5, 2, 3, 4]));
  // A stream whose draws all pick the top bin puts [1, 1, 2] at n_bins 4 in bins 2, 2, 3: bin 1 takes bin 2's mean.
  const top: Rng = { ...createRng(0), int: () => 0 };
  assert.deepEqual(fitted(3, { n_bins: 4 }, 'log1p', [cell(0, [[0, 1], [1, 1], [2, 2]])], top).state?.meanByBin, Float64Array.from([0, 1, 1, 2]));
  assert.deepEqual(fitted(3, { n_bins: 4 }, 'log1p', []).state?.meanByBin, new Float64Array(4));
});

test("decode places each bin's training mean at its token's gene; bin 0, special bins and genes without a token decode as 0", () => {
  const nine = cell(0, Array.from({ length: 9 }, (_, k): [number, number] => [k, (k + 1) / 2]));
  const s = fitted(9, { n_bins: 5 }, 'log1p', [nine]);
  const pairs = [[3, 2], [0, 4], [5, MASK - ID], [1, 0], [PAD - ID, PAD - ID], [7, 3]];
  const tokens: Tokens = {
    length: pairs.length,
    ids: Int32Array.from(pairs.flatMap(([g, b]) => [g + ID, b + ID])),
    values: new Float32Array(0),
    coords: new Float32Array(0),
    extent: [9],
    dropped: 0,
  };
  const decoded = s.decode(tokens);
  assert.deepEqual(decoded.genes, Int32Array.from([0, 3, 7]));
  assert.deepEqual(decoded.counts, Float32Array.from([4.5, 2.5, 3.75]));
  assert.deepEqual(Array.from(s.covers(tokens, 4)), []);
  assert.deepEqual([s.label(tokens, 2), s.label(tokens, 4)], ['G5:<mask>', '<pad>:<pad>']);
  // Counts decode per 10k, as expm1 of the mean, which the canonical space logs back.
  const counts = cell(10_000, Array.from({ length: 9 }, (_, k): [number, number] => [k, Math.expm1((k + 1) / 2)]));
  const fromCounts = fitted(9, { n_bins: 5 }, 'counts', [counts]);
  const back = fromCounts.decode(fromCounts.encode(counts, sampleRandom(0, 0)));
  const means = fromCounts.state!.meanByBin;
  assert.equal(back.librarySize, 10_000);
  assert.deepEqual(back.counts, Float32Array.from([1, 1, 1, 2, 2, 2, 3, 3, 4], (b) => Math.expm1(means[b])));
});
