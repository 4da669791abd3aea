// Byte-pair encoding's two halves on whole sequences: learning merges (Sennrich et al. 2016; the counting and tie rule of Hugging Face tokenizers' BpeTrainer) and applying them (its BPE model's merge_word).
import { TokbenchError } from '../../harness/errors.js';

/** A learned BPE vocabulary. */
export interface BpeModel {
  /** Token strings by id: the given specials, the training split's letters in code-unit order, then every new token in the order learned. */
  readonly vocab: readonly string[];
  /** Merges in the order learned: [left id, right id, result id]. */
  readonly merges: readonly (readonly [number, number, number])[];
}

/** Binary heap: `pop` returns the item that comes `before` all others. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const { items, before } = this;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const { items, before } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && before(items[l], items[m])) m = l;
      if (r < items.length && before(items[r], items[m])) m = r;
      if (m === i) break;
      [items[i], items[m]] = [items[m], items[i]];
      i = m;
    }
    return top;
  }
}

/**
 * Learns merges until the vocabulary (specials + letters + new tokens) holds `vocabSize` tokens or no
 * adjacent pair is left (every training sequence is one token), whichever comes first.
 *
 * Each distinct training sequence is one word weighted by how often it occurs. A pair's count is the
 * number of adjacent positions holding it, over all words (AAA holds (A, A) twice). The most frequent
 * pair is merged; a tie goes to the pair with the smaller left id, then the smaller right id (ids in
 * vocabulary order: letters in code-unit order, then new tokens in learned order), which is the order
 * of Hugging Face's BpeTrainer. Merging replaces the pair's occurrences in each word from left to right
 * (AAA → AA A). A merge whose result spells an existing token (A + CG after AC + G) reuses that
 * token's id and adds none; a pair is merged at most once, even if later merges rebuild it.
 * Counts are kept exact incrementally: a merge recounts only the words that held its pair.
 */
export function learnBpe(train: readonly string[], vocabSize: number, specials: readonly string[]): BpeModel {
  const frequency = new Map<string, number>();
  for (const sequence of train) frequency.set(sequence, (frequency.get(sequence) ?? 0) + 1);
  const letters = new Set<string>();
  for (const sequence of frequency.keys()) for (let i = 0; i < sequence.length; i++) letters.add(sequence[i]);
  const alphabet = [...letters].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  const vocab = [...specials, ...alphabet];
  if (vocab.length > vocabSize) {
    throw new TokbenchError(
      'invalid-param',
      `The 'vocab_size' parameter of bpe must be at least ${vocab.length} (${specials.length} specials and the ${alphabet.length} letters ${alphabet.join(', ')} of the training split); got ${vocabSize} instead.`,
      ['vocab_size'],
    );
  }
  const idOf = new Map(vocab.map((token, id) => [token, id]));
  const words = [...frequency.keys()].map((sequence) => Array.from(sequence, (letter) => idOf.get(letter) as number));
  const weights = [...frequency.values()];

  // Pair (a, b) is the key a·V + b, V = vocabSize > every id, so keys order pairs as (a, b) do.
  const V = vocabSize;
  const counts = new Map<number, number>();
  /** Words that held the pair when it was counted (a superset of those that still do). */
  const where = new Map<number, Set<number>>();
  const count = (w: number, sign: 1 | -1, touched?: Map<number, number>) => {
    const word = words[w];
    for (let i = 0; i + 1 < word.length; i++) {
      const key = word[i] * V + word[i + 1];
      const before = counts.get(key) ?? 0;
      if (touched !== undefined && !touched.has(key)) touched.set(key, before);
      counts.set(key, before + sign * weights[w]);
      if (sign === 1) {
        let set = where.get(key);
        if (set === undefined) where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  words.forEach((_, w) => count(w, 1));

  // A lazy max-heap of (count, key): an entry is current when its count equals the pair's count; every
  // increase pushes an entry, so each pair with a positive count has one at least as large as its count.
  const heap = new Heap<readonly [number, number]>((x, y) => x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]));
  for (const [key, c] of counts) heap.push([c, key]);
  const merged = new Set<number>();
  const merges: [number, number, number][] = [];

  while (vocab.length < vocabSize) {
    const entry = heap.pop();
    if (entry === undefined) break;
    const [stored, key] = entry;
    const current = counts.get(key) ?? 0;
    if (merged.has(key) || current <= 0 || current > stored) continue;
    if (current < stored) {
      heap.push([current, key]);
      continue;
    }
    const a = Math.floor(key / V);
    const b = key % V;
    const token = vocab[a] + vocab[b];
    let id = idOf.get(token);
    if (id === undefined) {
      id = vocab.push(token) - 1;
      idOf.set(token, id);
    }
    merges.push([a, b, id]);
    merged.add(key);
    const touched = new Map<number, number>();
    for (const w of [...(where.get(key) ?? [])].sort((x, y) => x - y)) {
      const word = words[w];
      let holds = false;
      for (let i = 0; i + 1 < word.length && !holds; i++) holds = word[i] === a && word[i + 1] === b;
      if (!holds) continue;
      count(w, -1, touched);
      const out: number[] = [];
      for (let i = 0; i < word.length; ) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          out.push(id);
          i += 2;
        } else out.push(word[i++]);
      }
      words[w] = out;
      count(w, 1, touched);
    }
    where.delete(key);
    for (const [k, before] of touched) {
      const c = counts.get(k) ?? 0;
      if (c === 0) counts.delete(k);
      else if (c > before) heap.push([c, k]);
    }
  }
  return { vocab, merges };
}

