// Checks shared by the datasets' `split_seed` tests: which source rows each side holds, and what each row holds.
import assert from 'node:assert/strict';
import type { LoadedDataset, Modality, SampleOf } from '../../datasets/types.js';

/** Each side's source rows as plain arrays, so a failing comparison prints readably. */
export function rowsOf(data: LoadedDataset): { train: number[]; test: number[] } {
  return { train: [...data.train.index], test: [...data.test.index] };
}

/** Every source row either side holds, ascending. */
export function allRows(data: LoadedDataset): number[] {
  return [...data.train.index, ...data.test.index].sort((a, b) => a - b);
}

/** Source row → the sample and label it holds, over both sides. */
export function bySourceRow<M extends Modality>(data: LoadedDataset<M>): Map<number, { sample: SampleOf[M]; label: number }> {
  const out = new Map<number, { sample: SampleOf[M]; label: number }>();
  for (const side of [data.train, data.test]) {
    side.index.forEach((row, i) => out.set(row, { sample: side.samples[i], label: side.labels[i] }));
  }
  return out;
}

/** Asserts that every source row both loads hold carries the identical sample and label; returns how many rows that was. */
export function assertSameRowsHoldSameData<M extends Modality>(a: LoadedDataset<M>, b: LoadedDataset<M>): number {
  const left = bySourceRow(a);
  let shared = 0;
  for (const [row, right] of bySourceRow(b)) {
    const held = left.get(row);
    if (held === undefined) continue;
    assert.deepEqual(right, held, `source row ${row}`);
    shared++;
  }
  return shared;
}

/**
 * Loads `params` with seed 5 and split seed 5 (the default) and 6, and asserts that the split seed moved
 * rows between the sides, that both splits hold all `rows` source rows, and that every row holds the same data.
 */
export async function assertSplitSeedMovesRowsOnly(load: (params: object) => Promise<LoadedDataset>, params: object, rows: number): Promise<void> {
  const a = await load({ ...params, seed: 5 });
  const b = await load({ ...params, seed: 5, split_seed: 6 });
  assert.notDeepEqual(rowsOf(a).test, rowsOf(b).test);
  assert.notDeepEqual(rowsOf(a).train, rowsOf(b).train);
  const everyRow = Array.from({ length: rows }, (_, row) => row);
  assert.deepEqual(allRows(a), everyRow);
  assert.deepEqual(allRows(b), everyRow);
  assert.equal(assertSameRowsHoldSameData(a, b), rows);
}

/** Samples of each class 0..classes-1 among `labels`. */
export function perClass(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}
