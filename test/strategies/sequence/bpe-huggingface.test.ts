// Our BPE against Hugging Face tokenizers itself (its Node binding, a dev dependency): the merges its BpeTrainer
// learns on whole DNA sequences, and the ids its BPE model gives when it loads our tokenizer.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { createRng } from '../../../harness/random.js';
import { learnBpe } from '../../../strategies/sequence/bpe-merges.js';
import { bpe } from '../../../strategies/sequence/bpe.js';

/** Random sequences of 50–149 bases, 2% N, two of them repeated (so word weights matter). */
function corpus(seed: number, count: number): string[] {
  const rng = createRng(seed);
  const out = Array.from({ length: count }, () => {
    const n = 50 + rng.int(100);
    return Array.from({ length: n }, () => (rng.uniform() < 0.02 ? 'N' : 'ACGT'[rng.int(4)])).join('');
  });
  return [...out, out[0], out[1]];
}

/**
 * Hugging Face's BpeTrainer on one sequence per line. The Node binding reads lines with their '\n' and
 * takes no trainer settings, so a right-strip normaliser removes the newline and the vocabulary grows
 * until no pair is left (its default vocab_size, 30,000, is beyond what these sequences allow).
 */
function huggingFaceMerges(sequences: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tokbench-hf-'));
  try {
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, `${sequences.join('\n')}\n`);
    const empty = { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] };
    const tokenizer = Tokenizer.fromString(
      JSON.stringify({ version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: { type: 'Strip', strip_left: false, strip_right: true }, pre_tokenizer: null, post_processor: null, decoder: null, model: empty }),
    );
    tokenizer.train([file]);
    tokenizer.save(join(dir, 'trained.json'));
    const trained = JSON.parse(readFileSync(join(dir, 'trained.json'), 'utf8')) as { model: { merges: (string | [string, string])[] } };
    return trained.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const train = corpus(7, 300);
const hf = huggingFaceMerges(train);

test('learnBpe learns the merges of Hugging Face BpeTrainer, in its order, to the last one', () => {
  const ours = learnBpe(train, 1 << 20, []);
  assert.ok(hf.length > 3000, `only ${hf.length} merges`);
  assert.deepEqual(
    ours.merges.map(([a, b]) => `${ours.vocab[a]} ${ours.vocab[b]}`),
    hf,
  );
});

test('a vocab_size of K keeps the first K − specials − letters of those merges', () => {
  const strategy = bpe.create(bpe.params.parse({ vocab_size: 256 }), { minLength: 1, maxLength: 200 });
  strategy.fit(train);
  const json = JSON.parse(strategy.artifacts()['tokenizer.json']) as { model: { merges: [string, string][] } };
  // 5 specials and the letters A, C, G, N, T.
  assert.deepEqual(json.model.merges.map((m) => m.join(' ')), hf.slice(0, 256 - 5 - 5));
  assert.equal(strategy.layout.vocabSizes[0], 256);
});

test("Hugging Face's BPE model, loaded from our tokenizer.json, encodes unseen sequences to our ids", async () => {
  const strategy = bpe.create(bpe.params.parse({ vocab_size: 1024, max_len: 1000 }), { minLength: 1, maxLength: 200 });
  // Without N in training, so N is [UNK] on both sides.
  strategy.fit(train.map((s) => s.replaceAll('N', 'A')));
  const tokenizer = Tokenizer.fromString(strategy.artifacts()['tokenizer.json']);
  for (const sequence of corpus(8, 40)) {
    const theirs = await tokenizer.encode(sequence);
    const ours = strategy.encode(sequence);
    assert.deepEqual(Array.from(ours.ids), theirs.getIds(), sequence);
    assert.deepEqual(
      Array.from({ length: ours.length }, (_, t) => [ours.coords[2 * t], ours.coords[2 * t] + ours.coords[2 * t + 1]]),
      theirs.getOffsets(),
    );
  }
});