/** Applies learned merges to letter ids, as an encoder built from a `BpeModel`. */
export interface BpeEncoder {
  /** Token ids of one sequence and the offset of each token's first letter; letters outside the vocabulary become `unk`, which no merge joins. */
  encode(sequence: string): { readonly ids: Int32Array; readonly starts: Int32Array };
}

/**
 * The BPE model of Hugging Face tokenizers (merge_word): start from one token per letter and merge,
 * again and again, the adjacent pair of lowest merge rank anywhere in the sequence (leftmost first
 * among equals), until no adjacent pair has a merge. Runs in O(n log n) with a heap of candidate
 * pairs and a linked list of the current tokens.
 */
export function bpeEncoder(model: BpeModel, unk: number): BpeEncoder {
  const letterId = new Map<string, number>();
  model.vocab.forEach((token, id) => {
    if (token.length === 1 && !letterId.has(token)) letterId.set(token, id);
  });
  const V = model.vocab.length;
  const rankOf = new Map<number, number>();
  model.merges.forEach(([a, b], rank) => {
    if (!rankOf.has(a * V + b)) rankOf.set(a * V + b, rank);
  });
  return {
    encode(sequence: string) {
      const n = sequence.length;
      const ids = new Int32Array(n);
      for (let i = 0; i < n; i++) ids[i] = letterId.get(sequence[i]) ?? unk;
      const next = Int32Array.from({ length: n }, (_, i) => i + 1);
      const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
      const alive = new Uint8Array(n).fill(1);
      // Candidates rank·n + position of the left token: lowest rank first, then leftmost.
      const heap = new Heap<number>((x, y) => x < y);
      const offer = (i: number) => {
        const j = next[i];
        if (j >= n) return;
        const rank = rankOf.get(ids[i] * V + ids[j]);
        if (rank !== undefined) heap.push(rank * n + i);
      };
      for (let i = 0; i + 1 < n; i++) offer(i);
      let remaining = n;
      for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) {
        const i = entry % n;
        const rank = (entry - i) / n;
        const j = next[i];
        // Stale: the left token was merged away, has no right neighbour, or the pair changed since.
        if (alive[i] === 0 || j >= n || rankOf.get(ids[i] * V + ids[j]) !== rank) continue;
        ids[i] = model.merges[rank][2];
        alive[j] = 0;
        next[i] = next[j];
        if (next[j] < n) prev[next[j]] = i;
        remaining--;
        if (prev[i] >= 0) offer(prev[i]);
        offer(i);
      }
      // The first letter is never a right part, so the surviving tokens start at 0 and follow `next`.
      const out = new Int32Array(remaining);
      const starts = new Int32Array(remaining);
      for (let i = 0, t = 0; i < n; i = next[i], t++) {
        out[t] = ids[i];
        starts[t] = i;
      }
      return { ids: out, starts };
    },
  };
}
