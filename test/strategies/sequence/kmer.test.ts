// Exact DNABERT vocabulary ids, [UNK] handling, covers, truncation and majority-vote decode of overlapping k-mers; Nucleotide Transformer
// chunks (N, remainders, ids, (offset, length) coords, cut/pad decode); [CLS] … [SEP]; params, check and token counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { kmer } from '../../../strategies/sequence/kmer.js';
import type { Tokens } from '../../../strategies/types.js';

const info = { minLength: 3, maxLength: 16 };
/** A kmer tokenizer from params as written in YAML (defaults filled in), fitted when it learns. */
function make(written: Record<string, unknown>, train: string[] = ['GGGA']) {
  const strategy = kmer.create(kmer.params.parse(written), info);
  strategy.fit?.(train, createRng(0));
  return strategy;
}
const k3 = make({ k: 3 });

function tokens(ids: number[], offsets: number[], bases: number): Tokens {
  return { length: ids.length, ids: Int32Array.from(ids), values: new Float32Array(0), coords: Float32Array.from(offsets), extent: [bases], dropped: 0 };
}

// Line numbers (0-based) of DNABERT's src/transformers/dnabert-config/bert-config-3/vocab.txt:
// [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, AAA 5, AAT 6, AAC 7, AAG 8, ATA 9, …, ACG 16, …,
// AGG 20, TAA 21, …, TAC 23, …, CTT 42, …, CGT 50, …, GTA 57, …, GGG 68.
const vocab3 = { AAA: 5, AAT: 6, AAC: 7, AAG: 8, ATA: 9, ACG: 16, AGG: 20, TAA: 21, TAC: 23, CTT: 42, CGT: 50, GTA: 57, GGG: 68 };

test('k=3 ids match the lines of DNABERT\'s vocab file', () => {
  const t = k3.encode('ACGTAC');
  assert.deepEqual(Array.from(t.ids), [vocab3.ACG, vocab3.CGT, vocab3.GTA, vocab3.TAC]);
  assert.deepEqual(Array.from(t.coords), [0, 1, 2, 3]);
  assert.deepEqual(t.extent, [6]);
  assert.equal(t.dropped, 0);
  const v = vocab3;
  assert.deepEqual(Array.from(k3.encode('AAATAAGGG').ids), [v.AAA, v.AAT, v.ATA, v.TAA, v.AAG, v.AGG, v.GGG]);
  assert.deepEqual(Array.from({ length: 4 }, (_, i) => k3.label(t, i)), ['ACG', 'CGT', 'GTA', 'TAC']);
});

test('k=6 ids match DNABERT\'s bert-config-6 vocab: AAAAAA 5, AAAAAT 6, AAATAA 21, GGGGGG 4100', () => {
  const k6 = kmer.create(kmer.params.parse({}), info);
  assert.deepEqual(Array.from(k6.encode('AAAAAAT').ids), [5, 6]);
  assert.deepEqual(Array.from(k6.encode('AAATAA').ids), [21]);
  assert.deepEqual(Array.from(k6.encode('GGGGGG').ids), [4100]);
  // DNABERT's tokenizer infers k from the vocabulary size: 69, 261, 1029, 4101 for k = 3..6.
  assert.deepEqual([3, 4, 5, 6].map((k) => make({ k }).layout.vocabSizes), [[69], [261], [1029], [4101]]);
});

test('k-mers containing N or any other non-ACGT letter are [UNK]', () => {
  const t = k3.encode('ACNTAC');
  assert.deepEqual(Array.from(t.ids), [1, 1, 1, vocab3.TAC]);
  assert.equal(k3.label(t, 0), '[UNK]');
  assert.deepEqual(Array.from(k3.encode('acgAAA').ids), [1, 1, 1, vocab3.AAA]);
});

test('covers are the k bases from the offset', () => {
  const t = k3.encode('ACGTAC');
  assert.deepEqual(Array.from(k3.covers(t, 0)), [0, 1, 2]);
  assert.deepEqual(Array.from(k3.covers(t, 3)), [3, 4, 5]);
});

test('max_len truncates; uncovered bases count as dropped and decode as N', () => {
  const s = make({ k: 3, max_len: 2 });
  const t = s.encode('ACGTAC');
  assert.deepEqual(Array.from(t.ids), [vocab3.ACG, vocab3.CGT]);
  assert.equal(t.dropped, 2 / 6); // tokens cover bases 0..3
  assert.equal(s.decode(t), 'ACGTNN');
});

