// Exact tests of `modules`: learned co-expression modules on a two-module toy matrix, tokens of hand-made cells, GMT gene sets, genes_unassigned and decode.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExpressionSample, InfoOf } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { modules } from '../../../strategies/expression/modules.js';
import type { Tokens } from '../../../strategies/types.js';

function cell(librarySize: number, entries: [number, number][]): ExpressionSample {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';
const inputError = (pattern: RegExp) => (e: unknown) => e instanceof TokbenchError && e.code === 'input' && pattern.test(e.message);

// Two programmes over 20 cells (library 1,000, so a count c is log1p(10c)): genes 0–2 rise with the cell index
// (count c + j, so gene 0 is undetected in cell 0), genes 3–5 follow another order (7c mod 20, plus j + 1). G6 is never
// detected and G7 is 5 in every cell, a constant log-normalised value: neither correlates with anything.
const toyInfo: InfoOf['expression'] = { genes: ['G0', 'G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7'], values: 'counts' };
const toy = Array.from({ length: 20 }, (_, c) => {
  const entries: [number, number][] = [];
  for (let j = 0; j < 3; j++) if (c + j > 0) entries.push([j, c + j]);
  for (let j = 0; j < 3; j++) entries.push([3 + j, ((7 * c) % 20) + j + 1]);
  entries.push([7, 5]);
  return cell(1000, entries);
});

function learned(written: Record<string, unknown>, seed: number) {
  const s = modules.create(modules.params.parse(written), toyInfo);
  s.fit(toy, createRng(seed));
  return s;
}

const membersOf = (s: ReturnType<typeof learned>) => s.state?.members.map((m) => Array.from(m));

test('two-module toy matrix: the learned modules are exactly {0, 1, 2} and {3, 4, 5} for any seed; G6 and G7 join none', () => {
  for (let seed = 0; seed < 50; seed++) {
    const s = learned({ n_modules: 2 }, seed);
    assert.deepEqual(membersOf(s), [[0, 1, 2], [3, 4, 5]], `seed ${seed}`);
    assert.deepEqual(s.facts(), { genes_unassigned: 2 });
    assert.equal(s.state?.setsDropped, 0);
  }
  // Profiled over 10 of the 20 cells, drawn from the seed, the programmes still separate.
  for (let seed = 0; seed < 10; seed++) assert.deepEqual(membersOf(learned({ n_modules: 2, fit_cells: 10 }, seed)), [[0, 1, 2], [3, 4, 5]], `fit_cells 10, seed ${seed}`);
});

test("tokens of a hand-made cell: each module's mean log-normalised value and fraction detected, one token per module", () => {
  const s = learned({ n_modules: 2 }, 0);
  // Library 10,000: a count c is log1p(c). G0 4, G2 9 (module 0: 2 of 3 detected), G4 1 (module 1: 1 of 3), G7 unassigned.
  const t = s.encode(cell(10_000, [[0, 4], [2, 9], [4, 1], [7, 3]]));
  assert.equal(t.length, 2);
  assert.deepEqual(Array.from(t.ids), [2, 3]);
  assert.deepEqual(t.values, Float32Array.from([(Math.log1p(4) + Math.log1p(9)) / 3, 2 / 3, Math.log1p(1) / 3, 1 / 3]));
  assert.equal(t.realValues, undefined);
  assert.deepEqual(t.coords, new Float32Array(0));
  assert.deepEqual(t.extent, [8]);
  // Of the four detected genes, G7 is in no module.
  assert.equal(t.dropped, 1 / 4);
  assert.deepEqual(Array.from(s.covers(t, 1)), [3, 4, 5]);
  assert.deepEqual([s.label(t, 0), s.label(t, 1)], ['module_0', 'module_1']);
  assert.deepEqual(s.layout, { idChannels: 1, vocabSizes: [4], valueDim: 2, coordDim: 0, target: { kind: 'values' }, maskSpan: 1 });
  assert.equal(modules.tokensPerSample(modules.params.parse({ n_modules: 2 })), 2);
  assert.equal(modules.tokensPerSample(modules.params.parse({})), 16);
});

test('more modules than distinct gene profiles: the empty ones keep their tokens, zeros that are no reconstruction target', () => {
  // Six genes with a profile each (G6, G7 have none) for eight modules: modules 6 and 7 stay empty.
  const s = learned({ n_modules: 8 }, 3);
  assert.deepEqual(membersOf(s), [[0], [1], [2], [3], [4], [5], [], []]);
  const t = s.encode(toy[4]);
  assert.equal(t.length, 8);
  assert.deepEqual(Array.from(t.values.subarray(12)), [0, 0, 0, 0]);
  assert.deepEqual(t.realValues, Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]));
  assert.deepEqual(Array.from(s.covers(t, 7)), []);
});

