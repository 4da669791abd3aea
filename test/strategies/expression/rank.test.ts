// Exact medians, rank tokens, truncation, ties, decode estimates, medians files and V2 special tokens of the Geneformer-style rank strategy on hand-made cells.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
const params = rank.params.parse({ target_sum: 1024 });
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
  const s = fitted(rank.params.parse({ max_len: 2, target_sum: 1024 }));
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

test('params: Geneformer V1 defaults and constraints', () => {
  assert.deepEqual(rank.params.parse({}), { max_len: 2048, target_sum: 10_000, special_tokens: false });
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

test('check: counts and normalised values are accepted; log1p and scaled are refused, saying what the data holds', () => {
  assert.deepEqual(rank.check(params, info), []);
  assert.deepEqual(rank.check(params, { ...info, values: 'normalised' }), []);
  const because = "because rank divides each value by the cell's library size and by the gene's median, as Geneformer does with raw counts, which needs values proportional to counts";
  const valuesSource = "layer 'X' of pbmc68k_reduced.h5ad: scaled (min −2.1); the file also has raw/X: log1p";
  const scaled = `found scaled values (${valuesSource}); expected counts or normalised values, ${because}`;
  assert.deepEqual(rank.check(params, { ...info, values: 'scaled', valuesSource }), [{ path: [], message: scaled }]);
  const log1p = `found log1p values; expected counts or normalised values, ${because}`;
  assert.deepEqual(rank.check(params, { ...info, values: 'log1p' }), [{ path: [], message: log1p }]);
  assert.throws(() => rank.create(params, { ...info, values: 'scaled', valuesSource }), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `rank: ${scaled}`);
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

// A 6-gene cell ranked with medians from a file. target_sum 1024 over a library of 512 doubles every count,
// so each scaled value is exact in binary and the tie below is a true tie.
const panel = { genes: ['CD3E', 'MS4A1', 'LYZ', 'NKG7', 'GNLY', 'PPBP'], values: 'counts' as const };
const [CD3E, MS4A1, LYZ, NKG7, GNLY, PPBP] = [0, 1, 2, 3, 4, 5];
const dir = mkdtempSync(join(tmpdir(), 'tokbench-rank-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };

/** Writes `text` to `name` in the test folder and returns the name, as a sweep file would give it. */
function medianFile(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

// PPBP is not in the file (dropped); CD14 is not in the panel (ignored).
const MEDIANS = 'CD3E\t3\nMS4A1\t0.5\nLYZ\t20\nNKG7\t0.25\nGNLY\t4\nCD14\t7\n';
// Counts 3, 2, 10, 1, 6, 4 → per target_sum 6, 4, 20, 2, 12, 8 → over the medians CD3E 2, MS4A1 8, LYZ 1, NKG7 8,
// GNLY 3. MS4A1 and NKG7 tie at 8: the lower panel index (MS4A1) first. Geneformer's own expression
// (X / n_counts * target_sum / median, numpy argsort of the negation) gives the same order on this cell.
const sixGenes = cell(512, [[CD3E, 3], [MS4A1, 2], [LYZ, 10], [NKG7, 1], [GNLY, 6], [PPBP, 4]]);
const ranked = [MS4A1, NKG7, GNLY, CD3E, LYZ];

function withMedians(file: string, written: Record<string, unknown> = {}) {
  const s = rank.create(rank.params.parse({ target_sum: 1024, medians: file, ...written }), panel, context);
  s.fit([sixGenes]);
  return s;
}

test('medians file: a 6-gene cell in its known order, the tie to the lower panel index, a gene missing from the file dropped', () => {
  const s = withMedians(medianFile('medians.tsv', MEDIANS));
  const t = s.encode(sixGenes);
  assert.deepEqual(Array.from(t.ids), ranked.map(id));
  assert.deepEqual(Array.from(t.coords), [0, 1, 2, 3, 4]);
  assert.equal(t.dropped, 1 / 6);
  // fit keeps the file's medians (0 for PPBP) and learns only the rank means: the scaled values 8, 8, 3, 2, 1.
  assert.deepEqual(s.state?.medians, Float64Array.from([3, 0.5, 20, 0.25, 4, 0]));
  assert.deepEqual(s.state?.meanScaledByRank, Float64Array.from([8, 8, 3, 2, 1]));
  assert.equal(s.artifacts()['medians.tsv'], 'gene\tmedian\nCD3E\t3\nMS4A1\t0.5\nLYZ\t20\nNKG7\t0.25\nGNLY\t4\nPPBP\t0\n');
  assert.deepEqual(rank.check(rank.params.parse({ medians: 'medians.tsv' }), panel, context), []);
});

test('medians file: a header line (second field not a number) is skipped; none, CRLF and gzip read alike', () => {
  const expected = ranked.map(id);
  for (const [name, text] of [
    ['header.tsv', `gene\tmedian\n${MEDIANS}`],
    ['named.tsv', `symbol\tgene_median\n${MEDIANS}`],
    ['crlf.tsv', MEDIANS.replaceAll('\n', '\r\n')],
    ['zipped.tsv.gz', gzipSync(MEDIANS)],
  ] as const) {
    assert.deepEqual(Array.from(withMedians(medianFile(name, text)).encode(sixGenes).ids), expected, name);
  }
});

test('library size above the panel sum: the same order, but every value is divided by the library', () => {
  const file = medianFile('medians.tsv', MEDIANS);
  // The panel sums to 26; the library of 512 (genes the panel does not keep included) is the denominator:
  // MS4A1 2 / 512 × 1024 / 0.5 = 8, where the panel sum would give 2 / 26 × 1024 / 0.5 ≈ 157.5.
  const s = withMedians(file);
  assert.equal(s.state?.meanScaledByRank[0], 8);
  const panelSum = cell(26, Array.from(sixGenes.genes, (g, i) => [g, sixGenes.counts[i]]));
  assert.deepEqual(s.encode(panelSum).ids, s.encode(sixGenes).ids);
});

test('special_tokens: V2 layout, <cls> first and <eos> last, genes truncated to max_len − 2, ids from 4', () => {
  const file = medianFile('medians.tsv', MEDIANS);
  const v2 = (g: number) => g + 4;
  const whole = withMedians(file, { special_tokens: true });
  const t = whole.encode(sixGenes);
  assert.deepEqual(Array.from(t.ids), [2, ...ranked.map(v2), 3]);
  assert.deepEqual(Array.from(t.coords), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => whole.label(t, i)), ['<cls>', 'MS4A1', 'NKG7', 'GNLY', 'CD3E', 'LYZ', '<eos>']);
  assert.deepEqual([0, 6].map((i) => whole.covers(t, i).length), [0, 0]);
  assert.deepEqual(Array.from(whole.covers(t, 1)), [MS4A1]);
  assert.equal(t.dropped, 1 / 6);
  assert.deepEqual(whole.layout, { idChannels: 1, vocabSizes: [10], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 4 }, maskSpan: 1 });
  // One training cell: each rank's mean is its own scaled value, so decode rebuilds the counts per target_sum
  // (6, 4, 20, 2, 12; PPBP dropped) only if it reads the rank as the coordinate minus the <cls>.
  assert.deepEqual(whole.decode(t), { genes: Int32Array.from([CD3E, MS4A1, LYZ, NKG7, GNLY]), counts: Float32Array.from([6, 4, 20, 2, 12]), librarySize: 1024 });

  // Predictions over a masked <cls> (position 0) stand at no rank and are ignored; over a masked <eos>
  // (position 6, rank 5, past the deepest trained rank 4) a gene takes the deepest rank's mean, LYZ 1 × 20.
  const predicted = { ...t, ids: Int32Array.from([v2(MS4A1), 1, 1, 1, 1, 1, v2(LYZ)]) };
  assert.deepEqual(whole.decode(predicted), { genes: Int32Array.from([LYZ]), counts: Float32Array.from([20]), librarySize: 1024 });

  const cut = withMedians(file, { special_tokens: true, max_len: 4 });
  const short = cut.encode(sixGenes);
  assert.deepEqual(Array.from(short.ids), [2, v2(MS4A1), v2(NKG7), 3]);
  assert.equal(short.dropped, 4 / 6);
  assert.deepEqual(cut.state?.meanScaledByRank, Float64Array.from([8, 8]));
  // A cell with no gene is <cls> <eos> alone (Geneformer drops it; tokbench keeps every sample).
  assert.deepEqual(Array.from(cut.encode(cell(0, [])).ids), [2, 3]);
});

test('special_tokens needs max_len ≥ 3: a check problem on max_len, refused by create', () => {
  const p = rank.params.parse({ special_tokens: true, max_len: 2 });
  const message = 'found max_len 2 with special_tokens; expected at least 3, room for <cls>, one gene and <eos>';
  assert.deepEqual(rank.check(p, panel), [{ path: ['max_len'], message }]);
  assert.throws(() => rank.create(p, panel), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `rank: ${message}`);
  assert.deepEqual(rank.check(rank.params.parse({ special_tokens: true, max_len: 3 }), panel), []);
});

test('medians file errors: check reports each on medians, naming the file and line; create refuses it', () => {
  const at = (name: string) => join(dir, name);
  const cases: [string, string, string][] = [
    ['word.tsv', 'CD3E\t3\nLYZ\tlots\n', `${at('word.tsv')} line 2: found median 'lots' for gene 'LYZ'; expected a positive finite number`],
    ['zero.tsv', 'gene\tmedian\nCD3E\t3\nLYZ\t0\n', `${at('zero.tsv')} line 3: found median '0' for gene 'LYZ'; expected a positive finite number`],
    ['negative.tsv', 'CD3E\t-1\n', `${at('negative.tsv')} line 1: found median '-1' for gene 'CD3E'; expected a positive finite number`],
    // `nan` is a number to the header rule, so the first line is data and refused, not skipped as a header.
    ['nan.tsv', 'CD3E\tnan\nLYZ\t2\n', `${at('nan.tsv')} line 1: found median 'nan' for gene 'CD3E'; expected a positive finite number`],
    ['empty-gene.tsv', 'CD3E\t3\n\t2\n', `${at('empty-gene.tsv')} line 2: found an empty gene name; expected gene<TAB>median`],
    ['twice.tsv', 'LYZ\t2\nCD3E\t3\n\nLYZ\t5\n', `${at('twice.tsv')} line 4: found gene 'LYZ' again (first on line 1); expected each gene once`],
    ['three.tsv', 'CD3E\t3\tx\n', `${at('three.tsv')} line 1: found 3 fields; expected 2, gene<TAB>median`],
    ['header-only.tsv', 'gene\tmedian\n', `${at('header-only.tsv')}: found no gene<TAB>median line; expected one line per gene`],
    ['empty.tsv', '', `${at('empty.tsv')}: found no gene<TAB>median line; expected one line per gene`],
    [
      'ensembl.tsv',
      'ENSG00000198851\t3\nENSG00000105374\t2\n',
      `${at('ensembl.tsv')}: found none of the dataset's 6 genes among its 2 (such as 'ENSG00000198851', 'ENSG00000105374'); expected genes by the dataset's gene names (such as 'CD3E', 'MS4A1', 'LYZ')`,
    ],
  ];
  for (const [name, text, message] of cases) {
    const p = rank.params.parse({ medians: medianFile(name, text) });
    assert.deepEqual(rank.check(p, panel, context), [{ path: ['medians'], message }], name);
    assert.throws(() => rank.create(p, panel, context), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && e.message === `rank: ${message}`, name);
  }
  // A line of another field count is csv-parse's error, with its line.
  assert.deepEqual(rank.check(rank.params.parse({ medians: medianFile('ragged.tsv', 'CD3E\t3\nLYZ\n') }), panel, context), [
    { path: ['medians'], message: `${at('ragged.tsv')}: Invalid Record Length: expect 2, got 1 on line 2` },
  ]);
  const [missing] = rank.check(rank.params.parse({ medians: 'absent.tsv' }), panel, context);
  assert.deepEqual(missing.path, ['medians']);
  assert.match(missing.message, new RegExp(`^cannot read data file ${at('absent.tsv')} \\(ENOENT`));
});

test('medians file: an edit between two checks is seen', () => {
  const p = rank.params.parse({ medians: medianFile('edited.tsv', MEDIANS) });
  assert.deepEqual(rank.check(p, panel, context), []);
  medianFile('edited.tsv', 'CD3E\t0\n');
  assert.deepEqual(rank.check(p, panel, context), [{ path: ['medians'], message: `${join(dir, 'edited.tsv')} line 1: found median '0' for gene 'CD3E'; expected a positive finite number` }]);
});