test('decode of unmodified tokens rebuilds the sequence, with N where only [UNK] covers a base', () => {
  assert.equal(k3.decode(k3.encode('ACGTACGGT')), 'ACGTACGGT');
  assert.equal(k3.decode(k3.encode('ACNTAC')), 'NNNTAC');
  assert.equal(k3.decode(tokens([4, 4], [0, 1], 4)), 'NNNN'); // [MASK] votes for nothing
});

test('decode takes the majority letter per base', () => {
  // ACG@0, CTT@1, GTA@2: base 1 gets C, C; base 2 gets G, T, G → G; base 3 gets T, T.
  assert.equal(k3.decode(tokens([vocab3.ACG, vocab3.CTT, vocab3.GTA], [0, 1, 2], 5)), 'ACGTA');
});

test('decode breaks a tied vote by the earliest token, not the leftmost offset', () => {
  // ACG@0 then CTT@1: base 2 ties G (token 0) against T (token 1) → G.
  assert.equal(k3.decode(tokens([vocab3.ACG, vocab3.CTT], [0, 1], 4)), 'ACGT');
  // The same tokens listed the other way round: T (now token 0) wins the tie.
  assert.equal(k3.decode(tokens([vocab3.CTT, vocab3.ACG], [1, 0], 4)), 'ACTT');
});

test('a sequence shorter than k is an input error naming its length and k', () => {
  assert.throws(
    () => k3.encode('AC'),
    (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /length 2/.test(e.message) && /k=3/.test(e.message),
  );
});

test('layout: spans of k tokens are masked together', () => {
  assert.deepEqual(k3.layout, { idChannels: 1, vocabSizes: [69], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 3 });
});

test('check: k longer than the shortest sequence is a problem at k, suggesting min_bases when lengths vary', () => {
  assert.deepEqual(kmer.check?.(kmer.params.parse({ k: 6 }), { minLength: 6, maxLength: 200 }), []);
  // Lengths 4 … 200: dropping the short samples (often leftover windows) would help.
  assert.deepEqual(kmer.check?.(kmer.params.parse({ k: 6 }), { minLength: 4, maxLength: 200 }), [
    { path: ['k'], message: "found k 6 for sequences as short as 4 bases; expected at most 4 (set the dataset's min_bases to drop shorter samples, e.g. leftover windows)" },
  ]);
  // Every sample 1 base long: min_bases would drop them all, so no such hint.
  assert.deepEqual(kmer.check?.(kmer.params.parse({ k: 3 }), { minLength: 1, maxLength: 1 }), [
    { path: ['k'], message: 'found k 3 for sequences as short as 1 base; expected at most 1' },
  ]);
});

test('tokensPerSample: length − k + 1, at most max_len, when all sequences share one length; else unknown', () => {
  const nine = { minLength: 9, maxLength: 9 };
  assert.equal(kmer.tokensPerSample?.(kmer.params.parse({ k: 3 }), nine), 7);
  assert.equal(k3.encode('AAATAAGGG').length, 7);
  assert.equal(kmer.tokensPerSample?.(kmer.params.parse({ k: 3, max_len: 4 }), nine), 4);
  assert.equal(kmer.create(kmer.params.parse({ k: 3, max_len: 4 }), nine).encode('AAATAAGGG').length, 4);
  assert.equal(kmer.tokensPerSample?.(kmer.params.parse({ k: 3 }), { minLength: 8, maxLength: 9 }), undefined);
});

test('k runs 1 … 8 in the same vocabulary order: 1-mers A 5, T 6, C 7, G 8; GGGGGGGG is the last of 5 + 4^8 ids', () => {
  const k1 = make({ k: 1 });
  assert.deepEqual(Array.from(k1.encode('ACGT').ids), [5, 7, 8, 6]);
  assert.deepEqual(k1.layout.maskSpan, 1);
  const k8 = make({ k: 8 });
  assert.deepEqual(k8.layout.vocabSizes, [5 + 65536]);
  assert.deepEqual(Array.from(k8.encode('GGGGGGGGA').ids), [65540, 5 + 0b11_11_11_11_11_11_11_00]);
  assert.equal(k8.decode(k8.encode('ACGTTGCAAC')), 'ACGTTGCAAC');
});

// Nucleotide Transformer rules, k = 3: vocabulary = 5 specials, the 64 3-mers (ids 5..68, DNABERT's order),
// then the single letters A 69, T 70, C 71, G 72, N 73.
const single = { A: 69, T: 70, C: 71, G: 72, N: 73 };
const nt3 = make({ k: 3, overlap: false });

test('without overlap: k-mers from the left, N its own token splitting the sequence, remainders as single letters', () => {
  // ACGTACGT | N | ACG: ACG TAC + remainder G T, then N, then ACG.
  const t = nt3.encode('ACGTACGTNACG');
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => nt3.label(t, i)), ['ACG', 'TAC', 'G', 'T', 'N', 'ACG']);
  assert.deepEqual(Array.from(t.ids), [vocab3.ACG, vocab3.TAC, single.G, single.T, single.N, vocab3.ACG]);
  assert.deepEqual(Array.from(t.ids), [16, 23, 72, 70, 73, 16]);
  // (offset, length) per token.
  assert.deepEqual(Array.from(t.coords), [0, 3, 3, 3, 6, 1, 7, 1, 8, 1, 9, 3]);
  assert.deepEqual(t.extent, [12]);
  assert.equal(t.dropped, 0);
  // Leading Ns, a stretch shorter than k before the end, a trailing N.
  const u = nt3.encode('NNACGTA');
  assert.deepEqual(Array.from(u.ids), [single.N, single.N, vocab3.ACG, single.T, single.A]);
  assert.deepEqual(Array.from(u.coords), [0, 1, 1, 1, 2, 3, 5, 1, 6, 1]);
  assert.deepEqual(Array.from(nt3.encode('ACNG').ids), [single.A, single.C, single.N, single.G]);
  assert.deepEqual(Array.from(nt3.encode('AAATTTN').ids), [vocab3.AAA, 5 + 21, single.N]);
});

