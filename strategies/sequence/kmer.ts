// k-mers in DNABERT's vocabulary order: overlapping with stride 1 (DNABERT, Ji et al. 2021; jerryji1993/DNABERT tokenization_dna.py, vocab.txt),
// or non-overlapping from the left with N and short stretches as single letters (Nucleotide Transformer, Dalla-Torre et al. 2024; InstaDeepAI/nucleotide-transformer tokenizers.py).
import { z } from 'zod';
import type { InfoOf, SequenceSample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens, TokenLayout } from '../types.js';
import { CUT_OR_PAD_NOTE, padBaseOf, placeSpans, SPAN_COORDS, spanCoords, spanCovers } from './spans.js';

const params = z.strictObject({
  k: z.int().min(1).max(8).default(6).describe('k-mer length, 1 … 8; DNABERT ships vocabularies (and pre-trained models) for k = 3, 4, 5, 6, the Nucleotide Transformer uses k = 6.'),
  overlap: z
    .boolean()
    .default(true)
    .describe("true: every k-mer with stride 1 (DNABERT); false: non-overlapping k-mers from the left, 'N' a token of its own that splits the sequence, a stretch shorter than k as single letters (Nucleotide Transformer)."),
  cls_sep: z.boolean().default(false).describe("Wrap every sequence in [CLS] … [SEP] as DNABERT's tokenizer does; the two cover no base (coords length 0) and come on top of max_len."),
  /**
   * Most k-mer tokens per sequence: DNABERT's 512 positions minus the [CLS] and [SEP] it wraps around
   * every piece of 510 k-mers. Longer sequences are truncated here (DNABERT's fine-tuning truncates
   * to max_seq_length too); the bases past the last token count as `dropped`.
   */
  max_len: z.int().min(1).default(510).describe('Most k-mer tokens per sequence, [CLS] and [SEP] not counted (DNABERT: 512 positions minus those two); bases past the last token count as dropped.'),
});

export type KmerParams = z.infer<typeof params>;

/**
 * Ids 0..4 are DNABERT's specials; k-mer ids follow them in the order of its vocab_k.txt files,
 * which enumerate all 4^k k-mers as a base-4 number with digits A=0, T=1, C=2, G=3 (first base
 * most significant): for k = 3, AAA = 5, AAT = 6, AAC = 7, …, GGG = 68. Without overlap, the single
 * letters A, T, C, G, N follow the k-mers, as in the Nucleotide Transformer's vocabulary (for k = 3:
 * A = 69, T = 70, C = 71, G = 72, N = 73; for k = 1 the single A, T, C, G duplicate the 1-mers and
 * encode never emits them). [CLS] and [SEP] appear only with `cls_sep`: the model mean-pools
 * instead of reading a [CLS] embedding.
 */
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const UNK = 1;
const CLS = 2;
const SEP = 3;
const FIRST_KMER = SPECIALS.length;
const LETTERS = 'ATCG';
const SINGLES = 'ATCGN';

/** Base-4 digit of each character code, −1 for anything else (N, lower case, …), which maps to [UNK] like DNABERT's vocab lookup. */
const DIGIT = new Int8Array(128).fill(-1);
for (let d = 0; d < LETTERS.length; d++) DIGIT[LETTERS.charCodeAt(d)] = d;
const digitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c < 128 ? DIGIT[c] : -1;
};

/**
 * How the scores relate for overlapping k-mers. `masked_token_accuracy` counts a masked k-mer right only
 * when all k letters are; the per-base errors score the bases, after decode's vote. Masking takes spans
 * of k consecutive k-mers (maskSpan), because the visible neighbours of a lone masked k-mer spell all of
 * its bases: a run of m ≥ k masked k-mers inside the sequence hides only its m − k + 1 middle bases
 * (every other base is spelled by a visible neighbour), each voted on by k predictions. So
 * `masked_reconstruction_error` scores those hidden bases only (a span of exactly k hides one base),
 * a k-mer can be counted wrong for a letter the neighbours reveal while its hidden base is right, and
 * the error over all bases (`reconstruction_error`) is mostly the visible, exactly spelled bases.
 * Non-overlapping tokens hide exactly the bases they cover, so the two scores describe the same bases.
 */
