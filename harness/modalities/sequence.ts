// DNA: canonical space is one code per base; errors are per-base mismatches, the baseline sees one-hot bases.
import type { ModalityAdapter } from './types.js';

const BASES = 'ACGT';
const CODES: Readonly<Record<string, number>> = { A: 0, C: 1, G: 2, T: 3 };
const UNKNOWN = 4;

function codes(sequence: string): Float32Array {
  const out = new Float32Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) out[i] = CODES[sequence[i]] ?? UNKNOWN;
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
  // One-hot A/C/G/T per position, zero for N and beyond the sequence's end (sequences may be shorter than maxLength).
  features(sample, info) {
    const out = new Float32Array(info.maxLength * 4);
    const n = Math.min(sample.length, info.maxLength);
    for (let i = 0; i < n; i++) {
      const c = CODES[sample[i]];
      if (c !== undefined) out[i * 4 + c] = 1;
    }
    return out;
  },
};
