// Exact ids, offsets, [UNK], truncation, decode and layout of the one-token-per-base strategy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { char } from '../../../strategies/sequence/char.js';

const info = { minLength: 1, maxLength: 16 };
const chars = char.create(char.params.parse({}), info);

// [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, A 5, C 6, G 7, T 8, N 9.
test('one token per base: A 5, C 6, G 7, T 8, N 9 at its offset', () => {
  const t = chars.encode('ACGTNA');
  assert.deepEqual(Array.from(t.ids), [5, 6, 7, 8, 9, 5]);
  assert.deepEqual(Array.from(t.coords), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(t.extent, [6]);
  assert.equal(t.dropped, 0);
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => chars.label(t, i)), ['A', 'C', 'G', 'T', 'N', 'A']);
  assert.deepEqual(Array.from(chars.covers(t, 4)), [4]);
});

test('any other character is [UNK], decoded as N', () => {
  const t = chars.encode('AcRN');
  assert.deepEqual(Array.from(t.ids), [5, 1, 1, 9]);
  assert.equal(chars.label(t, 1), '[UNK]');
  assert.equal(chars.decode(t), 'ANNN');
});

test('decode is exact for unmodified tokens and places a predicted letter at its base', () => {
  for (const s of ['ACGTNA', 'N', 'GATTACA', '']) assert.equal(chars.decode(chars.encode(s)), s);
  const t = chars.encode('ACGT');
  const ids = t.ids.slice();
  ids[2] = 8;
  assert.equal(chars.decode({ ...t, ids }), 'ACTT');
});

test('max_len truncates; bases past it are dropped and decode as N', () => {
  const s = char.create(char.params.parse({ max_len: 3 }), info);
  const t = s.encode('ACGTA');
  assert.deepEqual(Array.from(t.ids), [5, 6, 7]);
  assert.equal(t.dropped, 2 / 5);
  assert.equal(s.decode(t), 'ACGNN');
});

test('layout: 10 ids, offsets, spans of one token', () => {
  assert.deepEqual(chars.layout, { idChannels: 1, vocabSizes: [10], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 1 });
  assert.equal(chars.fit, undefined);
});

test('tokensPerSample: the length, at most max_len, when all sequences share it; params default to 510 tokens', () => {
  assert.equal(char.tokensPerSample?.({ max_len: 510 }, { minLength: 9, maxLength: 9 }), 9);
  assert.equal(char.tokensPerSample?.({ max_len: 4 }, { minLength: 9, maxLength: 9 }), 4);
  assert.equal(char.tokensPerSample?.({ max_len: 510 }, { minLength: 8, maxLength: 9 }), undefined);
  assert.deepEqual(char.params.parse({}), { max_len: 510 });
  assert.throws(() => char.params.parse({ max_len: 0 }));
  assert.throws(() => char.params.parse({ k: 1 }));
});
