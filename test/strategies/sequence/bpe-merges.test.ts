// BPE learning and encoding on tiny corpora worked out by hand: overlapping pair counts, left-to-right merges, frequency weights, the tie rule, merge ranks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../../harness/errors.js';
import { bpeEncoder, learnBpe } from '../../../strategies/sequence/bpe-merges.js';
import type { BpeModel } from '../../../strategies/sequence/bpe-merges.js';

const SPECIALS = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'];
const spelled = (m: BpeModel) => m.merges.map(([a, b, r]) => `${m.vocab[a]}+${m.vocab[b]}=${m.vocab[r]}`);

/**
 * Wikipedia's "aaabdaaabac" with a→A, b→C, d→G, c→T: one word AAACGAAACAT. Letters A 5, C 6, G 7, T 8.
 * 1. Pairs AA AA AC CG GA AA AA AC CA AT: AA 4 (AAA holds two) → AA = 9. Left to right: AA A C G AA A C A T.
 * 2. (AA, A) 2 and (A, C) 2 tie; the smaller left id wins: A (5) before AA (9) → AC = 10: AA AC G AA AC A T.
 * 3. (AA, AC) 2, every other pair 1 → AAAC = 11: AAAC G AAAC A T.
 * 4. (AAAC, G), (G, AAAC), (AAAC, A), (A, T) all 1; smallest left id A (5) → AT = 12: AAAC G AAAC AT.
 * 5. (AAAC, G) (11, 7), (G, AAAC) (7, 11), (AAAC, AT) (11, 12): G (7) → GAAAC = 13: AAAC GAAAC AT.
 * 6. (11, 13) before (13, 12) → AAACGAAAC = 14.   7. (14, 12) → AAACGAAACAT = 15; the word is one token.
 */
const wiki = learnBpe(['AAACGAAACAT'], 100, SPECIALS);

test('worked example: overlapping counts, merges from the left, ties to the smaller left id, then right id', () => {
  assert.deepEqual(wiki.vocab, [...SPECIALS, 'A', 'C', 'G', 'T', 'AA', 'AC', 'AAAC', 'AT', 'GAAAC', 'AAACGAAAC', 'AAACGAAACAT']);
  assert.deepEqual(spelled(wiki), ['A+A=AA', 'A+C=AC', 'AA+AC=AAAC', 'A+T=AT', 'G+AAAC=GAAAC', 'AAAC+GAAAC=AAACGAAAC', 'AAACGAAAC+AT=AAACGAAACAT']);
  assert.deepEqual(wiki.merges[1], [5, 6, 10]);
  // ACAT: AC, CA, AT all 1; left id A (5) twice, so the smaller right id: C (6) before T (8) → AC.
  // Then (AC, A) (9, 5) and (A, T) (5, 8): A first → AT; then (AC, AT).
  assert.deepEqual(spelled(learnBpe(['ACAT'], 100, SPECIALS)), ['A+C=AC', 'A+T=AT', 'AC+AT=ACAT']);
});

test('vocabSize counts specials and letters: it stops the merges, or the corpus runs out of pairs first', () => {
  const three = learnBpe(['AAACGAAACAT'], 12, SPECIALS);
  assert.equal(three.vocab.length, 12);
  assert.deepEqual(spelled(three), ['A+A=AA', 'A+C=AC', 'AA+AC=AAAC']);
  assert.equal(wiki.vocab.length, 16); // 100 asked, 5 + 4 + 7 learned
  assert.equal(learnBpe(['AAACGAAACAT'], 9, SPECIALS).merges.length, 0);
});

/**
 * Each distinct sequence is a word weighted by its frequency. ATAT, GC ×3: counts AT 2, TA 1, GC 3 →
 * GC first (a corpus without weights would merge AT first), then AT (the GC words are single tokens),
 * then (AT, AT). Letters A 5, C 6, G 7, T 8.
 */
test('worked example: pair counts are weighted by how often a sequence occurs', () => {
  const m = learnBpe(['ATAT', 'GC', 'GC', 'GC'], 100, SPECIALS);
  assert.deepEqual(spelled(m), ['G+C=GC', 'A+T=AT', 'AT+AT=ATAT']);
  assert.deepEqual(spelled(learnBpe(['ATAT', 'GC'], 100, SPECIALS))[0], 'A+T=AT');
});

test('letters come from the training split in code-unit order, N among them when present', () => {
  assert.deepEqual(learnBpe(['TNGCA'], 10, SPECIALS).vocab.slice(5), ['A', 'C', 'G', 'N', 'T']);
  assert.throws(
    () => learnBpe(['ACGTNR'], 10, SPECIALS),
    (e: unknown) =>
      e instanceof TokbenchError &&
      e.code === 'invalid-param' &&
      e.message === "The 'vocab_size' parameter of bpe must be at least 11 (5 specials and the 6 letters A, C, G, N, R, T of the training split); got 10 instead.",
  );
});

test('learning is deterministic and independent of the order of the training sequences', () => {
  const train = ['GATTACA', 'TACA', 'CATTAG', 'GATTACA', 'ACGTNNNACG', 'TTTT'];
  const a = learnBpe(train, 40, SPECIALS);
  assert.deepEqual(learnBpe(train, 40, SPECIALS), a);
  assert.deepEqual(learnBpe([...train].reverse(), 40, SPECIALS), a);
});

test('encode merges the lowest-ranked pair first, leftmost among equals, letters outside the vocabulary as unk', () => {
  const encoder = bpeEncoder(wiki, 0);
  const ids = (s: string) => Array.from(encoder.encode(s).ids, (id) => wiki.vocab[id]);
  assert.deepEqual(ids('AAACGAAACAT'), ['AAACGAAACAT']);
  // C A A A T: (A, A) rank 0 at 1 and 2 → the leftmost: C AA A T; then (A, T) rank 3 → C AA AT.
  assert.deepEqual(ids('CAAAT'), ['C', 'AA', 'AT']);
  assert.deepEqual(Array.from(encoder.encode('CAAAT').starts), [0, 1, 3]);
  assert.deepEqual(ids('AAAA'), ['AA', 'AA']);
  // AAAC (rank 2) needs AA and AC first: A A A C → AA A C → AA AC → AAAC.
  assert.deepEqual(ids('AAACG'), ['AAAC', 'G']);
  // N is not in this vocabulary: [UNK], which no merge joins.
  assert.deepEqual(ids('ACNAT'), ['AC', '[UNK]', 'AT']);
  assert.deepEqual(Array.from(encoder.encode('ACNAT').starts), [0, 2, 3]);
  assert.deepEqual(Array.from(encoder.encode('').ids), []);
});
