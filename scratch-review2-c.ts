import { patch } from './strategies/image/patch.js';
for (const [H, W, C, P] of [[28, 28, 1, 3], [5, 7, 3, 2], [4, 4, 2, 4], [3, 3, 1, 5]]) {
  const s = patch.create({ patch_size: P }, { height: H, width: W, channels: C });
  const pixels = Float32Array.from({ length: H * W * C }, (_, i) => (i + 1) / (H * W * C));
  const t = s.encode({ height: H, width: W, channels: C, pixels });
  const d = s.decode(t);
  const same = d.pixels.every((v, i) => v === pixels[i]);
  const cov = new Map<number, number>();
  let valueOk = true;
  for (let i = 0; i < t.length; i++) for (const e of Array.from(s.covers(t, i))) cov.set(e, (cov.get(e) ?? 0) + 1);
  // covers order matches values order (non-padded part)
  for (let i = 0; i < t.length; i++) {
    const c = Array.from(s.covers(t, i));
    const vals = t.values.subarray(i * P * P * C, (i + 1) * P * P * C);
    const nz = Array.from(vals).filter((v) => v !== 0);
    if (nz.length !== c.length || nz.some((v, j) => v !== pixels[c[j]])) valueOk = false;
  }
  console.log(H, W, C, P, 'len', t.length, 'roundtrip', same, 'covered once', cov.size === H * W * C && [...cov.values()].every((v) => v === 1), 'values≡covers', valueOk);
}
