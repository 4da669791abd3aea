// Seeded stratified train/test split, and the validation split carved from its training side: per-class shares by largest remainder, after scikit-learn's StratifiedShuffleSplit.
import { TokbenchError } from '../harness/errors.js';
import { createRng, deriveSeed } from '../harness/random.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type Modality, type SampleOf, type SeedParams, type Split, type SplitName } from './types.js';

/** The seed that fixes the split: `split_seed` when given, else the dataset's `seed`. */
export function splitSeedOf(params: SeedParams): number {
  return params[SPLIT_SEED_PARAM] ?? params.seed;
}

/** The share of the training split a run holds out for validation (`valFraction`); 0 without a context. */
export function valFractionOf(context: Pick<DatasetContext, 'valFraction'> | undefined): number {
  return context?.valFraction ?? 0;
}

/**
 * The split generator's seed for a simulated dataset, whose `seed` also draws the data: a tagged hash
 * of the split seed and of nothing else. Why: seeding the split with the split seed itself would, at
 * the default split_seed = seed, shuffle with the very stream that drew the data; forking that stream
 * after simulating (the earlier rule) made the split depend on every simulation draw, so changing
 * `seed` would reshuffle the rows even with `split_seed` held fixed. MNIST's `seed` draws nothing
 * else, so it splits with the split seed directly and keeps its rows as they were.
 */
export function simulatedSplitSeed(splitSeed: number): number {
  return deriveSeed(splitSeed, 'dataset-split');
}

