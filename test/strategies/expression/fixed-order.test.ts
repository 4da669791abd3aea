// Exact tokens, scBERT's bin edges, refusals, fit and decode of the scBERT-like fixed-order strategy on hand-made cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ExpressionValues } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { fixedOrder } from '../../../strategies/expression/fixed-order.js';

const genes = ['A', 'B', 'C', 'D', 'E', 'F'];
const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5];
const info = (values: ExpressionValues = 'counts', panel = genes) => ({ genes: panel, values });
/** Ids after <pad> = 0 and <mask> = 1 in both channels. */
const id = (g: number) => g + 2;
const bin = (b: number) => b + 2;
const LN2 = Math.LN2;
const defaults = fixedOrder.params.parse({});

function cell(librarySize: number, entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

function fitted(train: readonly ExpressionSample[] = [], p = defaults, values: ExpressionValues = 'counts', panel = genes) {
  const strategy = fixedOrder.create(p, info(values, panel));
  strategy.fit(train);
  return strategy;
}

/** The bin channel of a token list. */
const bins = (ids: Int32Array) => Array.from({ length: ids.length / 2 }, (_, t) => ids[2 * t + 1] - 2);

test("the defaults are scBERT's bins: 6 levels of width ln 2, i.e. integer levels of log2(1 + counts per 10k)", () => {
  assert.deepEqual(defaults, { n_bins: 6, max_value: 6 * LN2 });
  assert.equal(fixedOrder.tokensPerSample(defaults, info()), 6);
});

test('a 6-gene cell: every gene in panel order with its bin; a value on an edge goes up; the top bin is open', () => {
  // Library 20,000: counts per 10k A 0.5, B 1, C 3, E 15, F 63 (D undetected); log2(1 + x) = 0.58, 1, 2, 4, 6.
  const tokens = fitted().encode(cell(20_000, [[A, 1], [B, 2], [C, 6], [E, 30], [F, 126]]));
  assert.equal(tokens.length, 6);
  assert.deepEqual(tokens.ids, Int32Array.of(id(A), bin(0), id(B), bin(1), id(C), bin(2), id(D), bin(0), id(E), bin(4), id(F), bin(5)));
  assert.deepEqual(tokens.values, new Float32Array(0));
  assert.deepEqual(tokens.coords, new Float32Array(0));
  assert.deepEqual(tokens.extent, [6]);
  assert.equal(tokens.dropped, 0);
  assert.deepEqual(fitted().layout, { idChannels: 2, vocabSizes: [8, 8], valueDim: 0, coordDim: 0, target: { kind: 'ids', channel: 1, specials: 2 }, maskSpan: 1 });
});

test("bins at and around scBERT's edges match its clip-and-truncate levels", () => {
  // Counts per 10k (library 10,000) just below the first edge, on every edge, at max_value and above it. scBERT's
  // levels for the same values — numpy float32 log1p(x) / ln 2 as scanpy's log1p(base=2), values > 5 set to 5,
  // then `.long()` — are 0 1 2 3 4 5 5 5.
  const panel = ['x0.99', 'x1', 'x3', 'x7', 'x15', 'x31', 'x63', 'x127'];
  const perTenK = [0.99, 1, 3, 7, 15, 31, 63, 127];
  const tokens = fitted([], defaults, 'counts', panel).encode(cell(10_000, perTenK.map((x, g) => [g, x])));
  assert.deepEqual(bins(tokens.ids), [0, 1, 2, 3, 4, 5, 5, 5]);
  // Normalised values bin alike, whatever the library size.
  const normalised = fitted([], defaults, 'normalised', panel).encode(cell(3, perTenK.map((x, g) => [g, x])));
  assert.deepEqual(normalised.ids, tokens.ids);
  // Two bins of width 2 ln 2: log1p(3) = 2 ln 2 sits on the inner edge and goes up; log1p(2.99) stays below.
  const two = fitted([], { n_bins: 2, max_value: 4 * LN2 }, 'counts', ['a', 'b', 'c']).encode(cell(10_000, [[0, 2.99], [1, 3], [2, 1000]]));
  assert.deepEqual(bins(two.ids), [0, 1, 1]);
});

// Training cells of library 10,000 (counts are counts per 10k). Non-zero log-normalised values by bin:
//   bin 0: 0.5 → log1p(0.5) (shares bin 0 with the undetected genes, decodes to 0)
//   bin 1: 1, 2 → ln 2, ln 3;  bin 2: 3 → 2 ln 2;  bin 5: 63, 200 → 6 ln 2, log1p(200);  bins 3 and 4: none.
const train = [cell(10_000, [[A, 1], [B, 3], [C, 63]]), cell(10_000, [[A, 2], [D, 0.5], [F, 200]])];
const means = [0, (LN2 + Math.log1p(2)) / 2, 2 * LN2, 3.5 * LN2, 4.5 * LN2, (6 * LN2 + Math.log1p(200)) / 2];

test("fit learns each bin's training mean; bin 0 decodes to 0 and an empty bin to its centre", () => {
  const strategy = fitted(train);
  assert.deepEqual(strategy.state?.meanByBin, Float64Array.from(means));
  const table = ['bin\tlower_edge\tdecodes_to', ...means.map((m, b) => `${b}\t${(b * defaults.max_value) / 6}\t${m}`)].join('\n') + '\n';
  assert.deepEqual(strategy.artifacts(), { 'bin-means.tsv': table });
});

test('decode gives each gene its bin mean by gene id, in the kind of values the dataset holds', () => {
  const strategy = fitted(train);
  // log2(1 + x): A 1 → bin 1, B 2 → bin 2, C 0.58 → bin 0, E 6.6 → bin 5.
  const tokens = strategy.encode(cell(10_000, [[A, 1], [B, 3], [C, 0.5], [E, 99]]));
  const decoded = strategy.decode(tokens);
  const expm1 = (v: number) => Math.fround(Math.expm1(v));
  assert.deepEqual(decoded, { genes: Int32Array.of(A, B, E), counts: Float32Array.of(expm1(means[1]), expm1(means[2]), expm1(means[5])), librarySize: 10_000 });
  // A predicted bin replaces the true one; a <mask> or <pad> bin decodes as 0; the token order does not matter.
  const ids = tokens.ids.slice();
  ids[2 * A + 1] = bin(3);
  ids[2 * B + 1] = 1;
  const predicted = strategy.decode({ ...tokens, ids });
  assert.deepEqual(predicted, { genes: Int32Array.of(A, E), counts: Float32Array.of(expm1(means[3]), expm1(means[5])), librarySize: 10_000 });
  const last = { ...tokens, length: 1, ids: tokens.ids.slice(2 * E, 2 * E + 2) };
  assert.deepEqual(strategy.decode(last), { genes: Int32Array.of(E), counts: Float32Array.of(expm1(means[5])), librarySize: 10_000 });
  assert.deepEqual(strategy.covers(last, 0), Int32Array.of(E));
  assert.equal(strategy.label(tokens, E), 'E:bin5');
  assert.equal(strategy.label({ ...tokens, ids }, B), 'B:<mask>');
});

test('encode, decode and artifacts refuse before fit', () => {
  const fresh = fixedOrder.create(defaults, info());
  const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';
  assert.throws(() => fresh.encode(cell(10, [[A, 1]])), notFitted);
  assert.throws(() => fresh.artifacts(), notFitted);
  assert.equal(fresh.state, undefined);
});

test('check and create accept counts and normalised values and refuse log1p and scaled ones, saying why', () => {
  const why = "fixed-order normalises and log1p-transforms the values itself before binning them, as scBERT's preprocessing does (normalize_total 1e4, log1p)";
  for (const values of ['counts', 'normalised'] as const) assert.deepEqual(fixedOrder.check(defaults, info(values)), []);
  for (const values of ['log1p', 'scaled'] as const) {
    const message = `found ${values} values; expected counts or normalised values, because ${why}`;
    assert.deepEqual(fixedOrder.check(defaults, info(values)), [{ path: [], message }]);
    assert.throws(
      () => fixedOrder.create(defaults, info(values)),
      (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `fixed-order: ${message}`,
    );
  }
});

test('an out-of-vocabulary bin id is refused by decode', () => {
  const strategy = fitted(train);
  const tokens = { ...strategy.encode(cell(10, [[A, 1]])), ids: Int32Array.of(id(A), bin(6)), length: 1 };
  assert.throws(() => strategy.decode(tokens), (e: unknown) => e instanceof TokbenchError && e.message === 'fixed-order: found bin id 8; expected an id in [2, 8)');
});

test('n_bins is an integer ≥ 2 and max_value positive and finite', () => {
  assert.equal(fixedOrder.params.safeParse({ n_bins: 1 }).success, false);
  assert.equal(fixedOrder.params.safeParse({ max_value: 0 }).success, false);
  assert.equal(fixedOrder.params.safeParse({ max_value: Infinity }).success, false);
  assert.deepEqual(fixedOrder.params.parse({ n_bins: 11, max_value: 5 }), { n_bins: 11, max_value: 5 });
});
