// Tokens that each stand for a run of bases, with coords (offset, length): what they cover and how a predicted token of another length is placed.
import { mostFrequentBase } from '../../harness/modalities/sequence.js';
import type { Tokens } from '../types.js';

/** Coordinates per token: the first base it covers and how many bases it covers (0 for [CLS] and [SEP]). */
export const SPAN_COORDS = 2;

/**
 * The letter decode pads a predicted token with when it spells fewer bases than the masked token it
 * replaces: the training split's most frequent of A, C, G, T, the same rule as the reconstruction
 * reference (ties to the first in that order).
 */
export const padBaseOf = (train: readonly string[]): string => mostFrequentBase(train);

/** Why a predicted token is cut or padded, for the decodeNote of every strategy that decodes with placeSpans. */
export const CUT_OR_PAD_NOTE =
  "a predicted token that spells more bases than the masked token it replaces is cut to that token's length, one that spells fewer is padded with the training split's most frequent base (learned by fit), so every token fills exactly the bases it covered";

/** Columnar (offset, length) coordinates of `length` tokens. */
export function spanCoords(offsets: readonly number[], lengths: readonly number[]): Float32Array {
  const coords = new Float32Array(offsets.length * SPAN_COORDS);
  for (let t = 0; t < offsets.length; t++) {
    coords[t * SPAN_COORDS] = offsets[t];
    coords[t * SPAN_COORDS + 1] = lengths[t];
  }
  return coords;
}

/** Bases offset … offset + length − 1 of token i, read from its coords (never from its id, which may be a prediction). */
export function spanCovers(tokens: Tokens, i: number): Int32Array {
  const offset = tokens.coords[i * SPAN_COORDS];
  const out = new Int32Array(tokens.coords[i * SPAN_COORDS + 1]);
  for (let j = 0; j < out.length; j++) out[j] = offset + j;
  return out;
}

/**
 * A sequence of `tokens.extent[0]` bases: each token's letters, `spell(id)` (undefined for special
 * tokens, which place N), go at its offset, cut or padded with `pad` to the token's length from its
 * coords. Since reconstruction replaces only ids, never coords, a prediction always fills exactly the
 * bases the masked token covered. Bases no token covers are N.
 */
export function placeSpans(tokens: Tokens, spell: (id: number) => string | undefined, pad: string): string {
  const n = tokens.extent[0];
  const out = new Array<string>(n).fill('N');
  for (let t = 0; t < tokens.length; t++) {
    const offset = tokens.coords[t * SPAN_COORDS];
    const length = tokens.coords[t * SPAN_COORDS + 1];
    const letters = spell(tokens.ids[t]);
    for (let j = 0; j < length; j++) {
      const b = offset + j;
      if (b < 0 || b >= n) continue;
      out[b] = letters === undefined ? 'N' : j < letters.length ? letters[j] : pad;
    }
  }
  return out.join('');
}
