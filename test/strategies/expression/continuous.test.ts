// Exact tokens, max_len truncation and its tie rule, value kinds, refusals and decode of the scFoundation-like continuous strategy on hand-made cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ExpressionValues } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { expression } from '../../../harness/modalities/expression.js';
import { continuous } from '../../../strategies/expression/continuous.js';

const genes = ['A', 'B', 'C', 'D', 'E', 'F'];
const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5];
const info = (values: ExpressionValues = 'counts', valuesSource?: string) => ({ genes, values, valuesSource });
/** Token id of a gene: after <pad> = 0 and <mask> = 1. */
const id = (g: number) => g + 2;
const f32 = Math.fround;

function cell(librarySize: number, entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

const create = (maxLen = 2048, values: ExpressionValues = 'counts') => continuous.create({ max_len: maxLen }, info(values));

// A library of 20,000, so counts per 10k are half the counts: A 0.5, B 1, C 3, E 15, F 63; D undetected.
const counts = cell(20_000, [[A, 1], [B, 2], [C, 6], [E, 30], [F, 126]]);
const perTenK = [0.5, 1, 3, 15, 63];

test('a 6-gene cell: its non-zero genes in panel order, each with log1p(counts per 10k)', () => {
  const tokens = create().encode(counts);
  assert.equal(tokens.length, 5);
  assert.deepEqual(tokens.ids, Int32Array.of(id(A), id(B), id(C), id(E), id(F)));
  assert.deepEqual(tokens.values, Float32Array.from(perTenK, Math.log1p));
  assert.deepEqual(tokens.coords, new Float32Array(0));
  assert.deepEqual(tokens.extent, [6]);
  assert.equal(tokens.dropped, 0);
  assert.deepEqual(create().layout, { idChannels: 1, vocabSizes: [8], valueDim: 1, coordDim: 0, target: { kind: 'values' }, maskSpan: 1 });
});

test('normalised and log1p values of the same cell give the same tokens as its counts', () => {
  const normalised = cell(10_000, [[A, 0.5], [B, 1], [C, 3], [E, 15], [F, 63]]);
  const logged = cell(10_000, [[A, f32(Math.log1p(0.5))], [B, f32(Math.LN2)], [C, f32(Math.log1p(3))], [E, f32(Math.log1p(15))], [F, f32(Math.log1p(63))]]);
  const fromCounts = create().encode(counts);
  assert.deepEqual(create(2048, 'normalised').encode(normalised), fromCounts);
  assert.deepEqual(create(2048, 'log1p').encode(logged), fromCounts);
  // The library size scales counts only: normalised and log1p values are never normalised again.
  assert.deepEqual(create(2048, 'normalised').encode({ ...normalised, librarySize: 1 }), fromCounts);
});

test('max_len keeps the highest values, ties to the lower panel index, and lists them in panel order', () => {
  // Per 10k: A 5, B 9, C 5, D 2, E 9, F 5. B and E are highest; of the tied A, C, F the lowest index, A, stays.
  const tokens = create(3).encode(cell(10_000, [[A, 5], [B, 9], [C, 5], [D, 2], [E, 9], [F, 5]]));
  assert.deepEqual(tokens.ids, Int32Array.of(id(A), id(B), id(E)));
  assert.deepEqual(tokens.values, Float32Array.from([5, 9, 9], Math.log1p));
  assert.equal(tokens.dropped, 3 / 6);
  // Exactly max_len non-zero genes: nothing is cut.
  assert.equal(create(5).encode(counts).dropped, 0);
  assert.equal(create(2).encode(counts).length, 2);
});

test('a cell with no counts has no tokens and drops nothing', () => {
  const tokens = create().encode(cell(0, []));
  assert.equal(tokens.length, 0);
  assert.equal(tokens.dropped, 0);
  // Explicit zeros are not tokens.
  assert.equal(create().encode(cell(10, [[B, 0], [C, 4]])).length, 1);
});

test('decode puts each value at its gene by id and 0 elsewhere; cut genes decode as 0', () => {
  const strategy = create(3);
  const full = cell(10_000, [[A, 5], [B, 9], [C, 5], [D, 2], [E, 9], [F, 5]]);
  const tokens = strategy.encode(full);
  const decoded = strategy.decode(tokens);
  // Counts come back per 10k (library 10,000) and read back as the token values in canonical units.
  assert.deepEqual(decoded, { genes: Int32Array.of(A, B, E), counts: Float32Array.of(5, 9, 9), librarySize: 10_000 });
  assert.deepEqual(expression.canonical(decoded, info()), Float32Array.from([5, 9, 0, 0, 9, 0], Math.log1p));
  // Reversed tokens decode alike: placed by gene id, never by index.
  const reversed = { ...tokens, ids: tokens.ids.slice().reverse(), values: tokens.values.slice().reverse() };
  assert.deepEqual(strategy.decode(reversed), decoded);
  // A prediction below 0 decodes as 0 (the gene is absent); specials cover nothing.
  const predicted = { ...tokens, ids: Int32Array.of(id(A), 1, id(E)), values: Float32Array.of(-0.25, 2, f32(Math.log1p(9))) };
  assert.deepEqual(strategy.decode(predicted), { genes: Int32Array.of(E), counts: Float32Array.of(9), librarySize: 10_000 });
  assert.deepEqual(strategy.covers(predicted, 1), new Int32Array(0));
  assert.deepEqual(strategy.covers(predicted, 2), Int32Array.of(E));
  assert.equal(strategy.label(predicted, 1), '<mask>');
  assert.equal(strategy.label(predicted, 2), 'E');
});

test('decode returns the kind of values the dataset holds', () => {
  const logged = create(2048, 'log1p');
  const tokens = logged.encode(cell(1, [[B, 0.75], [D, 2.5]]));
  assert.deepEqual(logged.decode(tokens), { genes: Int32Array.of(B, D), counts: Float32Array.of(0.75, 2.5), librarySize: 10_000 });
  const normalised = create(2048, 'normalised');
  assert.deepEqual(normalised.decode(normalised.encode(cell(1, [[C, 3]]))), { genes: Int32Array.of(C), counts: Float32Array.of(3), librarySize: 10_000 });
});

test('check and create refuse scaled values, saying what the data holds; other kinds pass', () => {
  const why =
    'continuous feeds the model log1p of counts per 10k, which it computes from counts or normalised values (and takes log1p values as they are), while scaled values are centred per gene and cannot be brought back to it';
  for (const values of ['counts', 'normalised', 'log1p'] as const) assert.deepEqual(continuous.check({ max_len: 8 }, info(values)), []);
  const source = "layer 'X' of pbmc68k_reduced.h5ad: scaled (min -2.1); the file also has raw/X: log1p";
  const message = `found scaled values (${source}); expected counts or normalised or log1p values, because ${why}`;
  assert.deepEqual(continuous.check({ max_len: 8 }, info('scaled', source)), [{ path: [], message }]);
  assert.throws(
    () => continuous.create({ max_len: 8 }, info('scaled', source)),
    (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `continuous: ${message}`,
  );
});

test('malformed cells are refused with the gene and the value', () => {
  const strategy = create();
  const refused = (sample: ExpressionSample, message: string) =>
    assert.throws(() => strategy.encode(sample), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `continuous: ${message}`);
  refused(cell(10, [[B, 1], [C, Number.NaN]]), 'found a value of NaN for gene C; expected a finite value ≥ 0');
  refused(cell(10, [[D, -1]]), 'found a value of -1 for gene D; expected a finite value ≥ 0');
  refused(cell(10, [[C, 1], [B, 1]]), 'found gene index 1 after 2 in a cell; expected ascending indices into the panel of 6 genes');
  refused(cell(10, [[6, 1]]), 'found gene index 6 after none in a cell; expected ascending indices into the panel of 6 genes');
  refused(cell(0, [[A, 3]]), "found a library size of 0 in a cell with counts (gene A: 3); expected the cell's total count");
  refused({ genes: Int32Array.of(A, B), counts: Float32Array.of(1), librarySize: 1 }, 'found a cell with 2 gene indices and 1 values; expected one value per gene index');
});

test('max_len is a positive integer defaulting to 2,048', () => {
  assert.deepEqual(continuous.params.parse({}), { max_len: 2048 });
  assert.equal(continuous.params.safeParse({ max_len: 0 }).success, false);
  assert.equal(continuous.params.safeParse({ max_len: 2.5 }).success, false);
});