test('without overlap: a k-mer or letter other than ACGT and N is [UNK] with its length', () => {
  const t = nt3.encode('ACRTAAGr');
  // ACR → [UNK] (3 bases), TAA, then the remainder G r → G, [UNK].
  assert.deepEqual(Array.from(t.ids), [1, vocab3.TAA, single.G, 1]);
  assert.deepEqual(Array.from(t.coords), [0, 3, 3, 3, 6, 1, 7, 1]);
  assert.equal(nt3.decode(t), 'NNNTAAGN');
});

test('without overlap: k = 1 gives one token per base; N is the single letter after the four 1-mers', () => {
  const nt1 = make({ k: 1, overlap: false });
  assert.deepEqual(nt1.layout.vocabSizes, [5 + 4 + 5]);
  assert.deepEqual(Array.from(nt1.encode('ACNG').ids), [5, 7, 13, 8]);
  assert.deepEqual(Array.from(nt1.encode('ACNG').coords), [0, 1, 1, 1, 2, 1, 3, 1]);
});

test('without overlap: layout has (offset, length) coords, spans of 1 and the single letters in the vocabulary', () => {
  assert.deepEqual(nt3.layout, { idChannels: 1, vocabSizes: [74], valueDim: 0, coordDim: 2, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 1 });
});

test('without overlap: decode is exact for unmodified tokens; covers are each token\'s own bases', () => {
  for (const s of ['ACGTACGTNACG', 'NNACGTA', 'N', 'ACGGTCATTGCAN', '']) assert.equal(nt3.decode(nt3.encode(s)), s);
  const t = nt3.encode('ACGTACGTNACG');
  assert.deepEqual(Array.from(nt3.covers(t, 1)), [3, 4, 5]);
  assert.deepEqual(Array.from(nt3.covers(t, 2)), [6]);
  assert.deepEqual(Array.from(nt3.covers(t, 4)), [8]);
});

test('without overlap: a predicted token of another length is cut or padded with the most frequent training base to the masked token\'s length', () => {
  const s = make({ k: 3, overlap: false }, ['GGGA', 'CG']); // G is the most frequent training base
  const t = s.encode('ACGTACGTNACG');
  const ids = t.ids.slice();
  ids[0] = single.T; // a letter where ACG (3 bases) was: T, then G G
  ids[2] = vocab3.CGT; // a 3-mer where the remainder G (1 base) was: its first letter, C
  ids[4] = vocab3.ACG; // a 3-mer where N was: A
  ids[5] = single.N; // N where ACG was: N, then G G
  assert.equal(s.decode({ ...t, ids }), 'TGGTACCTANGG');
});

test('without overlap: max_len truncates tokens; uncovered bases are dropped and decode as N', () => {
  const s = make({ k: 3, overlap: false, max_len: 3 });
  const t = s.encode('ACGTACGTNACG');
  assert.deepEqual(Array.from(t.ids), [vocab3.ACG, vocab3.TAC, single.G]);
  assert.equal(t.dropped, 5 / 12);
  assert.equal(s.decode(t), 'ACGTACGNNNNN');
  assert.deepEqual(s.encode(''), { length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent: [0], dropped: 0 });
});

