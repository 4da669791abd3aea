import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { carveValidation, simulatedSplitSeed, splitByCounts, splitByFraction, splitSeedOf, takeSplit, takeSplits, validationSizeOf, valFractionOf } from '../../datasets/split.js';
import { SPLIT_SEED_PARAM } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import { deriveSeed } from '../../harness/random.js';

/** Rows per class of one side of a split. */
function perClass(labels: Int32Array, rows: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const row of rows) counts[labels[row]]++;
  return counts;
}

function assertAscendingDisjoint(train: Int32Array, test: Int32Array, n: number): void {
  for (const rows of [train, test]) {
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1] < rows[i], 'rows ascending');
    for (const row of rows) assert.ok(row >= 0 && row < n);
  }
  const seen = new Set(train);
  for (const row of test) assert.ok(!seen.has(row), `row ${row} in both splits`);
}

// Classes 0, 1, 2 with 6, 3 and 1 rows, interleaved.
const labels = Int32Array.from([0, 1, 0, 0, 2, 1, 0, 0, 1, 0]);

describe('splitByCounts', () => {
  it('apportions each side by largest remainder', () => {
    const { train, test } = splitByCounts(labels, 5, 3, 7, 'toy');
    // Test quotas 1.8, 0.9, 0.3 → floors 1, 0, 0; the 2 left go to the largest remainders (.9, .8).
    assert.deepEqual(perClass(labels, test, 3), [2, 1, 0]);
    // Train quotas 3, 1.5, 0.5 → floors 3, 1, 0; the tie .5/.5 goes to the lower class.
    assert.deepEqual(perClass(labels, train, 3), [3, 2, 0]);
    assertAscendingDisjoint(train, test, labels.length);
  });

  it('never gives a class more rows than it has left after the test draw', () => {
    const three = Int32Array.from([0, 1, 2]);
    const { train, test } = splitByCounts(three, 1, 2, 1, 'toy');
    // Test quotas 2/3 each: classes 0 and 1 win the tie; training can then only use class 2.
    assert.deepEqual([...test], [0, 1]);
    assert.deepEqual([...train], [2]);
  });

  it('is deterministic in the seed and changes with it', () => {
    const many = Int32Array.from({ length: 200 }, (_, i) => i % 3);
    const a = splitByCounts(many, 60, 40, 2, 'toy');
    const b = splitByCounts(many, 60, 40, 2, 'toy');
    const c = splitByCounts(many, 60, 40, 3, 'toy');
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
    assert.notDeepEqual(a.train, c.train);
  });

  it('keeps the test set fixed when only the training size changes', () => {
    const many = Int32Array.from({ length: 200 }, (_, i) => i % 3);
    assert.deepEqual(splitByCounts(many, 20, 50, 5, 'toy').test, splitByCounts(many, 150, 50, 5, 'toy').test);
  });

  it('says how many samples there are when the sizes ask for more', () => {
    assert.throws(
      () => splitByCounts(labels, 8, 3, 0, 'toy'),
      (error: unknown) =>
        error instanceof TokbenchError &&
        error.code === 'invalid-param' &&
        error.message ===
          "The 'train_size' and 'test_size' parameters of toy must add up to at most 10, the number of samples available; got 8 + 3 = 11 instead.",
    );
  });
});

describe('splitByFraction', () => {
  it('puts ceil(fraction × n) rows in the test side and the rest in training', () => {
    const { train, test } = splitByFraction(labels, 0.3, 4, 'toy');
    assert.equal(test.length, 3);
    assert.equal(train.length, 7);
    assert.deepEqual(perClass(labels, test, 3), [2, 1, 0]);
    assert.deepEqual(perClass(labels, train, 3), [4, 2, 1]);
    assertAscendingDisjoint(train, test, labels.length);
  });

  it('ignores float noise in fraction × n (0.7 × 100 is 70, not 71)', () => {
    const hundred = Int32Array.from({ length: 100 }, (_, i) => i % 2);
    assert.equal(splitByFraction(hundred, 0.7, 0, 'toy').test.length, 70);
  });

  it('rejects a fraction that leaves nothing to train on', () => {
    assert.throws(
      () => splitByFraction(labels, 0.95, 0, 'toy'),
      (error: unknown) =>
        error instanceof TokbenchError &&
        error.code === 'invalid-param' &&
        error.message ===
          "The 'test_fraction' parameter of toy must leave at least one of its 10 samples for training; got 0.95 (10 test samples) instead.",
    );
  });
});

