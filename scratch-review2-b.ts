import { rank } from './strategies/expression/rank.js';
import { syntheticExpression } from './datasets/expression/synthetic-expression.js';
const ds = await syntheticExpression.load(syntheticExpression.params.parse({ cells: 300, genes: 200 }));
const G = ds.info.genes.length;
const s = rank.create(rank.params.parse({ max_len: 50 }), ds.info);
s.fit(ds.train.samples);
// reference medians
const per: number[][] = Array.from({ length: G }, () => []);
for (const c of ds.train.samples) c.genes.forEach((g, i) => { if (c.counts[i] > 0) per[g].push(c.counts[i] / c.librarySize * 1e4); });
const med = per.map((v) => { if (!v.length) return 0; v.sort((a, b) => a - b); const n = v.length; return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; });
let maxd = 0; med.forEach((m, g) => maxd = Math.max(maxd, Math.abs(m - s.state!.medians[g]) / (m || 1)));
console.log('median maxreldiff', maxd);
let mism = 0, dropSum = 0;
for (const c of ds.test.samples) {
  const keys: [number, number][] = [];
  c.genes.forEach((g, i) => { if (c.counts[i] > 0 && med[g] > 0) keys.push([g, c.counts[i] / c.librarySize * 1e4 / med[g]]); });
  keys.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const want = keys.slice(0, 50).map(([g]) => g + 2);
  const t = s.encode(c);
  if (Array.from(t.ids).join() !== want.join()) mism++;
  dropSum += t.dropped;
}
console.log('rank mismatches', mism, 'of', ds.test.samples.length, 'mean dropped', dropSum / ds.test.samples.length);
console.log('classes train/test', [0,1,2,3].map(c=>ds.train.labels.filter(l=>l===c).length), [0,1,2,3].map(c=>ds.test.labels.filter(l=>l===c).length));
console.log('overlap', ds.train.index.filter(i=>ds.test.index.includes(i)).length);
const t0 = s.encode(ds.test.samples[0]);
const d = s.decode(t0);
console.log('decode n', d.genes.length, t0.length, 'libsize', ds.test.samples[0].librarySize);
