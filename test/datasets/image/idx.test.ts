import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idx } from '../../../datasets/image/idx.js';
import type { LoadedDataset } from '../../../datasets/types.js';
import { describeIssue } from '../../../harness/validation/zod-issues.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass, rowsOf } from '../split-checks.js';

// Fixtures from test/fixtures/images/make-fixtures.ts. train-*: 6 images of 2 × 3 whose pixel (y, x) of
// image k is 40k + 10y + x, labels 2, 0, 1, 1, 0, 2; t10k-*: 3 images of 2 × 3, pixel 255 − (40k + 10y + x), labels 0, 1, 2.
const fixtures = fileURLToPath(new URL('../../fixtures/images/idx/', import.meta.url));
const context = { baseDir: fixtures };
const parse = (params: object) => idx.params.parse(params);
const load = (params: object) => idx.load(parse(params), context);
const TRAIN = { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' };
const OWN_TEST = { ...TRAIN, test_images: 't10k-images-idx3-ubyte', test_labels: 't10k-labels-idx1-ubyte' };
const TRAIN_LABELS = [2, 0, 1, 1, 0, 2];

/** Image k of a fixture as [0, 1] intensities: `value(k, y, x)` / 255 over its 2 × 3 pixels. */
function image(k: number, value: (k: number, y: number, x: number) => number): Float32Array {
  return Float32Array.from([0, 1, 2, 10, 11, 12], (offset) => value(k, Math.floor(offset / 10), offset % 10) / 255);
}
const trainValue = (k: number, y: number, x: number) => 40 * k + 10 * y + x;
const testValue = (k: number, y: number, x: number) => 255 - trainValue(k, y, x);

/** The params' problems as the config layer words them: "field: found …; expected …". */
function problems(params: object): string[] | undefined {
  return idx.params.safeParse(params).error?.issues.flatMap((issue) => describeIssue(issue, params, 'invalid-param').map((p) => `${p.path.join('.')}: ${p.message}`));
}

/** Source row → [pixels, label] over both sides. */
function held(data: LoadedDataset<'image'>): Map<number, [Float32Array, number]> {
  return new Map([...bySourceRow(data)].map(([row, { sample, label }]) => [row, [sample.pixels, label]]));
}

describe('idx', () => {
  it('reads raw and gzipped files alike, scaling bytes by /255, labels as class indices', async () => {
    const raw = await load(TRAIN);
    const gz = await load({ images: `${TRAIN.images}.gz`, labels: `${TRAIN.labels}.gz` });
    assert.deepEqual(gz, raw);
    assert.deepEqual(raw.info, { height: 2, width: 3, channels: 1 });
    assert.deepEqual(raw.classNames, ['0', '1', '2']);
    assert.deepEqual(held(raw), new Map(TRAIN_LABELS.map((label, k) => [k, [image(k, trainValue), label]])));
    // Image 5, pixel (1, 2): 40 × 5 + 10 + 2 = 212.
    assert.equal(held(raw).get(5)?.[0][5], Math.fround(212 / 255));
  });

  it('splits off ceil(0.3 × 6) = 2 images by default, stratified: one of class 0 and one of class 1', async () => {
    const data = await load(TRAIN);
    assert.deepEqual(rowsOf(data), { train: [0, 2, 4, 5], test: [1, 3] });
    assert.deepEqual([perClass(data.train.labels, 3), perClass(data.test.labels, 3)], [[1, 1, 2], [1, 1, 0]]);
    assert.deepEqual(rowsOf(await load({ ...TRAIN, split_seed: 3 })), rowsOf(await load({ ...TRAIN, seed: 9, split_seed: 3 })));
    await assertSplitSeedMovesRowsOnly(load, TRAIN, 6);
  });

  it('draws train_size and test_size images, stratified, and refuses more than there are', async () => {
    const data = await load({ ...TRAIN, train_size: 3, test_size: 3 });
    // Two images per class: one per class on each side.
    assert.deepEqual([perClass(data.train.labels, 3), perClass(data.test.labels, 3)], [[1, 1, 1], [1, 1, 1]]);
    await assertBothRefuse(idx, parse({ ...TRAIN, train_size: 5, test_size: 3 }), ['train_size'], context);
  });

  it('takes the test side from test_images and test_labels, numbering their rows on their own', async () => {
    const data = await load(OWN_TEST);
    assert.deepEqual(rowsOf(data), { train: [0, 1, 2, 3, 4, 5], test: [0, 1, 2] });
    assert.deepEqual(data.test.samples.map((sample) => sample.pixels), [0, 1, 2].map((k) => image(k, testValue)));
    assert.deepEqual([...data.test.labels], [0, 1, 2]);
    const drawn = await load({ ...OWN_TEST, train_size: 3, test_size: 2 });
    assert.deepEqual([perClass(drawn.train.labels, 3), perClass(drawn.test.labels, 3)], [[1, 1, 1], [1, 1, 0]]);
    const message = await assertBothRefuse(idx, parse({ ...OWN_TEST, test_size: 4 }), ['test_size'], context);
    assert.equal(message, `The 'test_size' parameter of idx must be at most 3, the images of ${join(fixtures, 't10k-images-idx3-ubyte')}; got 4 instead.`);
  });

  it('reads four-dimensional files as N × H × W × C colour images', async () => {
    // Two 1 × 2 RGB images with intensities 0, 10, …, 110; ceil(0.3 × 2) = 1 test image.
    const data = await load({ images: 'rgb-images-idx4-ubyte', labels: 'rgb-labels-idx1-ubyte' });
    assert.deepEqual(data.info, { height: 1, width: 2, channels: 3 });
    const byRow = held(data);
    assert.deepEqual(byRow.get(0), [Float32Array.from([0, 10, 20, 30, 40, 50], (v) => v / 255), 0]);
    assert.deepEqual(byRow.get(1), [Float32Array.from([60, 70, 80, 90, 100, 110], (v) => v / 255), 1]);
  });

  it('names classes by class_names, which must name each class once', async () => {
    assert.deepEqual((await load({ ...TRAIN, class_names: ['shirt', 'trouser', 'bag'] })).classNames, ['shirt', 'trouser', 'bag']);
    const message = await assertBothRefuse(idx, parse({ ...TRAIN, class_names: ['shirt', 'trouser'] }), ['class_names'], context);
    assert.equal(message, `found 2 names in class_names; expected 3, one per class index 0 to 2 of the labels in ${join(fixtures, TRAIN.labels)}`);
    assert.deepEqual(problems({ ...TRAIN, class_names: ['a', 'b', 'a'] }), [
      `class_names: found ["a", "b", "a"]; expected each name once, because a name stands for one class ('a' repeats)`,
    ]);
  });

  it('keeps classes no image has when class_names names every class: a stray label 200 among 0–2 makes 201', async () => {
    const names = Array.from({ length: 201 }, (_, k) => `c${k}`);
    const data = await load({ ...TRAIN, labels: 'stray-labels-idx1', class_names: names, test_fraction: 0.5 });
    assert.equal(data.classNames.length, 201);
    assert.deepEqual(held(data).get(3)?.[1], 200);
  });

  it('checks the split parameters together, each problem one sentence after the config layer\'s "found …;"', () => {
    assert.deepEqual(problems({ ...TRAIN, test_images: 'x' }), ['test_labels: found nothing; expected the IDX file of labels of test_images, because idx takes the two together']);
    assert.deepEqual(problems({ ...TRAIN, test_labels: 'y' }), ['test_images: found nothing; expected the IDX file of the images that test_labels labels, because idx takes the two together']);
    assert.deepEqual(problems({ ...OWN_TEST, test_fraction: 0.2 }), ["test_fraction: found 0.2; expected no test_fraction for idx, because 'test_images' gives the test images"]);
    assert.deepEqual(problems({ ...TRAIN, train_size: 3 }), ['test_size: found nothing; expected a size too, because idx takes train_size and test_size together (or neither, to hold out test_fraction)']);
    assert.deepEqual(problems({ ...TRAIN, test_fraction: 0.2, test_size: 3, train_size: 2 }), ['test_fraction: found 0.2; expected no test_fraction for idx beside train_size or test_size, because the sizes set the split']);
    assert.equal(idx.params.safeParse({ ...OWN_TEST, train_size: 3 }).success, true);
  });

  describe('refuses broken files, naming the file and the fault, in describe as in load', () => {
    const file = (name: string) => join(fixtures, name);
    const cases: [string, object, string, string][] = [
      ['not IDX', { ...TRAIN, images: 'not-idx.txt' }, 'images', `${file('not-idx.txt')} is not an IDX file: found first bytes 68 65 6c 6c; expected 00 00, a type byte and a dimension count`],
      ['float32 images', { ...TRAIN, images: 'float-images-idx3' }, 'images', `${file('float-images-idx3')} holds another element type: found 0x0d (float32); expected 0x08 (unsigned byte), the only type read`],
      ['labels as images', { ...TRAIN, images: TRAIN.labels }, 'images', `${file(TRAIN.labels)} has the wrong number of dimensions: found 1 (6); expected 3 or 4 (N×H×W or N×H×W×C)`],
      ['two-dimensional labels', { ...TRAIN, labels: 'labels-2d-idx2' }, 'labels', `${file('labels-2d-idx2')} has the wrong number of dimensions: found 2 (6×1); expected 1 (N)`],
      ['truncated images', { ...TRAIN, images: 'truncated-images-idx3' }, 'images', `${file('truncated-images-idx3')} is truncated: found 35 bytes after its 16-byte header; expected 36 for 6×2×3`],
      ['fewer labels than images', { ...TRAIN, labels: 'five-labels-idx1' }, 'labels', `${file('five-labels-idx1')} does not match its images: found 5 labels; expected 6, one per image of ${file(TRAIN.images)}`],
      ['test labels of another count', { ...OWN_TEST, test_labels: TRAIN.labels }, 'test_labels', `${file(TRAIN.labels)} does not match its images: found 6 labels; expected 3, one per image of ${file(OWN_TEST.test_images)}`],
      ['test images of another size', { ...OWN_TEST, test_images: 'wide-images-idx3' }, 'test_images', `${file('wide-images-idx3')} does not match the training images: found images of 3×2×1; expected 2×3×1 like ${file(TRAIN.images)}`],
      ['a file too short for a header', { ...TRAIN, images: 'two-bytes-idx' }, 'images', `${file('two-bytes-idx')} is too short for an IDX header: found 2 bytes; expected at least 4 + 4 per dimension (00 00, a type byte, a dimension count, then each size)`],
      ['images of 4 channels', { images: 'rgba-images-idx4-ubyte', labels: 'rgb-labels-idx1-ubyte' }, 'images', `${file('rgba-images-idx4-ubyte')} has images of 4 channels: found sizes 2×1×2×4 (N×H×W×C); expected C = 1 (grey) or 3 (RGB)`],
      // Labels 2, 0, 1, 200, 0, 2: classes 3 to 199, 197 of them, have no image; the first label past them is row 3.
      [
        'a stray label that leaves classes empty',
        { ...TRAIN, labels: 'stray-labels-idx1' },
        'labels',
        `${file('stray-labels-idx1')}: found label 200 at row 3 (from 0), but no image has label 3–199 (197 empty classes); expected every class index from 0 to 200 to have an image, or class_names naming all 201 classes to keep the empty ones`,
      ],
      // Training labels 0–2, test labels 0, 1, 5: classes 3 and 4 are empty, and only the test file has a label past them.
      [
        'a stray test label',
        { ...OWN_TEST, test_labels: 'stray-test-labels-idx1' },
        'test_labels',
        `${file('stray-test-labels-idx1')}: found label 5 at row 2 (from 0), but no image in ${file(TRAIN.labels)} and ${file('stray-test-labels-idx1')} has label 3–4 (2 empty classes); expected every class index from 0 to 5 to have an image, or class_names naming all 6 classes to keep the empty ones`,
      ],
    ];
    for (const [what, params, param, expected] of cases) {
      it(what, async () => {
        assert.equal(await assertBothRefuse(idx, parse(params), [param], context, 'input'), expected);
      });
    }

    it('a missing file, by its resolved path', async () => {
      const message = await assertBothRefuse(idx, parse({ ...TRAIN, labels: 'missing-labels' }), ['labels'], context, 'input');
      assert.ok(message.startsWith(`cannot read data file ${file('missing-labels')} (ENOENT`), message);
    });
  });

  it("resolves relative paths against the sweep file's folder, else the working folder", async () => {
    const fromCwd = parse({ images: relative(process.cwd(), join(fixtures, TRAIN.images)), labels: relative(process.cwd(), join(fixtures, TRAIN.labels)) });
    assert.deepEqual(await idx.load(fromCwd), await load(TRAIN));
    await assertBothRefuse(idx, parse(TRAIN), ['images'], { baseDir: join(fixtures, 'elsewhere') }, 'input');
  });

  it('describes exactly what load gives, and the files it reads', async () => {
    for (const params of [TRAIN, OWN_TEST, { ...TRAIN, train_size: 2, test_size: 3 }, { ...OWN_TEST, test_size: 1 }]) {
      await assertDescribeMatchesLoad(idx, parse(params), context);
    }
    assert.deepEqual(await idx.describe(parse(OWN_TEST), context), {
      info: { height: 2, width: 3, channels: 1 },
      trainSize: 6,
      validationSize: 0,
      testSize: 3,
      classes: 3,
      files: [TRAIN.images, TRAIN.labels, OWN_TEST.test_images, OWN_TEST.test_labels].map((name) => join(fixtures, name)),
    });
  });

  describe('the real Fashion-MNIST files (Debian package dataset-fashion-mnist)', () => {
    const folder = '/usr/share/datasets/fashion-mnist';
    const skip = existsSync(join(folder, 'train-images-idx3-ubyte.gz')) ? false : `${folder} is absent; apt-get install dataset-fashion-mnist to run this test`;
    const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const params = {
      images: join(folder, 'train-images-idx3-ubyte.gz'),
      labels: join(folder, 'train-labels-idx1-ubyte.gz'),
      test_images: join(folder, 't10k-images-idx3-ubyte.gz'),
      test_labels: join(folder, 't10k-labels-idx1-ubyte.gz'),
      class_names: names,
    };

    it('holds 60,000 + 10,000 28 × 28 images with the labels and pixels an independent reader finds', { skip }, async () => {
      const data = await idx.load(parse(params));
      // Every expected number below is from Python's gzip + struct reading the same files.
      assert.deepEqual(data.info, { height: 28, width: 28, channels: 1 });
      assert.deepEqual([data.train.samples.length, data.test.samples.length], [60_000, 10_000]);
      assert.deepEqual(data.classNames, names);
      assert.deepEqual([...data.train.labels.subarray(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
      assert.deepEqual([...data.test.labels.subarray(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
      assert.deepEqual(perClass(data.train.labels, 10), new Array<number>(10).fill(6000));
      assert.deepEqual(perClass(data.test.labels, 10), new Array<number>(10).fill(1000));
      const pixel = (side: 'train' | 'test', k: number, y: number, x: number) => data[side].samples[k].pixels[y * 28 + x];
      assert.equal(pixel('train', 0, 14, 14), Math.fround(217 / 255));
      assert.equal(pixel('train', 0, 5, 20), Math.fround(23 / 255));
      assert.equal(pixel('train', 1, 10, 10), Math.fround(252 / 255));
      assert.equal(pixel('test', 0, 14, 14), Math.fround(110 / 255));
      assert.equal(pixel('test', 9999, 20, 5), Math.fround(31 / 255));
      // Byte sums of whole images: train 0, train 59,999, test 0, test 9,999.
      const sum = (pixels: Float32Array) => Math.round(pixels.reduce((total, v) => total + v * 255, 0));
      assert.deepEqual(
        [data.train.samples[0], data.train.samples[59_999], data.test.samples[0], data.test.samples[9_999]].map((sample) => sum(sample.pixels)),
        [76247, 16684, 33456, 24390],
      );
    });

    it('describes the same shape without a split of its own: ceil(0.3 × 60,000) = 18,000 test images', { skip }, async () => {
      const shape = await idx.describe(parse({ images: params.images, labels: params.labels }));
      assert.deepEqual([shape.trainSize, shape.testSize, shape.classes], [42_000, 18_000, 10]);
    });
  });
});
