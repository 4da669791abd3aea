// Exact medians, rank tokens, truncation, ties and decode estimates of the Geneformer-style rank strategy on hand-made cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { rank } from '../../../strategies/expression/rank.js';

const info = { genes: ['A', 'B', 'C', 'D', 'E'], values: 'counts' as const };
const [A, B, C, D, E] = [0, 1, 2, 3, 4];
/** Token id of a gene: after <pad> = 0 and <mask> = 1. */
const id = (g: number) => g + 2;

function cell(librarySize: number, entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

// target_sum 1024 with library sizes 1024, 512, 2048 keeps every normalised value exact in binary:
// value = count / librarySize × 1024 = count × 1, × 2, × 0.5.
const params = { max_len: 2048, target_sum: 1024 };
const train = [
  cell(1024, [[A, 40], [B, 20], [C, 10]]), // normalised A 40, B 20, C 10
  cell(512, [[A, 10], [B, 30], [D, 20]]), // normalised A 20, B 60, D 40
  cell(2048, [[A, 100], [C, 40]]), // normalised A 50, C 20
];
// Non-zero medians over training: A median(40, 20, 50) = 40; B median(20, 60) = 40; C median(10, 20) = 15;
// D median(40) = 40; E never detected → no median.
// Scaled = normalised / median:
//   cell 0: A 1, B 0.5, C 10/15 ≈ 0.667   → ranks A, C, B
//   cell 1: A 0.5, B 1.5, D 1             → ranks B, D, A
//   cell 2: A 1.25, C 20/15 ≈ 1.333       → ranks C, A
const mean0 = (1 + 1.5 + 20 / 15) / 3; // ≈ 1.2778 (23/18)
const mean1 = (10 / 15 + 1 + 1.25) / 3; // ≈ 0.9722 (35/36)
const mean2 = (0.5 + 0.5) / 2; // 0.5: only cells 0 and 1 reach rank 2

function fitted(p = params) {
  const s = rank.create(p, info);
  s.fit(train);
  return s;
}

test('fit learns the non-zero medians and the mean scaled value per rank position', () => {
  const s = fitted();
  assert.deepEqual(s.state?.medians, Float64Array.from([40, 40, 15, 40, 0]));
  assert.deepEqual(s.state?.meanScaledByRank, Float64Array.from([mean0, mean1, mean2]));
});

test('encode ranks genes by median-scaled value, highest first', () => {
  const s = fitted();
  const tokens = train.map((c) => s.encode(c));
  assert.deepEqual(tokens.map((t) => Array.from(t.ids)), [
    [id(A), id(C), id(B)],
    [id(B), id(D), id(A)],
    [id(C), id(A)],
  ]);
  assert.deepEqual(Array.from(tokens[0].coords), [0, 1, 2]);
  assert.deepEqual(tokens[0].values, new Float32Array(0));
  assert.deepEqual(tokens[0].extent, [5]);
  assert.deepEqual(Array.from({ length: 3 }, (_, i) => s.label(tokens[1], i)), ['B', 'D', 'A']);
  assert.equal(tokens[1].dropped, 0);
});

test('ties go to the lower panel index; genes without a median are left out and counted as dropped', () => {
  const s = fitted();
  // D, B, A all scale to 40 / 40 = 1; E was never seen in training.
  const t = s.encode(cell(1024, [[A, 40], [B, 40], [D, 40], [E, 5]]));
  assert.deepEqual(Array.from(t.ids), [id(A), id(B), id(D)]);
  assert.equal(t.dropped, 1 / 4);
  assert.deepEqual(Array.from(s.covers(t, 2)), [D]);
});

test('library size normalisation: the same profile at twice the depth ranks the same', () => {
  const s = fitted();
  const shallow = s.encode(cell(1024, [[A, 8], [B, 16], [C, 9]])); // scaled A 0.2, B 0.4, C 0.6
  const deep = s.encode(cell(2048, [[A, 16], [B, 32], [C, 18]]));
  assert.deepEqual(Array.from(shallow.ids), [id(C), id(B), id(A)]);
  assert.deepEqual(deep.ids, shallow.ids);
});

test('max_len truncates the ranked list and the cut genes count as dropped', () => {
  const s = fitted({ max_len: 2, target_sum: 1024 });
  const t = s.encode(train[1]);
  assert.deepEqual(Array.from(t.ids), [id(B), id(D)]);
  assert.equal(t.dropped, 1 / 3);
  // Only positions 0 and 1 are learned: (1 + 1.5 + 20/15)/3 and (10/15 + 1 + 1.25)/3.
  assert.deepEqual(s.state?.meanScaledByRank, Float64Array.from([mean0, mean1]));
});

test('a cell with no counts gives no tokens', () => {
  const t = fitted().encode(cell(0, []));
  assert.equal(t.length, 0);
  assert.equal(t.dropped, 0);
});

test('decode estimates mean scaled value at the rank × the gene median, as counts per target_sum', () => {
  const s = fitted();
  const decoded = s.decode(s.encode(train[0])); // A at 0, C at 1, B at 2
  assert.deepEqual(decoded, {
    genes: Int32Array.from([A, B, C]),
    counts: Float32Array.from([mean0 * 40, mean2 * 40, mean1 * 15]),
    librarySize: 1024,
  });
});

test('decode skips specials and repeats, and uses the deepest trained rank beyond it', () => {
  const s = fitted();
  const predicted = (ids: number[]) => ({
    length: ids.length,
    ids: Int32Array.from(ids),
    values: new Float32Array(0),
    coords: Float32Array.from(ids, (_, i) => i),
    extent: [5],
    dropped: 0,
  });
  // <mask> at 0, C at 1, A at 2, C again at 3 (ignored), <pad> at 4.
  assert.deepEqual(s.decode(predicted([1, id(C), id(A), id(C), 0])), {
    genes: Int32Array.from([A, C]),
    counts: Float32Array.from([mean2 * 40, mean1 * 15]),
    librarySize: 1024,
  });
  // E has no median, so it stays 0; B at position 5 borrows position 2's mean.
  assert.deepEqual(s.decode(predicted([id(E), 1, 1, 1, 1, id(B)])).counts, Float32Array.from([mean2 * 40]));
});

test('labels and covers of special tokens', () => {
  const s = fitted();
  const t = { length: 2, ids: Int32Array.from([0, 1]), values: new Float32Array(0), coords: Float32Array.from([0, 1]), extent: [5], dropped: 0 };
  assert.equal(s.label(t, 0), '<pad>');
  assert.equal(s.label(t, 1), '<mask>');
  assert.equal(s.covers(t, 1).length, 0);
});

test('layout: one id channel over genes + 2 specials, rank position as coordinate', () => {
  assert.deepEqual(fitted().layout, { idChannels: 1, vocabSizes: [7], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 2 }, maskSpan: 1 });
});

