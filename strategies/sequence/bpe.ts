// Byte-pair encoding learned from the training split, whole sequences as words (DNABERT-2, Zhou et al. 2024: a Hugging Face `tokenizers` BPE model, no pre-tokenizer); bpe-huggingface.test.ts checks merges and ids against that library.
import { z } from 'zod';
import type { InfoOf, SequenceSample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Strategy, StrategyDefinition, Tokens, TokenLayout } from '../types.js';
import type { BpeEncoder, BpeModel } from './bpe-merges.js';
import { bpeEncoder, learnBpe } from './bpe-merges.js';
import { CUT_OR_PAD_NOTE, padBaseOf, placeSpans, SPAN_COORDS, spanCoords, spanCovers } from './spans.js';

/**
 * DNABERT-2's specials in its tokenizer.json order, ids 0..4; then the letters the training split holds,
 * in code-unit order (A, C, G, N, T for DNA with Ns), then the learned tokens. DNABERT-2 has no rule
 * for N: here N is a letter like A (runs of N merge like runs of A when the training split has them),
 * and a letter the training split never holds, N included, is [UNK] at encode: one [UNK] per letter,
 * covering its base, decoded as 'N' (the canonical code of every non-ACGT letter). DNABERT-2 wraps
 * sequences in [CLS] … [SEP]; we do not, as the model mean-pools (kmer's cls_sep shows their effect).
 */
const SPECIALS = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'];
const UNK = 0;
/** The smallest vocabulary that holds the specials and every letter of a DNA training split. */
const MIN_VOCAB = SPECIALS.length + 'ACGNT'.length;

const params = z.strictObject({
  vocab_size: z
    .int()
    // A refinement rather than .min(), so the message says why; the meta keeps the bound in the params listing.
    .refine((size) => size >= MIN_VOCAB, { message: `expected at least ${MIN_VOCAB}: the ${SPECIALS.length} specials and the letters A, C, G, N, T` })
    // Pair keys (left id · vocab_size + right id) and encode's heap keys stay exact integers well below 2^53.
    .max(1 << 20)
    .meta({ minimum: MIN_VOCAB })
    .default(4096)
    .describe(`Vocabulary size counting the ${SPECIALS.length} specials and the training split's letters (DNABERT-2: 4,096), at least ${MIN_VOCAB} (the specials and A, C, G, N, T); smaller when the training split runs out of pairs to merge.`),
  max_len: z.int().min(1).default(510).describe("Most tokens per sequence, as kmer's max_len; bases past the last token count as dropped."),
});

export type BpeParams = z.infer<typeof params>;

export interface BpeState extends BpeModel {
  /** Decode's padding letter: the training split's most frequent base. */
  readonly padBase: string;
}

export interface BpeStrategy extends Strategy<'sequence'> {
  fit(train: readonly SequenceSample[]): void;
  /** Learned vocabulary and merges; undefined until `fit`. */
  readonly state: BpeState | undefined;
  /** `tokenizer.json`: the learned vocabulary and merges as a Hugging Face tokenizers BPE model. */
  artifacts(): Readonly<Record<string, string>>;
}

/** The state as a tokenizer.json that Hugging Face tokenizers loads (`Tokenizer.fromString`) and encodes to the same ids. */
function tokenizerJson(state: BpeModel): string {
  const { vocab, merges } = state;
  return `${JSON.stringify(
    {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIALS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '[UNK]',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
        merges: merges.map(([a, b]) => [vocab[a], vocab[b]]),
      },
    },
    null,
    2,
  )}\n`;
}

function createBpe(p: BpeParams): BpeStrategy {
  let learned: { readonly state: BpeState; readonly encoder: BpeEncoder } | undefined;

  function fittedModel(): { readonly state: BpeState; readonly encoder: BpeEncoder } {
    if (learned === undefined) throw new TokbenchError('not-fitted', 'bpe learns its merges from the training split; call fit(train) before encode, decode, artifacts or reading layout.vocabSizes');
    return learned;
  }
  const fitted = () => fittedModel().state;

  /** A token's letters; undefined for a special. */
  function letters(id: number): string | undefined {
    const { vocab } = fitted();
    if (!(id >= 0 && id < vocab.length)) throw new TokbenchError('input', `bpe got id ${id} outside its vocabulary of ${vocab.length}`);
    return id < SPECIALS.length ? undefined : vocab[id];
  }

  // Everything but the vocabulary size is known before fit, so plans and cost estimates can read it.
  let vocabSizes: readonly number[] = [];
  const layout: TokenLayout = {
    idChannels: 1,
    get vocabSizes() {
      fitted();
      return vocabSizes;
    },
    valueDim: 0,
    coordDim: SPAN_COORDS,
    target: { kind: 'ids', channel: 0, specials: SPECIALS.length },
    maskSpan: 1,
  };

  return {
    layout,
    decodeNote: `Each token's letters go at its offset ('N' for [UNK]); ${CUT_OR_PAD_NOTE}; bases past max_len, which no token covers, are 'N'.`,

    get state() {
      return learned?.state;
    },

    fit(train: readonly SequenceSample[]): void {
      if (train.length === 0) throw new TokbenchError('input', 'bpe needs at least one training sequence to learn merges');
      const model = learnBpe(train, p.vocab_size, SPECIALS);
      learned = { state: { ...model, padBase: padBaseOf(train) }, encoder: bpeEncoder(model, UNK) };
      vocabSizes = Object.freeze([model.vocab.length]);
    },

    artifacts() {
      return { 'tokenizer.json': tokenizerJson(fitted()) };
    },

    encode(sequence: SequenceSample): Tokens {
      const { state, encoder } = fittedModel();
      const { vocab } = state;
      const n = sequence.length;
      const all = encoder.encode(sequence);
      const length = Math.min(all.ids.length, p.max_len);
      const ids = all.ids.slice(0, length);
      const offsets = Array.from(all.starts.subarray(0, length));
      const lengths = Array.from(ids, (id) => (id === UNK ? 1 : vocab[id].length));
      const covered = length === 0 ? 0 : offsets[length - 1] + lengths[length - 1];
      return { length, ids, values: new Float32Array(0), coords: spanCoords(offsets, lengths), extent: [n], dropped: n === 0 ? 0 : (n - covered) / n };
    },

    decode(tokens: Tokens): SequenceSample {
      return placeSpans(tokens, letters, fitted().padBase);
    },

    covers: spanCovers,

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return letters(id) ?? SPECIALS[id];
    },
  };
}

export const bpe = {
  name: 'bpe',
  modality: 'sequence',
  description: 'Byte-pair encoding learned on the training split, whole sequences as words, vocab_size counting specials and letters (DNABERT-2, Zhou et al. 2024)',
  params,
  create: (p: BpeParams, _info: InfoOf['sequence']) => createBpe(p),
} satisfies StrategyDefinition<'sequence', BpeParams>;