describe('carveValidation', () => {
  // splitByFraction(labels, 0.3, 4): training rows 1, 2, 3, 4, 6, 8, 9 (classes 0, 1, 2: rows 2, 3, 6, 9 / 1, 8 / 4), test rows 0, 5, 7.
  const rows = splitByFraction(labels, 0.3, 4, 'toy');

  it('moves ceil(fraction × n) training rows, classes by largest remainder, and leaves the test side alone', () => {
    assert.deepEqual([[...rows.train], [...rows.test]], [[1, 2, 3, 4, 6, 8, 9], [0, 5, 7]]);
    const carved = carveValidation(rows, labels, 0.3, 4, 'toy');
    // ceil(0.3 × 7) = 3; quotas 12/7, 6/7, 3/7 → floors 1, 0, 0; the 2 left go to the remainders 6/7 and 5/7 (classes 1, 0).
    assert.deepEqual(perClass(labels, carved.validation, 3), [2, 1, 0]);
    assert.deepEqual(perClass(labels, carved.train, 3), [2, 1, 1]);
    // Pinned: rows 2 and 3 of class 0 and row 8 of class 1, drawn with the split seed 4's tagged stream.
    assert.deepEqual([[...carved.train], [...carved.validation]], [[1, 4, 6, 9], [2, 3, 8]]);
    assert.equal(carved.test, rows.test);
    assertAscendingDisjoint(carved.train, carved.validation, labels.length);
  });

  it("draws as splitByCounts' test side over the training rows, seeded by the split seed's 'validation' hash", () => {
    const trainLabels = Int32Array.from(rows.train, (row) => labels[row]);
    const drawn = splitByCounts(trainLabels, 4, 3, deriveSeed(4, 'validation'), 'toy');
    const carved = carveValidation(rows, labels, 0.3, 4, 'toy');
    assert.deepEqual(carved.validation, drawn.test.map((i) => rows.train[i]));
    assert.deepEqual(carved.train, drawn.train.map((i) => rows.train[i]));
  });

  it('never moves a row between training and test, whatever the fraction, and depends on the split seed alone', () => {
    for (const fraction of [0.1, 0.3, 0.5, 0.8]) {
      const carved = carveValidation(rows, labels, fraction, 4, 'toy');
      assert.equal(carved.test, rows.test);
      assert.deepEqual([...carved.train, ...carved.validation].sort((a, b) => a - b), [...rows.train]);
    }
    assert.deepEqual(carveValidation(rows, labels, 0.3, 4, 'toy'), carveValidation(rows, labels, 0.3, 4, 'toy'));
    assert.notDeepEqual(carveValidation(rows, labels, 0.3, 4, 'toy').validation, carveValidation(rows, labels, 0.3, 3, 'toy').validation);
  });

  it('leaves the training side as it is at 0, with an empty validation side', () => {
    const carved = carveValidation(rows, labels, 0, 4, 'toy');
    assert.equal(carved.train, rows.train);
    assert.equal(carved.test, rows.test);
    assert.equal(carved.validation.length, 0);
    assert.equal(valFractionOf(undefined), 0);
    assert.equal(valFractionOf({}), 0);
    assert.equal(valFractionOf({ valFraction: 0.2 }), 0.2);
  });

  it('ignores float noise in fraction × n (0.7 × 100 is 70, not 71)', () => {
    assert.equal(validationSizeOf(100, 0.7, 'toy'), 70);
    const hundred = Int32Array.from({ length: 100 }, (_, i) => i % 2);
    const everyRow = { train: Int32Array.from(hundred.keys()), test: new Int32Array(0) };
    assert.equal(carveValidation(everyRow, hundred, 0.7, 0, 'toy').validation.length, 70);
  });

  it('refuses a fraction that leaves nothing to train on, naming val_fraction and the dataset', () => {
    assert.throws(
      () => carveValidation(rows, labels, 0.9, 4, 'toy'),
      (error: unknown) =>
        error instanceof TokbenchError &&
        error.code === 'invalid-param' &&
        error.path.join('.') === 'val_fraction' &&
        error.message === "The 'val_fraction' parameter of train must leave at least one of the 7 training samples of toy for training; got 0.9 (7 validation samples) instead.",
    );
    // One training sample cannot spare any; none at all needs no validation either.
    assert.throws(() => validationSizeOf(1, 0.01, 'toy'), /at least one of the 1 training samples of toy/);
    assert.equal(validationSizeOf(0, 0, 'toy'), 0);
    assert.equal(validationSizeOf(7, 0.85, 'toy'), 6);
  });
});

describe('takeSplit', () => {
  it('gathers samples and labels of the given rows', () => {
    const rows = Int32Array.from([1, 4]);
    const side = takeSplit<'sequence'>(rows, labels, (row) => `s${row}`);
    assert.deepEqual(side.samples, ['s1', 's4']);
    assert.deepEqual([...side.labels], [1, 2]);
    assert.equal(side.index, rows);
  });
});

describe('takeSplits', () => {
  it('gathers every side of a carved split', () => {
    const sides = takeSplits<'sequence'>({ train: Int32Array.of(0, 2), validation: Int32Array.of(4), test: Int32Array.of(1) }, labels, (row) => `s${row}`);
    assert.deepEqual([sides.train.samples, sides.validation.samples, sides.test.samples], [['s0', 's2'], ['s4'], ['s1']]);
    assert.deepEqual([[...sides.train.labels], [...sides.validation.labels], [...sides.test.labels]], [[0, 0], [2], [1]]);
  });
});

describe('split seeds', () => {
  it('names the parameter once', () => {
    assert.equal(SPLIT_SEED_PARAM, 'split_seed');
  });

  it('takes split_seed when given (0 included), else seed', () => {
    assert.equal(splitSeedOf({ seed: 3 }), 3);
    assert.equal(splitSeedOf({ seed: 3, split_seed: 5 }), 5);
    assert.equal(splitSeedOf({ seed: 3, split_seed: 0 }), 0);
  });

  it('seeds a simulated dataset\'s split with a tagged hash of the split seed, never the seed itself', () => {
    // FNV-1a of "<split seed>\u0000dataset-split": pinned, so the rule cannot drift and reshuffle saved splits.
    assert.deepEqual([0, 1, 7].map(simulatedSplitSeed), [1416905138, 4225988897, 2570511435]);
  });
});
