// DNA: canonical space is one code per base; errors are per-base mismatches, the baseline sees the k-mer spectrum.
import type { ModalityAdapter } from './types.js';

const BASES = 'ACGT';
const CODES: Readonly<Record<string, number>> = { A: 0, C: 1, G: 2, T: 3 };
const UNKNOWN = 4;

function codes(sequence: string): Float32Array {
  const out = new Float32Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) out[i] = CODES[sequence[i]] ?? UNKNOWN;
  return out;
}

/** k-mer lengths of the baseline's spectrum: every 3-, 4-, 5- and 6-mer, 5,440 features. */
export const SPECTRUM_K = [3, 4, 5, 6] as const;

/**
 * The k-mer spectrum: for each k in SPECTRUM_K, the share of the sequence's windows of k bases (those without
 * N) spelling each k-mer, in base-4 order with digits A C G T. Position-free, so a motif counts wherever it
 * sits: the standard strong baseline for sequence classification, where one-hot bases sit at chance.
 */
export function kmerSpectrum(sequence: string): Float32Array {
  const out = new Float32Array(SPECTRUM_K.reduce((n, k) => n + 4 ** k, 0));
  let offset = 0;
  for (const k of SPECTRUM_K) {
    const size = 4 ** k;
    let code = 0;
    let valid = 0;
    let windows = 0;
    for (let i = 0; i < sequence.length; i++) {
      const digit = CODES[sequence[i]];
      // A non-ACGT base ends every window that holds it.
      valid = digit === undefined ? 0 : valid + 1;
      code = ((code << 2) | (digit ?? 0)) & (size - 1);
      if (valid >= k) {
        out[offset + code]++;
        windows++;
      }
    }
    if (windows > 0) for (let j = offset; j < offset + size; j++) out[j] /= windows;
    offset += size;
  }
  return out;
}

/** The most frequent of A, C, G, T in the training sequences (ties to the first in that order). */
export function mostFrequentBase(train: readonly string[]): string {
  const counts = [0, 0, 0, 0];
  for (const sequence of train) for (const base of sequence) if (CODES[base] !== undefined) counts[CODES[base]]++;
  return BASES[counts.indexOf(Math.max(...counts))];
}

export const sequence: ModalityAdapter<'sequence'> = {
  modality: 'sequence',
  canonical: (sample) => codes(sample),
  error(truth, predicted, elements) {
    let sum = 0;
    let count = 0;
    if (elements === undefined) {
      for (let e = 0; e < truth.length; e++) if (truth[e] !== predicted[e]) sum++;
      return { sum, count: truth.length };
    }
    for (const e of elements) {
      if (truth[e] !== predicted[e]) sum++;
      count++;
    }
    return { sum, count };
  },
  fitReference(train) {
    const code = CODES[mostFrequentBase(train)];
    return (sample) => new Float32Array(sample.length).fill(code);
  },
  fitFeatures: () => kmerSpectrum,
};
