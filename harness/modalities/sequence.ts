// DNA: canonical space is one code per base; errors are per-base mismatches, the baseline sees one-hot bases.
import type { ModalityAdapter } from './types.js';

const CODES: Readonly<Record<string, number>> = { A: 0, C: 1, G: 2, T: 3 };
const UNKNOWN = 4;

function codes(sequence: string): Float32Array {
  const out = new Float32Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) out[i] = CODES[sequence[i]] ?? UNKNOWN;
  return out;
}

export const sequence: ModalityAdapter<'sequence'> = {
  modality: 'sequence',
  errorKind: 'base_error',
  canonical: (sample) => codes(sample),
  error(truth, predicted, elements) {
    let sum = 0;
    let count = 0;
    for (const e of elements) {
      if (truth[e] !== predicted[e]) sum++;
      count++;
    }
    return { sum, count };
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
