import { kmer } from './strategies/sequence/kmer.js';
import { rank } from './strategies/expression/rank.js';
import { createDescendingSorter } from './strategies/expression/descending-order.js';
import { createRng } from './harness/random.js';
import { choosePositions, maskCount } from './harness/training/masking.js';
import { splitByFraction, splitByCounts } from './datasets/split.js';

// kmer
const s3 = kmer.create(kmer.params.parse({ k: 3 }), { maxLength: 20 });
const t = s3.encode('AATGCNAC');
console.log('kmer ids', Array.from(t.ids), Array.from({length:t.length},(_,i)=>s3.label(t,i)), t.dropped, s3.decode(t));
const s6 = kmer.create(kmer.params.parse({ k: 6, max_len: 3 }), { maxLength: 20 });
const t6 = s6.encode('ACGTACGTAC');
console.log('k6 trunc', t6.length, t6.dropped, s6.decode(t6), Array.from({length:t6.length},(_,i)=>s6.label(t6,i)));

// sorter vs naive
const rng = createRng(1);
for (let trial = 0; trial < 2000; trial++) {
  const n = 1 + rng.int(300);
  const s = createDescendingSorter(n);
  const keys: number[] = [];
  for (let i = 0; i < n; i++) { const v = rng.uniform() < 0.3 ? [1, 2.5, 1e-9, 1e9][rng.int(4)] : Math.exp(rng.normal(0, 5)); keys.push(v); s.keys[i] = v; }
  const got = Array.from(s.order(n));
  const want = keys.map((_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
  if (got.join() !== want.join()) { console.log('SORT MISMATCH', n); break; }
}
console.log('sorter ok');

// masking
for (const [len, r, sp] of [[10, 0.15, 6], [3, 0.15, 6], [510, 0.15, 6], [20, 0.15, 1]] as const) {
  const pos = choosePositions(len, r, sp, createRng(3));
  console.log('mask', len, sp, maskCount(len, r), Array.from(pos).join(','));
}
// split
const labels = Int32Array.from({ length: 103 }, (_, i) => (i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
const rows = splitByFraction(labels, 0.3, 5, 'x');
const cnt = (r: Int32Array) => [0, 1, 2].map((c) => Array.from(r).filter((x) => labels[x] === c).length);
console.log('split', rows.train.length, rows.test.length, cnt(rows.train), cnt(rows.test), cnt(Int32Array.from(labels.keys())), new Set([...rows.train, ...rows.test]).size);
const r2 = splitByCounts(labels, 20, 30, 5, 'x');
const r3 = splitByCounts(labels, 60, 30, 5, 'x');
console.log('paired test', r2.test.join() === r3.test.join(), cnt(r2.train), cnt(r2.test));