test('refuses to encode, cover or report before fit, with a not-fitted error', () => {
  const s = modules.create(modules.params.parse({}), toyInfo);
  assert.throws(() => s.encode(toy[0]), notFitted);
  assert.throws(() => s.facts(), notFitted);
  assert.throws(() => s.artifacts(), notFitted);
});

// Gene sets: B is in S1 and S2; S3 names no panel gene (dropped); D is in no set.
const panel: InfoOf['expression'] = { genes: ['A', 'B', 'C', 'D'], values: 'log1p' };
const [A, B, C, D] = [0, 1, 2, 3];
const dir = mkdtempSync(join(tmpdir(), 'tokbench-modules-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };

/** Writes `text` to `name` in the test folder and returns the name, as a sweep file would give it. */
function gmtFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

// MSigDB-like lines: a URL as description, a trailing tab, a blank line, CRLF on one line.
const GMT = 'S1\thttp://example.org/S1\tA\tB\n\nS2\tna\tB\tC\t\r\nS3\tna\tX\tY\n';
// log1p values, used as they are: gene means A (1 + 3) / 2 = 2, B 1, C 2, D 0.5; set means S1 (2 + 1) / 2 = 1.5, S2 1.5.
const setTrain = [cell(1, [[A, 1], [B, 2], [D, 1]]), cell(1, [[A, 3], [C, 4]])];

function withSets(file: string) {
  const s = modules.create(modules.params.parse({ gene_sets: file }), panel, context);
  s.fit(setTrain, createRng(0));
  return s;
}

test('gene sets: a gene in two sets is in each, a set without panel genes is dropped, genes in no set are unassigned', () => {
  const s = withSets(gmtFile('sets.gmt', GMT));
  assert.deepEqual(membersOf(s), [[A, B], [B, C]]);
  assert.deepEqual(Array.from(s.state?.geneMeans ?? []), [2, 1, 2, 0.5]);
  assert.deepEqual(Array.from(s.state?.moduleMeans ?? []), [1.5, 1.5]);
  assert.equal(s.state?.setsDropped, 1);
  assert.deepEqual(s.facts(), { genes_unassigned: 1 });
  assert.deepEqual(s.layout.vocabSizes, [4]);
  const t = s.encode(setTrain[0]);
  // S1: A 1, B 2, both detected; S2: B 2 and C undetected. D is detected but in no set.
  assert.deepEqual(t.values, Float32Array.from([1.5, 1, 1, 0.5]));
  assert.equal(t.dropped, 1 / 3);
  assert.deepEqual([s.label(t, 0), s.label(t, 1)], ['S1', 'S2']);
  assert.equal(s.artifacts()['modules.gmt'], 'S1\ttraining_mean=1.5\tA\tB\nS2\ttraining_mean=1.5\tB\tC\n');
  assert.equal(s.artifacts()['gene-means.tsv'], 'gene\ttraining_mean\nA\t2\nB\t1\nC\t2\nD\t0.5\n');
  assert.equal(modules.tokensPerSample(modules.params.parse({ gene_sets: 'sets.gmt' })), undefined);
});

test('decode: gene g of module m is its training mean × m’s predicted mean / m’s training mean, averaged over its modules', () => {
  const s = withSets(gmtFile('sets.gmt', GMT));
  const tokens = (ids: number[], values: number[]): Tokens => ({ length: ids.length, ids: Int32Array.from(ids), values: Float32Array.from(values), coords: new Float32Array(0), extent: [4], dropped: 0 });
  // S1 predicted 3, S2 0.75: A 2 × 3 / 1.5 = 4; B the mean of 1 × 3 / 1.5 and 1 × 0.75 / 1.5, 1.25; C 2 × 0.75 / 1.5 = 1;
  // D, in no set, its training mean 0.5.
  const both = s.decode(tokens([2, 3], [3, 1, 0.75, 0.5]));
  assert.deepEqual(both, { genes: Int32Array.from([A, B, C, D]), counts: Float32Array.from([4, 1.25, 1, 0.5]), librarySize: 10_000 });
  // S1 alone: C, covered by no token, falls back to its training mean 2; a negative prediction counts as 0.
  assert.deepEqual(s.decode(tokens([2], [3, 1])).counts, Float32Array.from([4, 2, 2, 0.5]));
  assert.deepEqual(s.decode(tokens([2], [-1, 0])), { genes: Int32Array.from([C, D]), counts: Float32Array.from([2, 0.5]), librarySize: 10_000 });
});

test('decode returns values of the dataset\'s kind: counts per 10,000 whose log1p is the estimate', () => {
  const info: InfoOf['expression'] = { genes: ['A', 'B'], values: 'counts' };
  const s = modules.create(modules.params.parse({ gene_sets: gmtFile('ab.gmt', 'AB\tna\tA\tB\n') }), info, context);
  // Library 10,000: A log1p(3), B log1p(1) in one cell, so the set's training mean is their mean.
  s.fit([cell(10_000, [[0, 3], [1, 1]])], createRng(0));
  const decoded = s.decode(s.encode(cell(10_000, [[0, 3], [1, 1]])));
  assert.equal(decoded.librarySize, 10_000);
  assert.ok(Math.abs(decoded.counts[0] - 3) < 1e-5 && Math.abs(decoded.counts[1] - 1) < 1e-5, String(decoded.counts));
});

test('GMT errors: a file naming no panel gene, a line without tabs, a set named twice, an unreadable file; check reports each on gene_sets', () => {
  const cases: [string, string, RegExp][] = [
    ['none.gmt', 'S1\tna\tX\tY\nS2\tna\tZ\n', /none\.gmt: found none of the dataset's 4 genes among the 3 genes of its 2 sets \(such as 'X', 'Y', 'Z'\); expected genes by the dataset's gene names \(such as 'A', 'B', 'C'\)/],
    ['notab.gmt', 'S1\tna\tA\nS2 A B\n', /notab\.gmt line 2: found no tab; expected a set name, a description and its genes/],
    ['twice.gmt', 'S1\tna\tA\n\nS1\tna\tB\n', /twice\.gmt line 3: found set 'S1' again \(first on line 1\); expected each set name once/],
  ];
  for (const [name, text, message] of cases) {
    gmtFile(name, text);
    assert.throws(() => modules.create(modules.params.parse({ gene_sets: name }), panel, context), inputError(message), name);
    const problems = modules.check(modules.params.parse({ gene_sets: name }), panel, context);
    assert.equal(problems.length, 1, name);
    assert.deepEqual(problems[0].path, ['gene_sets']);
    assert.match(problems[0].message, message);
  }
  const [missing] = modules.check(modules.params.parse({ gene_sets: 'missing.gmt' }), panel, context);
  assert.deepEqual(missing.path, ['gene_sets']);
  assert.match(missing.message, /cannot read data file .*missing\.gmt/);
});

test('check: accepts counts, normalised and log1p; refuses scaled values and n_modules beside gene_sets', () => {
  const file = gmtFile('sets.gmt', GMT);
  for (const values of ['counts', 'normalised', 'log1p'] as const) assert.deepEqual(modules.check(modules.params.parse({}), { ...panel, values }), []);
  assert.deepEqual(modules.check(modules.params.parse({ gene_sets: file }), panel, context), []);
  const scaled = { ...panel, values: 'scaled' as const, valuesSource: "layer 'X' of a.h5ad: scaled (min −2.1); the file also has raw/X: log1p" };
  const [refusal] = modules.check(modules.params.parse({}), scaled);
  assert.match(refusal.message, /^found scaled values \(layer 'X' of a\.h5ad.*raw\/X: log1p\); expected counts or normalised or log1p values, because modules summarise log-normalised values/);
  assert.throws(() => modules.create(modules.params.parse({}), scaled), inputError(/^modules: found scaled values/));
  assert.deepEqual(modules.check(modules.params.parse({ gene_sets: file, n_modules: 4 }), panel, context), [
    { path: ['n_modules'], message: 'found n_modules 4 with gene_sets; expected one of the two, since the sets of gene_sets are the modules' },
  ]);
});

test('the learned modules saved as modules.gmt load back as gene_sets with the same members', () => {
  const s = learned({ n_modules: 2 }, 0);
  const gmt = s.artifacts()['modules.gmt'];
  assert.match(gmt, /^module_0\ttraining_mean=[0-9.]+\tG0\tG1\tG2\nmodule_1\ttraining_mean=[0-9.]+\tG3\tG4\tG5\n$/);
  const reloaded = modules.create(modules.params.parse({ gene_sets: gmtFile('learned.gmt', gmt) }), toyInfo, context);
  reloaded.fit(toy, createRng(1));
  assert.deepEqual(membersOf(reloaded), membersOf(s));
  assert.deepEqual(reloaded.encode(toy[7]), s.encode(toy[7]));
});