/** Source rows of each side of a split, ascending. */
export interface SplitRows {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Source rows of each side once the validation split is carved from the training side, ascending. */
export interface CarvedRows extends SplitRows {
  readonly validation: Int32Array;
}

/**
 * Draws `trainSize` training and `testSize` test rows, each side's classes in proportion to
 * their frequency in `labels`. Test rows are drawn first from each class's shuffled rows, so
 * for a given seed the test set does not depend on `trainSize` (learning curves stay paired).
 * `dataset` names the dataset in error messages.
 */
export function splitByCounts(labels: Int32Array, trainSize: number, testSize: number, seed: number, dataset: string): SplitRows {
  checkSplitSizes(labels.length, trainSize, testSize, dataset);
  return stratify(labels, trainSize, testSize, seed);
}

/**
 * Throws unless `n` samples can supply `trainSize + testSize`; shared by `splitByCounts` and the
 * datasets' `describe`. Stratifying never needs more of a class than it has: each side's shares are
 * capped by what the class has left, so the total is the only limit.
 */
export function checkSplitSizes(n: number, trainSize: number, testSize: number, dataset: string): void {
  if (trainSize + testSize > n) {
    throw new TokbenchError(
      'invalid-param',
      `The 'train_size' and 'test_size' parameters of ${dataset} must add up to at most ${n}, the number of samples available; got ${trainSize} + ${testSize} = ${trainSize + testSize} instead.`,
      ['train_size'],
    );
  }
}

/** Puts ceil(testFraction × n) rows in the test side (scikit-learn's rule) and the rest in training. */
export function splitByFraction(labels: Int32Array, testFraction: number, seed: number, dataset: string): SplitRows {
  const testSize = testSizeOf(labels.length, testFraction, dataset);
  return stratify(labels, labels.length - testSize, testSize, seed);
}

/** The test side's size under `splitByFraction`; throws if it would leave no training sample. Shared with the datasets' `describe`. */
export function testSizeOf(n: number, testFraction: number, dataset: string): number {
  const testSize = ceilShare(testFraction, n);
  if (testSize >= n) {
    throw new TokbenchError(
      'invalid-param',
      `The 'test_fraction' parameter of ${dataset} must leave at least one of its ${n} samples for training; got ${testFraction} (${testSize} test samples) instead.`,
      ['test_fraction'],
    );
  }
  return testSize;
}

/** ceil(fraction × n), scikit-learn's rule for a held-out share. */
function ceilShare(fraction: number, n: number): number {
  // toPrecision drops float noise such as 0.7 × 100 = 70.00000000000001, which ceil would make 71.
  return Math.ceil(Number((fraction * n).toPrecision(12)));
}

/**
 * The validation side's size under `carveValidation`: ceil(valFraction × trainSize) of the `trainSize` training
 * samples; throws if it would leave no training sample. Shared with the datasets' `describe`.
 */
export function validationSizeOf(trainSize: number, valFraction: number, dataset: string): number {
  const validationSize = ceilShare(valFraction, trainSize);
  if (validationSize > 0 && validationSize >= trainSize) {
    throw new TokbenchError(
      'invalid-param',
      `The 'val_fraction' parameter of train must leave at least one of the ${trainSize} training samples of ${dataset} for training; got ${valFraction} (${validationSize} validation samples) instead.`,
      ['val_fraction'],
    );
  }
  return validationSize;
}

/** `describe`'s view of carveValidation: how many of `trainSize` training samples stay and how many `context.valFraction` carves out. */
export function carvedSizes(trainSize: number, context: Pick<DatasetContext, 'valFraction'> | undefined, dataset: string): { readonly trainSize: number; readonly validationSize: number } {
  const validationSize = validationSizeOf(trainSize, valFractionOf(context), dataset);
  return { trainSize: trainSize - validationSize, validationSize };
}

/**
 * Moves ceil(valFraction × n) of the n training rows of `rows` into a validation side, classes in proportion
 * (`labels` by source row, as the split saw them; largest remainder, ties to the lower class), drawn with a
 * tagged hash of the split seed. It draws after the split, from the training side only, so the test side
 * never moves and every strategy, model and run seed gets the same three sides. An unlabelled source passes
 * one stratum (all 0), which makes the draw a seeded shuffle. A fraction of 0 leaves the training side as it is.
 */
export function carveValidation(rows: SplitRows, labels: Int32Array, valFraction: number, splitSeed: number, dataset: string): CarvedRows {
  const validationSize = validationSizeOf(rows.train.length, valFraction, dataset);
  if (validationSize === 0) return { ...rows, validation: new Int32Array(0) };
  const trainLabels = Int32Array.from(rows.train, (row) => labels[row]);
  // The training side's rows are ascending, so positions drawn ascending map to rows ascending.
  const drawn = stratify(trainLabels, rows.train.length - validationSize, validationSize, deriveSeed(splitSeed, 'validation'));
  return { train: drawn.train.map((i) => rows.train[i]), validation: drawn.test.map((i) => rows.train[i]), test: rows.test };
}

/** The samples, labels and source rows of one side of a split. */
export function takeSplit<M extends Modality>(rows: Int32Array, labels: Int32Array, sampleAt: (row: number) => SampleOf[M]): Split<M> {
  return {
    samples: Array.from(rows, sampleAt),
    labels: Int32Array.from(rows, (row) => labels[row]),
    index: rows,
  };
}

/** The samples, labels and source rows of every side of a carved split. */
export function takeSplits<M extends Modality>(rows: CarvedRows, labels: Int32Array, sampleAt: (row: number) => SampleOf[M]): Record<SplitName, Split<M>> {
  return { train: takeSplit(rows.train, labels, sampleAt), validation: takeSplit(rows.validation, labels, sampleAt), test: takeSplit(rows.test, labels, sampleAt) };
}

function stratify(labels: Int32Array, trainSize: number, testSize: number, seed: number): SplitRows {
  const members = rowsByClass(labels);
  const counts = members.map((rows) => rows.length);
  const testPerClass = allocate(testSize, counts, counts);
  const trainPerClass = allocate(trainSize, counts, counts.map((count, c) => count - testPerClass[c]));
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((rows, c) => {
    rng.shuffle(rows);
    for (let i = 0; i < testPerClass[c]; i++) test.push(rows[i]);
    for (let i = testPerClass[c]; i < testPerClass[c] + trainPerClass[c]; i++) train.push(rows[i]);
  });
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** Rows of each class 0..max(label), ascending. */
function rowsByClass(labels: Int32Array): Int32Array[] {
  let classes = 0;
  for (const label of labels) {
    if (label < 0) {
      throw new TokbenchError('input', `class labels must be non-negative; got ${label}`);
    }
    classes = Math.max(classes, label + 1);
  }
  const counts = new Int32Array(classes);
  for (const label of labels) counts[label]++;
  const members = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(classes);
  labels.forEach((label, row) => {
    members[label][filled[label]++] = row;
  });
  return members;
}

/**
 * Hamilton's largest-remainder apportionment of `total` over classes in proportion to `counts`,
 * never giving a class more than its `caps` entry; ties go to the lower class index.
 */
function allocate(total: number, counts: readonly number[], caps: readonly number[]): number[] {
  const n = counts.reduce((sum, count) => sum + count, 0);
  // Integer remainders (total × count mod n), so equal fractions tie exactly instead of by float noise.
  const shares = counts.map((count) => Math.floor((total * count) / n));
  const remainders = counts.map((count) => (total * count) % n);
  let left = total - shares.reduce((sum, share) => sum + share, 0);
  const order = counts.map((_, c) => c).sort((a, b) => remainders[b] - remainders[a] || a - b);
  // One pass suffices without caps; later passes only place what full classes turned away.
  while (left > 0) {
    for (const c of order) {
      if (left > 0 && shares[c] < caps[c]) {
        shares[c]++;
        left--;
      }
    }
  }
  return shares;
}
