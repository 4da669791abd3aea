// Overlapping k-mers with stride 1 and DNABERT's vocabulary (Ji et al. 2021; jerryji1993/DNABERT tokenization_dna.py, vocab.txt).
import { z } from 'zod';
import type { InfoOf, SequenceSample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';

const params = z.strictObject({
  k: z.int().min(3).max(6).default(6).describe('k-mer length; DNABERT ships vocabularies (and pre-trained models) for k = 3, 4, 5, 6 only.'),
  /**
   * Most tokens per sequence: DNABERT's 512 positions minus the [CLS] and [SEP] it wraps around
   * every piece of 510 k-mers. Longer sequences are truncated here (DNABERT's fine-tuning truncates
   * to max_seq_length too); the bases past the last token count as `dropped`.
   */
  max_len: z.int().min(1).default(510).describe('Most tokens per sequence (DNABERT: 512 positions minus [CLS] and [SEP]); bases past the last token count as dropped.'),
});

export type KmerParams = z.infer<typeof params>;

/**
 * Ids 0..4 are DNABERT's specials; k-mer ids follow them in the order of its vocab_k.txt files,
 * which enumerate all 4^k k-mers as a base-4 number with digits A=0, T=1, C=2, G=3 (first base
 * most significant): for k = 3, AAA = 5, AAT = 6, AAC = 7, …, GGG = 68. [CLS] and [SEP] never
 * appear in our token stream: the model mean-pools instead of reading a [CLS] embedding.
 */
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const UNK = 1;
const FIRST_KMER = SPECIALS.length;
const LETTERS = 'ATCG';

/** Base-4 digit of each character code, −1 for anything else (N, lower case, …), which maps to [UNK] like DNABERT's vocab lookup. */
const DIGIT = new Int8Array(128).fill(-1);
for (let d = 0; d < LETTERS.length; d++) DIGIT[LETTERS.charCodeAt(d)] = d;

function createKmer(p: KmerParams): Strategy<'sequence'> {
  const k = p.k;
  const kmers = 4 ** k;

  /** Base-4 code of a k-mer id (first base most significant). */
  function codeOf(id: number): number {
    if (!(id >= FIRST_KMER && id < FIRST_KMER + kmers)) throw new TokbenchError('input', `kmer got id ${id} outside its vocabulary of ${FIRST_KMER + kmers}`);
    return id - FIRST_KMER;
  }

  /** The k-mer of a k-mer id, or the special's name. */
  function spell(id: number): string {
    if (id >= 0 && id < FIRST_KMER) return SPECIALS[id];
    let code = codeOf(id);
    let out = '';
    for (let j = 0; j < k; j++) {
      out = LETTERS[code & 3] + out;
      code >>= 2;
    }
    return out;
  }

  return {
    layout: { idChannels: 1, vocabSizes: [FIRST_KMER + kmers], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: FIRST_KMER }, maskSpan: k },
    decodeNote:
      "Each base takes the letter most of its covering k-mers agree on (a tie goes to the letter of the earliest k-mer), and 'N' where only [UNK] or special tokens cover it.",

    encode(sequence: SequenceSample): Tokens {
      const n = sequence.length;
      if (n < k) throw new TokbenchError('input', `kmer with k=${k} needs sequences of at least ${k} bases; got one of length ${n}`);
      const length = Math.min(n - k + 1, p.max_len);
      const ids = new Int32Array(length);
      const coords = new Float32Array(length);
      // Rolling base-4 code of the current window; `lastBad` is the latest non-ACGT position seen.
      let code = 0;
      let lastBad = -1;
      for (let i = 0; i < length + k - 1; i++) {
        const c = sequence.charCodeAt(i);
        const d = c < 128 ? DIGIT[c] : -1;
        if (d < 0) lastBad = i;
        code = ((code << 2) | (d & 3)) & (kmers - 1);
        const start = i - k + 1;
        if (start < 0) continue;
        ids[start] = lastBad >= start ? UNK : FIRST_KMER + code;
        coords[start] = start;
      }
      // Tokens cover bases [0, length + k − 1); the rest were truncated away.
      return { length, ids, values: new Float32Array(0), coords, extent: [n], dropped: (n - (length + k - 1)) / n };
    },

    decode(tokens: Tokens): SequenceSample {
      const n = tokens.extent[0];
      // Votes per base and letter, and the index of the first token casting each vote.
      const votes = new Int32Array(n * 4);
      const first = new Int32Array(n * 4);
      for (let t = 0; t < tokens.length; t++) {
        const id = tokens.ids[t];
        if (id >= 0 && id < FIRST_KMER) continue;
        const code = codeOf(id);
        const offset = tokens.coords[t];
        for (let j = 0; j < k; j++) {
          const b = offset + j;
          if (b < 0 || b >= n) continue;
          const slot = b * 4 + ((code >> (2 * (k - 1 - j))) & 3);
          if (votes[slot]++ === 0) first[slot] = t;
        }
      }
      let out = '';
      for (let b = 0; b < n; b++) {
        let best = -1;
        for (let d = 0; d < 4; d++) {
          const s = b * 4 + d;
          if (votes[s] === 0) continue;
          const bestSlot = b * 4 + best;
          if (best < 0 || votes[s] > votes[bestSlot] || (votes[s] === votes[bestSlot] && first[s] < first[bestSlot])) best = d;
        }
        out += best < 0 ? 'N' : LETTERS[best];
      }
      return out;
    },

    covers(tokens: Tokens, i: number): Int32Array {
      const offset = tokens.coords[i];
      const out = new Int32Array(k);
      for (let j = 0; j < k; j++) out[j] = offset + j;
      return out;
    },

    label(tokens: Tokens, i: number): string {
      return spell(tokens.ids[i]);
    },
  };
}

/** A sequence shorter than k has no k-mer, so encode would refuse it. */
function checkKmer(p: KmerParams, info: InfoOf['sequence']): ParamProblem[] {
  const shortest = info.minLength;
  if (p.k <= shortest) return [];
  return [{ path: ['k'], message: `found k ${p.k} for sequences as short as ${shortest} base${shortest === 1 ? '' : 's'}; expected at most ${shortest}` }];
}

export const kmer: StrategyDefinition<'sequence', KmerParams> = {
  name: 'kmer',
  modality: 'sequence',
  description: 'Overlapping k-mers with stride 1 in DNABERT\'s vocabulary order, non-ACGT k-mers as [UNK] (DNABERT, Ji et al. 2021)',
  params,
  create: createKmer,
  check: checkKmer,
  tokensPerSample: (p, info) => (info.minLength === info.maxLength ? Math.min(info.maxLength - p.k + 1, p.max_len) : undefined),
};
