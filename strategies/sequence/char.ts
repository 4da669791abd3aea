// One token per base, A, C, G, T, N after kmer.ts's specials, as character-level DNA models read sequences (HyenaDNA, Nguyen et al. 2023).
import { z } from 'zod';
import type { InfoOf, SequenceSample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Strategy, StrategyDefinition, Tokens } from '../types.js';

const params = z.strictObject({
  max_len: z.int().min(1).default(510).describe('Most tokens (bases) per sequence, as kmer\'s max_len; bases past the last token count as dropped.'),
});

export type CharParams = z.infer<typeof params>;

/** Ids 0..4 are kmer.ts's (DNABERT's) specials, then A = 5, C = 6, G = 7, T = 8, N = 9; any other character is [UNK]. */
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const UNK = 1;
const FIRST_LETTER = SPECIALS.length;
const LETTERS = 'ACGTN';

const ID = new Int32Array(128).fill(UNK);
for (let d = 0; d < LETTERS.length; d++) ID[LETTERS.charCodeAt(d)] = FIRST_LETTER + d;

function createChar(p: CharParams): Strategy<'sequence'> {
  function letter(id: number): string {
    if (!(id >= FIRST_LETTER && id < FIRST_LETTER + LETTERS.length)) throw new TokbenchError('input', `char got id ${id} outside its letter ids ${FIRST_LETTER}..${FIRST_LETTER + LETTERS.length - 1}`);
    return LETTERS[id - FIRST_LETTER];
  }

  return {
    layout: { idChannels: 1, vocabSizes: [FIRST_LETTER + LETTERS.length], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: FIRST_LETTER }, maskSpan: 1 },
    // Every token is one base and every prediction one letter, so nothing is estimated but what no token carries.
    decodeNote: "Exact for every base a token covers ([UNK] as 'N', the same canonical code as any other non-ACGT letter); bases past max_len, which no token covers, are 'N'.",

    encode(sequence: SequenceSample): Tokens {
      const n = sequence.length;
      const length = Math.min(n, p.max_len);
      const ids = new Int32Array(length);
      const coords = new Float32Array(length);
      for (let i = 0; i < length; i++) {
        const c = sequence.charCodeAt(i);
        ids[i] = c < 128 ? ID[c] : UNK;
        coords[i] = i;
      }
      return { length, ids, values: new Float32Array(0), coords, extent: [n], dropped: n === 0 ? 0 : (n - length) / n };
    },

    decode(tokens: Tokens): SequenceSample {
      const out = new Array<string>(tokens.extent[0]).fill('N');
      for (let t = 0; t < tokens.length; t++) {
        const id = tokens.ids[t];
        const b = tokens.coords[t];
        if (b >= 0 && b < out.length && id >= FIRST_LETTER) out[b] = letter(id);
      }
      return out.join('');
    },

    covers(tokens: Tokens, i: number): Int32Array {
      return Int32Array.of(tokens.coords[i]);
    },

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return id >= 0 && id < FIRST_LETTER ? SPECIALS[id] : letter(id);
    },
  };
}

export const char: StrategyDefinition<'sequence', CharParams> = {
  name: 'char',
  modality: 'sequence',
  description: 'One token per base (A, C, G, T, N; anything else [UNK]) with its offset, truncated to max_len, as character-level DNA models such as HyenaDNA',
  params,
  create: createChar,
  tokensPerSample: (p, info: InfoOf['sequence']) => (info.minLength === info.maxLength ? Math.min(info.maxLength, p.max_len) : undefined),
};
