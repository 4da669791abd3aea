// Which tokens masked-token pre-training hides: BERT's random positions, or DNABERT's spans of k consecutive k-mers.
import type { Rng } from '../random.js';

/** ⌈ratio × length⌉ tokens, at least one and at most all (ratio × length is rounded first so 0.15 × 20 gives 3, not 4). */
export function maskCount(length: number, ratio: number): number {
  if (length === 0) return 0;
  const exact = Math.round(ratio * length * 1e9) / 1e9;
  return Math.min(length, Math.max(1, Math.ceil(exact)));
}

/**
 * Ascending positions to hide in a sequence of `length` tokens. With span 1: maskCount distinct
 * positions drawn uniformly. With span k > 1 (overlapping k-mers, where a token's neighbours spell
 * most of it): spans of k consecutive positions, each starting uniformly in [0, length − k], are
 * added until at least maskCount positions are hidden; spans are kept whole, so up to k − 1 more
 * may be hidden, and overlapping spans count each position once.
 */
export function choosePositions(length: number, ratio: number, span: number, rng: Rng): Int32Array {
  const count = maskCount(length, ratio);
  const hidden = new Uint8Array(length);
  if (span <= 1) {
    // Partial Fisher–Yates: the first `count` entries of a shuffled 0…length−1.
    const order = Int32Array.from({ length }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(length - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
      hidden[order[i]] = 1;
    }
  } else {
    const width = Math.min(span, length);
    let hiddenCount = 0;
    while (hiddenCount < count) {
      const start = rng.int(length - width + 1);
      for (let p = start; p < start + width; p++) {
        if (hidden[p] === 0) {
          hidden[p] = 1;
          hiddenCount++;
        }
      }
    }
  }
  const positions: number[] = [];
  hidden.forEach((h, p) => {
    if (h === 1) positions.push(p);
  });
  return Int32Array.from(positions);
}
