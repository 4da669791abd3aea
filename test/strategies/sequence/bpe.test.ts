// The BPE strategy: ids and (offset, length) coords, [UNK] for unseen letters, max_len, cut/pad decode, layout before and after fit, vocab_size, determinism, tokenizer.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../../harness/errors.js';
import { createRng } from '../../../harness/random.js';
import { bpe } from '../../../strategies/sequence/bpe.js';

const info = { minLength: 1, maxLength: 200 };
const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';

function fitted(train: string[], written: Record<string, unknown> = {}) {
  const strategy = bpe.create(bpe.params.parse(written), info);
  strategy.fit(train);
  return strategy;
}

/**
 * On AAACGAAACAT (see bpe-merges.test.ts): [UNK] 0, [CLS] 1, [SEP] 2, [PAD] 3, [MASK] 4, A 5, C 6, G 7, T 8,
 * AA 9, AC 10, AAAC 11, AT 12, GAAAC 13, AAACGAAAC 14, AAACGAAACAT 15. A is the most frequent base (6 of 11).
 */
const wiki = fitted(['AAACGAAACAT']);

test('ids and (offset, length) coords of a short sequence', () => {
  const t = wiki.encode('CAAAT');
  assert.deepEqual(Array.from(t.ids), [6, 9, 12]);
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => wiki.label(t, i)), ['C', 'AA', 'AT']);
  assert.deepEqual(Array.from(t.coords), [0, 1, 1, 2, 3, 2]);
  assert.deepEqual(t.extent, [5]);
  assert.equal(t.dropped, 0);
  assert.deepEqual(Array.from(wiki.covers(t, 2)), [3, 4]);
  assert.deepEqual(Array.from(wiki.encode('AAACGAAACAT').ids), [15]);
  assert.deepEqual(Array.from(wiki.encode('AAACGAAACAT').coords), [0, 11]);
});

test('a letter the training split never held (here N) is one [UNK] per letter, decoded as N', () => {
  const t = wiki.encode('ACNNAT');
  assert.deepEqual(Array.from(t.ids), [10, 0, 0, 12]);
  assert.deepEqual(Array.from(t.coords), [0, 2, 2, 1, 3, 1, 4, 2]);
  assert.equal(wiki.label(t, 1), '[UNK]');
  assert.equal(wiki.decode(t), 'ACNNAT');
});

test('N in the training split is a letter that merges like any other', () => {
  // Letters A 5, N 6. ANNNNA, NNNN: NN 3 + 3 → NN = 7: A NN NN A, NN NN; (NN, NN) 1 + 1 → NNNN = 8;
  // (A, NNNN) and (NNNN, A) 1 each, A first → ANNNN = 9; then ANNNNA = 10, and no pair is left: 11 < 12 asked.
  const s = fitted(['ANNNNA', 'NNNN'], { vocab_size: 12 });
  assert.deepEqual(s.state?.vocab.slice(5), ['A', 'N', 'NN', 'NNNN', 'ANNNN', 'ANNNNA']);
  assert.deepEqual(s.layout.vocabSizes, [11]);
  // N N N N N A: (N, N) from the left twice, then (NN, NN): NNNN N A.
  const t = s.encode('NNNNNA');
  assert.deepEqual(Array.from(t.ids), [8, 6, 5]);
  assert.deepEqual(Array.from(t.coords), [0, 4, 4, 1, 5, 1]);
});

test('decode is exact for unmodified tokens', () => {
  for (const s of ['AAACGAAACAT', 'CAAAT', 'GATTACA', 'T', '']) assert.equal(wiki.decode(wiki.encode(s)), s);
});

test('a predicted token of another length is cut, or padded with the most frequent training base, to the masked token\'s length', () => {
  const t = wiki.encode('CAAAT'); // C AA AT
  const ids = t.ids.slice();
  ids[0] = 12; // AT where C (1 base) was: A
  ids[1] = 13; // GAAAC where AA (2 bases) was: GA
  ids[2] = 7; // G where AT (2 bases) was: G, then the padding base A
  assert.equal(wiki.decode({ ...t, ids }), 'AGAGA');
  // Trained on TTTGA (T most frequent): TT 2 → TT; then (TT, T), (T, G), (G, A) 1 each, G (6) first → GA;
  // (TT, T) vs (T, GA): T first → TGA; then TTTGA. GATT is GA TT; G where GA was is padded with T.
  const t3 = fitted(['TTTGA']);
  assert.deepEqual(t3.state?.vocab.slice(5), ['A', 'G', 'T', 'TT', 'GA', 'TGA', 'TTTGA']);
  const u = t3.encode('GATT');
  assert.deepEqual(Array.from(u.ids), [9, 8]);
  const predicted = u.ids.slice();
  predicted[0] = 6; // G
  assert.equal(t3.decode({ ...u, ids: predicted }), 'GTTT');
});