test('encode and decode before fit are not-fitted errors', () => {
  const s = rank.create(rank.params.parse({}), info);
  assert.equal(s.state, undefined);
  const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';
  assert.throws(() => s.encode(train[0]), notFitted);
  const t = { length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [5], dropped: 0 };
  assert.throws(() => s.decode(t), notFitted);
});

test('fit uses only the cells it is given', () => {
  const s = rank.create(params, info);
  s.fit([train[0]]);
  assert.deepEqual(s.state?.medians, Float64Array.from([40, 20, 10, 0, 0]));
  assert.deepEqual(Array.from(s.encode(train[1]).ids), [id(B), id(A)]); // D unseen: dropped
});

test('params: Geneformer defaults and constraints', () => {
  assert.deepEqual(rank.params.parse({}), { max_len: 2048, target_sum: 10_000 });
  assert.throws(() => rank.params.parse({ max_len: 0 }));
  assert.throws(() => rank.params.parse({ target_sum: 0 }));
  assert.throws(() => rank.params.parse({ bins: 5 }));
});

test('bad cells are input errors', () => {
  const s = fitted();
  const input = (e: unknown) => e instanceof TokbenchError && e.code === 'input';
  assert.throws(() => s.encode(cell(100, [[7, 1]])), input);
  assert.throws(() => s.encode(cell(0, [[A, 3]])), input);
  assert.throws(() => s.encode(cell(100, [[A, -1]])), input);
  assert.throws(() => rank.create(params, info).fit([]), input);
});

test('check: data that is not raw counts is a problem, and create refuses it with the same message', () => {
  assert.deepEqual(rank.check(params, info), []);
  const message = 'found a dataset of log1p values; expected raw counts, which rank normalises itself as Geneformer does';
  assert.deepEqual(rank.check(params, { ...info, values: 'log1p' }), [{ path: [], message }]);
  assert.throws(() => rank.create(params, { ...info, values: 'log1p' }), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `rank: ${message}`);
});

test('artifacts: the medians per panel gene and the mean scaled value per rank position, as TSV', () => {
  assert.deepEqual(fitted().artifacts(), {
    // E was never detected in training.
    'medians.tsv': 'gene\tmedian\nA\t40\nB\t40\nC\t15\nD\t40\nE\t0\n',
    // mean0, mean1 and mean2 at full float64 precision.
    'rank-means.tsv': 'rank\tmean_scaled\n0\t1.2777777777777777\n1\t0.9722222222222222\n2\t0.5\n',
  });
  assert.throws(() => rank.create(params, info).artifacts(), (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted');
});