function createKmer(p: KmerParams): Strategy<'sequence'> {
  const k = p.k;
  const kmers = 4 ** k;
  const firstSingle = FIRST_KMER + kmers;
  const vocab = firstSingle + (p.overlap ? 0 : SINGLES.length);
  /** (offset, length) when tokens differ in length ([CLS]/[SEP] cover none, remainders fewer than k); else DNABERT's offset alone. */
  const coordDim = p.overlap && !p.cls_sep ? 1 : SPAN_COORDS;
  /** Decode's padding letter; only non-overlapping tokens, whose predictions may be shorter than the token they replace, need it. */
  let padBase: string | undefined;

  /** Base-4 code of a k-mer id (first base most significant). */
  function codeOf(id: number): number {
    if (!(id >= FIRST_KMER && id < firstSingle)) throw new TokbenchError('input', `kmer got id ${id} outside its k-mer ids ${FIRST_KMER}..${firstSingle - 1}`);
    return id - FIRST_KMER;
  }

  /** The letters of a content id (a k-mer or a single letter); undefined for a special. */
  function letters(id: number): string | undefined {
    if (id >= 0 && id < FIRST_KMER) return undefined;
    if (id >= firstSingle && id < vocab) return SINGLES[id - firstSingle];
    let code = codeOf(id);
    let out = '';
    for (let j = 0; j < k; j++) {
      out = LETTERS[code & 3] + out;
      code >>= 2;
    }
    return out;
  }

  /** Id of the k-mer at bases start … start + k − 1, [UNK] when one of them is not A, C, G or T. */
  function kmerId(sequence: string, start: number): number {
    let code = 0;
    for (let j = start; j < start + k; j++) {
      const d = digitAt(sequence, j);
      if (d < 0) return UNK;
      code = code * 4 + d;
    }
    return FIRST_KMER + code;
  }

  /** [CLS] and [SEP] around the content tokens, both of length 0: [CLS] at 0, [SEP] where the covered bases end. */
  function wrap(ids: Int32Array, offsets: number[], lengths: number[], end: number): { ids: Int32Array; coords: Float32Array } {
    if (!p.cls_sep) return { ids, coords: coordDim === 1 ? Float32Array.from(offsets) : spanCoords(offsets, lengths) };
    const wrapped = new Int32Array(ids.length + 2);
    wrapped[0] = CLS;
    wrapped.set(ids, 1);
    wrapped[ids.length + 1] = SEP;
    return { ids: wrapped, coords: spanCoords([0, ...offsets, end], [0, ...lengths, 0]) };
  }

  /** DNABERT: every k-mer with stride 1; a sequence shorter than k has none and is refused (check catches it first). */
  function encodeOverlapping(sequence: string): Tokens {
    const n = sequence.length;
    if (n < k) throw new TokbenchError('input', `kmer with k=${k} needs sequences of at least ${k} bases; got one of length ${n}`);
    const length = Math.min(n - k + 1, p.max_len);
    const ids = new Int32Array(length);
    const offsets = new Array<number>(length);
    // Rolling base-4 code of the current window; `lastBad` is the latest non-ACGT position seen.
    let code = 0;
    let lastBad = -1;
    for (let i = 0; i < length + k - 1; i++) {
      const d = digitAt(sequence, i);
      if (d < 0) lastBad = i;
      code = ((code << 2) | (d & 3)) & (kmers - 1);
      const start = i - k + 1;
      if (start < 0) continue;
      ids[start] = lastBad >= start ? UNK : FIRST_KMER + code;
      offsets[start] = start;
    }
    // Tokens cover bases [0, length + k − 1); the rest were truncated away.
    const end = length + k - 1;
    const wrapped = wrap(ids, offsets, new Array<number>(length).fill(k), end);
    return { length: wrapped.ids.length, ...wrapped, values: new Float32Array(0), extent: [n], dropped: (n - end) / n };
  }

  /**
   * Nucleotide Transformer: the sequence splits at every N, which is a token of its own; each stretch
   * between Ns gives non-overlapping k-mers from its left end, and its last (length mod k) bases (all of
   * a stretch shorter than k) give one single-letter token each. A k-mer or letter other than A, C, G, T
   * (and N) is [UNK].
   */
  function encodeChunks(sequence: string): Tokens {
    const n = sequence.length;
    const ids: number[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    const push = (id: number, offset: number, length: number) => {
      ids.push(id);
      offsets.push(offset);
      lengths.push(length);
    };
    let i = 0;
    while (i < n && ids.length < p.max_len) {
      if (sequence[i] === 'N') {
        push(firstSingle + SINGLES.indexOf('N'), i, 1);
        i++;
        continue;
      }
      let end = i;
      while (end < n && sequence[end] !== 'N') end++;
      for (; i + k <= end && ids.length < p.max_len; i += k) push(kmerId(sequence, i), i, k);
      for (; i < end && ids.length < p.max_len; i++) {
        const d = digitAt(sequence, i);
        push(d < 0 ? UNK : firstSingle + d, i, 1);
      }
    }
    // Tokens tile bases [0, covered) without gaps; the rest were truncated away.
    const covered = ids.length === 0 ? 0 : offsets[ids.length - 1] + lengths[ids.length - 1];
    const wrapped = wrap(Int32Array.from(ids), offsets, lengths, covered);
    return { length: wrapped.ids.length, ...wrapped, values: new Float32Array(0), extent: [n], dropped: n === 0 ? 0 : (n - covered) / n };
  }

  /** Overlapping k-mers: each base takes the letter most of its covering k-mers agree on. */
  function decodeVotes(tokens: Tokens): SequenceSample {
    const n = tokens.extent[0];
    // Votes per base and letter, and the index of the first token casting each vote.
    const votes = new Int32Array(n * 4);
    const first = new Int32Array(n * 4);
    for (let t = 0; t < tokens.length; t++) {
      const id = tokens.ids[t];
      // [CLS] and [SEP] (and whatever is predicted in their place) cover no base, so they cast no vote.
      const length = coordDim === 1 ? k : tokens.coords[t * SPAN_COORDS + 1];
      if ((id >= 0 && id < FIRST_KMER) || length === 0) continue;
      const code = codeOf(id);
      const offset = tokens.coords[t * coordDim];
      for (let j = 0; j < Math.min(k, length); j++) {
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
  }

  function fitted(): string {
    if (padBase === undefined) {
      throw new TokbenchError('not-fitted', 'kmer without overlap learns the most frequent training base (decode pads shorter predictions with it); call fit(train) before encode or decode');
    }
    return padBase;
  }

  const layout: TokenLayout = { idChannels: 1, vocabSizes: [vocab], valueDim: 0, coordDim, target: { kind: 'ids', channel: 0, specials: FIRST_KMER }, maskSpan: p.overlap ? k : 1 };
  const shared = {
    layout,
    covers(tokens: Tokens, i: number): Int32Array {
      if (coordDim !== 1) return spanCovers(tokens, i);
      const offset = tokens.coords[i];
      return Int32Array.from({ length: k }, (_, j) => offset + j);
    },
    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return letters(id) ?? SPECIALS[id];
    },
  };

  if (p.overlap) {
    return {
      ...shared,
      decodeNote:
        "Each base takes the letter most of its covering k-mers agree on (a tie goes to the letter of the earliest k-mer), and 'N' where only [UNK] or special tokens cover it" +
        (p.cls_sep ? '; [CLS] and [SEP] cover no base and vote for none.' : '.'),
      encode: encodeOverlapping,
      decode: decodeVotes,
    };
  }
  return {
    ...shared,
    decodeNote: `Each token's letters go at its offset ('N' for an N token, [UNK] and specials); ${CUT_OR_PAD_NOTE}; bases past max_len, which no token covers, are 'N'.`,
    fit(train: readonly SequenceSample[]): void {
      padBase = padBaseOf(train);
    },
    encode(sequence: SequenceSample): Tokens {
      fitted();
      return encodeChunks(sequence);
    },
    decode(tokens: Tokens): SequenceSample {
      return placeSpans(tokens, letters, fitted());
    },
  };
}

/**
 * A sequence shorter than k has no overlapping k-mer, so encode would refuse it; non-overlapping k-mers tokenize
 * any length. When lengths vary, the few short samples (often the leftover windows of long records) can be
 * dropped by the dataset's min_bases, so the message says so; when all samples are that short it could not help.
 */
function checkKmer(p: KmerParams, info: InfoOf['sequence']): ParamProblem[] {
  const shortest = info.minLength;
  if (!p.overlap || p.k <= shortest) return [];
  const fix = shortest < info.maxLength ? " (set the dataset's min_bases to drop shorter samples, e.g. leftover windows)" : '';
  return [{ path: ['k'], message: `found k ${p.k} for sequences as short as ${shortest} base${shortest === 1 ? '' : 's'}; expected at most ${shortest}${fix}` }];
}

/** Known only when every sequence has one length, and without overlap only for k = 1 (else the count depends on where the Ns fall). */
function tokensPerSample(p: KmerParams, info: InfoOf['sequence']): number | undefined {
  if (info.minLength !== info.maxLength) return undefined;
  const wrapping = p.cls_sep ? 2 : 0;
  if (p.overlap) return Math.min(info.maxLength - p.k + 1, p.max_len) + wrapping;
  return p.k === 1 ? Math.min(info.maxLength, p.max_len) + wrapping : undefined;
}

export const kmer: StrategyDefinition<'sequence', KmerParams> = {
  name: 'kmer',
  modality: 'sequence',
  description:
    "k-mers in DNABERT's vocabulary order: overlapping with stride 1, non-ACGT k-mers as [UNK] (DNABERT, Ji et al. 2021), or non-overlapping with N and remainders as single letters (Nucleotide Transformer, Dalla-Torre et al. 2024); optional [CLS] … [SEP]",
  params,
  create: createKmer,
  check: checkKmer,
  tokensPerSample,
};
