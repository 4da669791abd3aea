import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mnist } from '../../../datasets/image/mnist.js';
import { SPLIT_SEED_PARAM, type LoadedDataset } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { allRows, assertSameRowsHoldSameData, rowsOf } from '../split-checks.js';

// The package's digits read independently of the loader: digit d's JSON holds `data`, 784 floats per image.
const require = createRequire(import.meta.url);
const raw = Array.from({ length: 10 }, (_, d) => {
  const parsed = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] };
  return parsed.data;
});
const perDigit = raw.map((data) => data.length / 784);
/** Digit-major source row → [digit, position within the digit's file]. */
function locate(row: number): [number, number] {
  let digit = 0;
  while (row >= perDigit[digit]) row -= perDigit[digit++];
  return [digit, row];
}

function perClass(labels: Int32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

describe('mnist', () => {
  let data: LoadedDataset<'image'>;
  before(async () => {
    data = await mnist.load(mnist.params.parse({}));
  });

  it('reads the package as 10,000 digits, ~1,000 per class', () => {
    assert.deepEqual(perDigit, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('draws 1,000 training and 500 test digits, stratified by largest remainder', () => {
    assert.equal(data.train.samples.length, 1000);
    assert.equal(data.test.samples.length, 500);
    // 1000 × perDigit / 10000 and 500 × perDigit / 10000, rounded by largest remainder.
    assert.deepEqual(perClass(data.train.labels), [100, 113, 99, 103, 98, 86, 102, 107, 94, 98]);
    assert.deepEqual(perClass(data.test.labels), [50, 56, 50, 52, 49, 43, 51, 53, 47, 49]);
    const train = new Set(data.train.index);
    assert.ok(data.test.index.every((row) => !train.has(row)));
  });

  it('describes 28×28 grey images with class names 0–9', () => {
    assert.deepEqual(data.info, { height: 28, width: 28, channels: 1 });
    assert.deepEqual(data.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('maps every source index back to the package entry, pixel for pixel', () => {
    for (const side of [data.train, data.test]) {
      side.samples.forEach((sample, i) => {
        const [digit, position] = locate(side.index[i]);
        assert.equal(side.labels[i], digit);
        assert.equal(sample.pixels.length, 784);
        const expected = Float32Array.from(raw[digit].slice(position * 784, (position + 1) * 784));
        assert.deepEqual(sample.pixels, expected);
        for (const value of sample.pixels) assert.ok(value >= 0 && value <= 1);
      });
    }
  });

  it('holds known pixels of known digits', async () => {
    const all = await mnist.load(mnist.params.parse({ train_size: 9000, test_size: 1000 }));
    const pixelsAt = (row: number) => {
      for (const side of [all.train, all.test]) {
        const i = side.index.indexOf(row);
        if (i >= 0) return side.samples[i].pixels;
      }
      throw new Error(`row ${row} missing`);
    };
    // First '0' in 0.json: its first inked pixel is row 4, column 15, intensity 0.2, then 0.624.
    assert.equal(pixelsAt(0)[4 * 28 + 15], Math.fround(0.2));
    assert.equal(pixelsAt(0)[4 * 28 + 16], Math.fround(0.624));
    // Sixth '7' (position 5 in 7.json) is row 1001+1127+991+1032+980+863+1014+5 = 7013; pixel (14, 16) is 0.741.
    assert.equal(pixelsAt(7013)[14 * 28 + 16], Math.fround(0.741));
  });

  it('parses the package once per process', async () => {
    const again = await mnist.load(mnist.params.parse({ seed: 4 }));
    assert.equal(again.train.samples[0].pixels.buffer, data.train.samples[0].pixels.buffer);
  });

  it('fixes the split by its own seed', async () => {
    const same = await mnist.load(mnist.params.parse({}));
    const other = await mnist.load(mnist.params.parse({ seed: 2 }));
    assert.deepEqual(same.train.index, data.train.index);
    assert.deepEqual(same.test.index, data.test.index);
    assert.notDeepEqual(other.test.index, data.test.index);
  });

  it('says how many digits there are when asked for more', async () => {
    await assert.rejects(
      mnist.load(mnist.params.parse({ train_size: 9600, test_size: 500 })),
      (error: unknown) => error instanceof TokbenchError && error.code === 'invalid-param' && error.message.includes('at most 10000'),
    );
  });

  it('describes what load gives and the ten digit files it reads', async () => {
    const shape = await assertDescribeMatchesLoad(mnist, mnist.params.parse({ train_size: 300, test_size: 200 }));
    assert.deepEqual(shape, {
      info: { height: 28, width: 28, channels: 1 },
      trainSize: 300,
      validationSize: 0,
      testSize: 200,
      classes: 10,
      files: Array.from({ length: 10 }, (_, d) => require.resolve(`mnist/src/digits/${d}.json`)),
    });
  });

  it('refuses more digits than there are in describe as in load, at train_size', async () => {
    await assertBothRefuse(mnist, mnist.params.parse({ train_size: 9600, test_size: 500 }), ['train_size']);
  });

  it('rejects unknown and out-of-range parameters', () => {
    assert.equal(mnist.params.safeParse({ train_sise: 10 }).success, false);
    assert.equal(mnist.params.safeParse({ test_size: 0 }).success, false);
    assert.equal(mnist.params.safeParse({ seed: -1 }).success, false);
  });

  describe('split_seed', () => {
    const load = async (params: object) => mnist.load(mnist.params.parse(params));

    it('is absent from the resolved params unless written, and ranges like seed', () => {
      assert.equal(SPLIT_SEED_PARAM in mnist.params.parse({}), false);
      assert.equal(mnist.params.parse({ split_seed: 0 }).split_seed, 0);
      for (const bad of [-1, 2 ** 32, 1.5]) assert.equal(mnist.params.safeParse({ split_seed: bad }).success, false, String(bad));
    });

    it('keeps the default split of seed 0 row for row, and splits as split_seed = seed when omitted', async () => {
      // The first rows of each side as drawn before split_seed existed.
      assert.deepEqual([...data.test.index.subarray(0, 6)], [30, 43, 44, 47, 54, 86]);
      assert.deepEqual([...data.train.index.subarray(0, 6)], [24, 27, 32, 34, 55, 75]);
      assert.deepEqual(rowsOf(await load({ split_seed: 0 })), rowsOf(data));
      assert.deepEqual(rowsOf(await load({ seed: 3 })), rowsOf(await load({ seed: 3, split_seed: 3 })));
    });

    it('overrides seed, which fixes nothing else', async () => {
      assert.deepEqual(rowsOf(await load({ seed: 9, split_seed: 3 })), rowsOf(await load({ seed: 3 })));
    });

    it('moves digits between the sides but never changes what a row holds', async () => {
      const other = await load({ split_seed: 1 });
      assert.notDeepEqual(rowsOf(other).test, rowsOf(data).test);
      assert.notDeepEqual(rowsOf(other).train, rowsOf(data).train);
      assert.ok(assertSameRowsHoldSameData(data, other) > 0);
      // Sizes covering all 10,000 digits: both split seeds hold every row, each with the same digit.
      const [a, b] = await Promise.all([0, 1].map((splitSeed) => load({ train_size: 9000, test_size: 1000, split_seed: splitSeed })));
      assert.notDeepEqual(rowsOf(a).test, rowsOf(b).test);
      const everyRow = Array.from({ length: 10_000 }, (_, row) => row);
      assert.deepEqual(allRows(a), everyRow);
      assert.deepEqual(allRows(b), everyRow);
      assert.equal(assertSameRowsHoldSameData(a, b), 10_000);
    });

    it('stays stratified under every split seed', async () => {
      for (const splitSeed of [1, 2, 3]) {
        const other = await load({ split_seed: splitSeed });
        assert.deepEqual(perClass(other.train.labels), [100, 113, 99, 103, 98, 86, 102, 107, 94, 98], `split_seed ${splitSeed}`);
        assert.deepEqual(perClass(other.test.labels), [50, 56, 50, 52, 49, 43, 51, 53, 47, 49], `split_seed ${splitSeed}`);
      }
    });
  });
});