test('without overlap: fit learns decode\'s padding base, and encode and decode refuse before it', () => {
  const fresh = kmer.create(kmer.params.parse({ k: 3, overlap: false }), info);
  const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';
  assert.throws(() => fresh.encode('ACGT'), notFitted);
  assert.throws(() => fresh.decode(tokens([], [], 0)), notFitted);
  assert.equal(k3.fit, undefined); // overlapping k-mers all spell k bases: nothing to learn
});

test('cls_sep wraps the tokens in [CLS] … [SEP], both covering no base (length 0), on top of max_len', () => {
  const wrapped = make({ k: 3, cls_sep: true });
  const t = wrapped.encode('ACGTAC');
  assert.deepEqual(Array.from(t.ids), [2, vocab3.ACG, vocab3.CGT, vocab3.GTA, vocab3.TAC, 3]);
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => wrapped.label(t, i)), ['[CLS]', 'ACG', 'CGT', 'GTA', 'TAC', '[SEP]']);
  // (offset, length): [CLS] at 0, [SEP] where the covered bases end.
  assert.deepEqual(Array.from(t.coords), [0, 0, 0, 3, 1, 3, 2, 3, 3, 3, 6, 0]);
  assert.deepEqual(Array.from(wrapped.covers(t, 0)), []);
  assert.deepEqual(Array.from(wrapped.covers(t, 1)), [0, 1, 2]);
  assert.deepEqual(wrapped.layout, { idChannels: 1, vocabSizes: [69], valueDim: 0, coordDim: 2, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 3 });
  assert.equal(wrapped.decode(t), 'ACGTAC');
  // A k-mer predicted where [CLS] or [SEP] was covers nothing and changes nothing.
  const ids = t.ids.slice();
  ids[0] = vocab3.GGG;
  ids[5] = vocab3.GGG;
  assert.equal(wrapped.decode({ ...t, ids }), 'ACGTAC');
  assert.equal(make({ k: 3, cls_sep: true, max_len: 2 }).encode('ACGTAC').length, 4);

  const nt = make({ k: 3, overlap: false, cls_sep: true });
  const u = nt.encode('ACGTACGTNACG');
  assert.deepEqual(Array.from(u.ids), [2, 16, 23, 72, 70, 73, 16, 3]);
  assert.deepEqual(Array.from(u.coords), [0, 0, 0, 3, 3, 3, 6, 1, 7, 1, 8, 1, 9, 3, 12, 0]);
  assert.equal(nt.decode(u), 'ACGTACGTNACG');
  assert.deepEqual(Array.from(nt.encode('').ids), [2, 3]);
});

test('check: any k suits non-overlapping k-mers', () => {
  assert.deepEqual(kmer.check?.(kmer.params.parse({ k: 6, overlap: false }), { minLength: 1, maxLength: 200 }), []);
});

test('tokensPerSample: +2 with cls_sep; without overlap known for k = 1 only', () => {
  const nine = { minLength: 9, maxLength: 9 };
  const count = (written: Record<string, unknown>, i = nine) => kmer.tokensPerSample?.(kmer.params.parse(written), i);
  assert.equal(count({ k: 3, cls_sep: true }), 9);
  assert.equal(count({ k: 3, overlap: false }), undefined);
  assert.equal(count({ k: 1, overlap: false }), 9);
  assert.equal(count({ k: 1, overlap: false, cls_sep: true, max_len: 4 }), 6);
  assert.equal(make({ k: 1, overlap: false, cls_sep: true, max_len: 4 }).encode('ACGTNACGT').length, 6);
  assert.equal(count({ k: 1, overlap: false }, { minLength: 8, maxLength: 9 }), undefined);
});

test('params: DNABERT defaults k=6, overlapping, no [CLS]/[SEP], 510 tokens; k within 1..8', () => {
  assert.deepEqual(kmer.params.parse({}), { k: 6, overlap: true, cls_sep: false, max_len: 510 });
  assert.doesNotThrow(() => kmer.params.parse({ k: 1 }));
  assert.doesNotThrow(() => kmer.params.parse({ k: 8 }));
  assert.throws(() => kmer.params.parse({ k: 0 }));
  assert.throws(() => kmer.params.parse({ k: 9 }));
  assert.throws(() => kmer.params.parse({ max_len: 0 }));
  assert.throws(() => kmer.params.parse({ stride: 2 }));
  assert.throws(() => kmer.params.parse({ overlap: 'no' }));
});