test('max_len truncates; uncovered bases are dropped and decode as N', () => {
  const s = fitted(['AAACGAAACAT'], { max_len: 2 });
  const t = s.encode('CAAAT');
  assert.deepEqual(Array.from(t.ids), [6, 9]);
  assert.equal(t.dropped, 2 / 5);
  assert.equal(s.decode(t), 'CAANN');
});

test('layout: (offset, length) coords and spans of 1 before fit; the vocabulary size only after', () => {
  const fresh = bpe.create(bpe.params.parse({}), info);
  assert.equal(fresh.layout.coordDim, 2);
  assert.equal(fresh.layout.maskSpan, 1);
  assert.deepEqual(fresh.layout.target, { kind: 'ids', channel: 0, specials: 5 });
  assert.throws(() => fresh.layout.vocabSizes, notFitted);
  assert.throws(() => fresh.encode('ACGT'), notFitted);
  assert.throws(() => fresh.decode(wiki.encode('ACGT')), notFitted);
  assert.throws(() => fresh.artifacts(), notFitted);
  assert.deepEqual(wiki.layout, { idChannels: 1, vocabSizes: [16], valueDim: 0, coordDim: 2, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 1 });
});

/** 60 random sequences of 80 bases, 1% N. */
function randomTrain(seed: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: 60 }, () => Array.from({ length: 80 }, () => (rng.uniform() < 0.01 ? 'N' : 'ACGT'[rng.int(4)])).join(''));
}

test('vocab_size is honoured exactly when the training split has enough pairs, and is smaller otherwise', () => {
  const train = randomTrain(7);
  for (const size of [10, 256, 1024]) assert.deepEqual(fitted(train, { vocab_size: size }).layout.vocabSizes, [size]);
  // Every sequence one token: at most 79 merges each, 60 · 79 + 10 < 10,000.
  const all = fitted(train, { vocab_size: 10_000 });
  const [size] = all.layout.vocabSizes;
  assert.ok(size < 10_000 && size > 1024, `${size}`);
  for (const s of train) assert.equal(all.encode(s).length, 1);
});

test('fit is deterministic: twice, or on a second instance, the same vocabulary and merges', () => {
  const train = randomTrain(3);
  const a = fitted(train, { vocab_size: 300 });
  const b = fitted(train, { vocab_size: 300 });
  const first = a.artifacts();
  a.fit(train);
  assert.deepEqual(a.artifacts(), first);
  assert.deepEqual(b.artifacts(), first);
  assert.deepEqual(a.state, b.state);
});

test('artifacts: tokenizer.json with the specials, the vocabulary and the merges in learned order', () => {
  const json = JSON.parse(wiki.artifacts()['tokenizer.json']);
  assert.equal(json.model.type, 'BPE');
  assert.equal(json.model.unk_token, '[UNK]');
  assert.equal(json.pre_tokenizer, null);
  assert.deepEqual(json.added_tokens.map((t: { id: number; content: string }) => [t.id, t.content]), [[0, '[UNK]'], [1, '[CLS]'], [2, '[SEP]'], [3, '[PAD]'], [4, '[MASK]']]);
  assert.deepEqual(json.model.vocab, { '[UNK]': 0, '[CLS]': 1, '[SEP]': 2, '[PAD]': 3, '[MASK]': 4, A: 5, C: 6, G: 7, T: 8, AA: 9, AC: 10, AAAC: 11, AT: 12, GAAAC: 13, AAACGAAAC: 14, AAACGAAACAT: 15 });
  assert.deepEqual(json.model.merges, [['A', 'A'], ['A', 'C'], ['AA', 'AC'], ['A', 'T'], ['G', 'AAAC'], ['AAAC', 'GAAAC'], ['AAACGAAAC', 'AT']]);
});

test('params: DNABERT-2\'s 4,096 tokens by default, at least the specials and A, C, G, N, T', () => {
  assert.deepEqual(bpe.params.parse({}), { vocab_size: 4096, max_len: 510 });
  // 5 specials + A, C, G, N, T = 10: below it the message says so.
  assert.deepEqual(bpe.params.safeParse({ vocab_size: 9 }).error?.issues.map((issue) => [issue.path, issue.message]), [[['vocab_size'], 'expected at least 10: the 5 specials and the letters A, C, G, N, T']]);
  assert.equal(bpe.params.safeParse({ vocab_size: 10 }).success, true);
  assert.equal(bpe.params.safeParse({ vocab_size: 2 ** 20 + 1 }).success, false);
  assert.throws(() => bpe.params.parse({ max_len: 0 }));
  assert.throws(() => bpe.params.parse({ merges: 10 }));
  assert.throws(() => bpe.create(bpe.params.parse({}), info).fit([]), (e: unknown) => e instanceof TokbenchError && e.code === 'input');
});
