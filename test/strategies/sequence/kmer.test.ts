// Exact DNABERT vocabulary ids, [UNK] handling, covers, truncation and majority-vote decode of the k-mer strategy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../../harness/errors.js';
import { kmer } from '../../../strategies/sequence/kmer.js';
import type { Tokens } from '../../../strategies/types.js';

const info = { minLength: 3, maxLength: 16 };
const k3 = kmer.create({ k: 3, max_len: 510 }, info);

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
  assert.deepEqual([3, 4, 5, 6].map((k) => kmer.create({ k, max_len: 510 }, info).layout.vocabSizes), [[69], [261], [1029], [4101]]);
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
  const s = kmer.create({ k: 3, max_len: 2 }, info);
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

test('check: k longer than the shortest sequence is a problem at k', () => {
  assert.deepEqual(kmer.check?.({ k: 6, max_len: 510 }, { minLength: 6, maxLength: 200 }), []);
  assert.deepEqual(kmer.check?.({ k: 6, max_len: 510 }, { minLength: 4, maxLength: 200 }), [
    { path: ['k'], message: 'found k 6 for sequences as short as 4 bases; expected at most 4' },
  ]);
  assert.deepEqual(kmer.check?.({ k: 3, max_len: 510 }, { minLength: 1, maxLength: 1 }), [
    { path: ['k'], message: 'found k 3 for sequences as short as 1 base; expected at most 1' },
  ]);
});

test('tokensPerSample: length − k + 1, at most max_len, when all sequences share one length; else unknown', () => {
  const nine = { minLength: 9, maxLength: 9 };
  assert.equal(kmer.tokensPerSample?.({ k: 3, max_len: 510 }, nine), 7);
  assert.equal(k3.encode('AAATAAGGG').length, 7);
  assert.equal(kmer.tokensPerSample?.({ k: 3, max_len: 4 }, nine), 4);
  assert.equal(kmer.create({ k: 3, max_len: 4 }, nine).encode('AAATAAGGG').length, 4);
  assert.equal(kmer.tokensPerSample?.({ k: 3, max_len: 510 }, { minLength: 8, maxLength: 9 }), undefined);
});

test('params: DNABERT defaults k=6, 510 tokens; k within 3..6', () => {
  assert.deepEqual(kmer.params.parse({}), { k: 6, max_len: 510 });
  assert.throws(() => kmer.params.parse({ k: 2 }));
  assert.throws(() => kmer.params.parse({ k: 7 }));
  assert.throws(() => kmer.params.parse({ max_len: 0 }));
  assert.throws(() => kmer.params.parse({ stride: 2 }));
});
