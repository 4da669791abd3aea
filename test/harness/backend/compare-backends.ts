// Test helper: runs the same tfjs computation on two backends so kernels can be checked against the cpu backend.
import * as tf from '@tensorflow/tfjs';

export interface Result {
  readonly shape: number[];
  readonly values: number[];
}

/** Runs `f` on `backend` (already registered and initialised) and reads every output. */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(f);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const results = list.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  tf.dispose(list);
  return results;
}

/** Largest absolute difference; shapes must agree. */
export function maxDifference(a: Result[], b: Result[]): number {
  if (a.length !== b.length) throw new Error(`${a.length} outputs against ${b.length}`);
  let worst = 0;
  a.forEach((r, i) => {
    if (r.shape.join() !== b[i].shape.join()) throw new Error(`shape [${r.shape}] against [${b[i].shape}]`);
    r.values.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - b[i].values[j]));
    });
  });
  return worst;
}
