import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageFolder } from '../../../datasets/image/image-folder.js';
import type { LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass, rowsOf } from '../split-checks.js';

// Fixtures from test/fixtures/images/make-fixtures.ts; every PNG is 6 wide × 5 high.
const fixtures = fileURLToPath(new URL('../../fixtures/images/folder/', import.meta.url));
const context = { baseDir: fixtures };
const parse = (params: object) => imageFolder.params.parse(params);
const load = (params: object) => imageFolder.load(parse(params), context);
const W = 6;
const H = 5;

/** A W × H image whose pixel (y, x) is `value(y, x)` (0–255 per channel), as [0, 1] intensities. */
function image(value: (y: number, x: number) => readonly number[]): Float32Array {
  const out: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out.push(...value(y, x));
  return Float32Array.from(out, (v) => v / 255);
}
const flat = (...colour: number[]) => image(() => colour);

/** Source row → pixels as 0–255 levels (rounded), over both sides. */
function levels(data: LoadedDataset<'image'>): Map<number, number[]> {
  return new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, Array.from(sample.pixels, (v) => Math.round(v * 255))]));
}

/** Rec. 709 luminance of linearised sRGB, gamma-encoded again: libvips' rule for sRGB → grey, written out independently. */
function luminance(r: number, g: number, b: number): number {
  const linear = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const y = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);
}

const A0 = (y: number, x: number) => [50 * y + 10 * x, 255 - (50 * y + 10 * x), 5 * (y * W + x)];

describe('image-folder', () => {
  it('reads one sub-folder per class, sorted, files sorted, hidden files ignored; PNG values exact in RGB', async () => {
    const data = await load({ path: 'png' });
    assert.deepEqual(data.classNames, ['a', 'b']);
    assert.deepEqual(data.info, { height: H, width: W, channels: 3 });
    const byRow = bySourceRow(data);
    assert.deepEqual([...byRow.keys()].sort(), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((row) => byRow.get(row)?.label), [0, 0, 0, 1, 1, 1]);
    const expected = [
      image(A0),
      flat(200, 100, 50),
      // A grey PNG repeats its level in R, G and B.
      image((y, x) => new Array<number>(3).fill(8 * (y * W + x))),
      // RGBA red with alpha 255, 255, 128, 128, 0, 0 by column, flattened onto black: red × alpha / 255.
      image((_, x) => [[255, 255, 128, 128, 0, 0][x], 0, 0]),
      flat(0, 0, 255),
      image((_, x) => (x < 3 ? [30, 60, 90] : [90, 60, 30])),
    ];
    expected.forEach((pixels, row) => assert.deepEqual(byRow.get(row)?.sample.pixels, pixels, `row ${row}`));
  });

  it('turns colour to grey by libvips\' luminance rule (within one level), flat colours exactly', async () => {
    const grey = levels(await load({ path: 'png', channels: 1 }));
    // a0 against the rule written out: e.g. (0, 0) is pure green, 255 × encode(0.7152) = 219.9 → 220.
    const a0 = grey.get(0) ?? [];
    assert.equal(a0.length, W * H);
    assert.equal(a0[0], 220);
    a0.forEach((level, i) => assert.ok(Math.abs(level - luminance(...(A0(Math.floor(i / W), i % W) as [number, number, number]))) <= 1, `pixel ${i}: ${level}`));
    // (200, 100, 50) → 127.6 → 128; (0, 0, 255) → 76.0; red 255 → 127.5 → 127 and 128 → 60.2 after flattening.
    assert.deepEqual(grey.get(1), new Array<number>(W * H).fill(128));
    assert.deepEqual(grey.get(4), new Array<number>(W * H).fill(76));
    assert.deepEqual(grey.get(3), Array.from({ length: W * H }, (_, i) => [127, 127, 60, 60, 0, 0][i % W]));
    // A grey PNG keeps its levels.
    assert.deepEqual(grey.get(2), Array.from({ length: W * H }, (_, i) => 8 * i));
  });

  it('reads JPEG to within a few levels of its flat colours', async () => {
    const data = await load({ path: 'jpeg' });
    assert.deepEqual([data.classNames, data.info], [['x', 'y'], { height: H, width: W, channels: 3 }]);
    const colours = [[200, 100, 50], [210, 110, 60], [20, 200, 120], [30, 190, 130]];
    for (const [row, pixels] of levels(data)) {
      assert.equal(pixels.length, W * H * 3);
      pixels.forEach((level, i) => assert.ok(Math.abs(level - colours[row][i % 3]) <= 3, `row ${row} value ${i}: ${level}`));
    }
  });

  it('applies the EXIF orientation: stored 6 × 5, shown turned clockwise as 5 wide × 6 high, white half on top', async () => {
    const data = await load({ path: 'oriented', channels: 1, test_fraction: 0.5 });
    assert.deepEqual(data.info, { height: 6, width: 5, channels: 1 });
    const top = Array.from({ length: 30 }, (_, i) => (i < 15 ? 255 : 0));
    for (const [row, pixels] of levels(data)) pixels.forEach((level, i) => assert.ok(Math.abs(level - top[i]) <= 2, `row ${row} pixel ${i}: ${level}`));
  });

  it('splits off ceil(0.3 × 6) = 2 images by default, one per class, the same rows for the same split seed', async () => {
    const data = await load({ path: 'png' });
    assert.deepEqual(rowsOf(data), { train: [0, 2, 3, 5], test: [1, 4] });
    assert.deepEqual([perClass(data.train.labels, 2), perClass(data.test.labels, 2)], [[2, 2], [1, 1]]);
    assert.deepEqual(rowsOf(await load({ path: 'png', split_seed: 4 })), rowsOf(await load({ path: 'png', seed: 7, split_seed: 4 })));
    await assertSplitSeedMovesRowsOnly(load, { path: 'png' }, 6);
    const sized = await load({ path: 'png', train_size: 2, test_size: 4 });
    assert.deepEqual([perClass(sized.train.labels, 2), perClass(sized.test.labels, 2)], [[1, 1], [2, 2]]);
  });

  it('takes the test side from train/ and test/ folders, numbering each side\'s rows on its own', async () => {
    const data = await load({ path: 'split' });
    assert.deepEqual(data.classNames, ['a', 'b']);
    assert.deepEqual(rowsOf(data), { train: [0, 1, 2, 3], test: [0, 1] });
    // train/a: 10, 20; train/b: 30, 40; test/a: 50; test/b: 60.
    assert.deepEqual(data.train.samples.map((s) => s.pixels), [10, 20, 30, 40].map((level) => flat(level, level, level)));
    assert.deepEqual(data.test.samples.map((s) => s.pixels), [50, 60].map((level) => flat(level, level, level)));
    assert.deepEqual([[...data.train.labels], [...data.test.labels]], [[0, 0, 1, 1], [0, 1]]);
    const drawn = await load({ path: 'split', train_size: 2 });
    assert.deepEqual([perClass(drawn.train.labels, 2), drawn.test.samples.length], [[1, 1], 2]);
  });

  it('checks the split parameters against the layout', async () => {
    const own = await assertBothRefuse(imageFolder, parse({ path: 'split', test_fraction: 0.5 }), ['test_fraction'], context);
    assert.equal(own, `found 0.5; expected no test_fraction for image-folder, because ${join(fixtures, 'split')} has its own train/ and test/ folders`);
    const pair = await assertBothRefuse(imageFolder, parse({ path: 'png', train_size: 2 }), ['test_size'], context);
    assert.equal(pair, 'found nothing; expected a size too, because image-folder takes train_size and test_size together (or neither, to hold out test_fraction)');
    await assertBothRefuse(imageFolder, parse({ path: 'png', train_size: 4, test_size: 3 }), ['train_size'], context);
    assert.equal(imageFolder.params.safeParse({ path: 'png', channels: 2 }).success, false);
  });

  it('refuses images of another size without `size`, naming the first; with it, resizes every image', async () => {
    const message = await assertBothRefuse(imageFolder, parse({ path: 'sizes' }), ['path'], context, 'input');
    assert.equal(message, `${join(fixtures, 'sizes/a/other.png')}: found 4 wide × 4 high; expected 6 × 5 like ${join(fixtures, 'sizes/a/big.png')}; set 'size' to resize every image`);
    const resized = await load({ path: 'sizes', size: 4, channels: 1 });
    assert.deepEqual(resized.info, { height: 4, width: 4, channels: 1 });
    // Resampling keeps a flat image flat: big.png 100, other.png 200 (already 4 × 4), c.png 50.
    assert.deepEqual(levels(resized), new Map([0, 1, 2].map((row) => [row, new Array<number>(16).fill([100, 200, 50][row])])));
  });

  it('stretches to size × size with Lanczos-3, which keeps the mean of a linear ramp', async () => {
    const data = await load({ path: 'png', channels: 1, size: 3 });
    const ramp = levels(data).get(2) ?? [];
    assert.equal(ramp.length, 9);
    // a2 is 8 × (6y + x) for 30 pixels: mean 8 × 14.5 = 116.
    assert.ok(Math.abs(ramp.reduce((sum, v) => sum + v, 0) / 9 - 116) <= 0.5, String(ramp));
    assert.ok(ramp[0] < ramp[2] && ramp[0] < ramp[6] && ramp[2] < ramp[8], String(ramp));
  });

  describe('refuses a folder that breaks the layout, naming what is wrong, in describe as in load', () => {
    const at = (path: string) => join(fixtures, path);
    const cases: [string, string, string][] = [
      ['a file that is not an image', 'not-image', `${at('not-image/a/notes.txt')}: found a file that is neither PNG nor JPEG; expected a complete PNG or JPEG image`],
      ['an empty file', 'empty-file', `${at('empty-file/a/blank.png')}: found an empty file; expected a complete PNG or JPEG image`],
      // Headers that read, pixels that do not: describe decodes every image, so these stop before anything runs.
      ['a PNG cut short', 'corrupt', `${at('corrupt/a/broken.png')}: found data that does not decode, cut short or corrupt; expected a complete PNG or JPEG image`],
      ['a PNG with one bit of its pixel data flipped', 'flipped', `${at('flipped/a/flipped.png')}: found data that does not decode, cut short or corrupt; expected a complete PNG or JPEG image`],
      // sharp's own detail ("premature end of JPEG image", "libpng read error") varies with its threads, so it is left out.
      ['a JPEG cut short', 'cut-jpeg', `${at('cut-jpeg/a/cut.jpg')}: found data that does not decode, cut short or corrupt; expected a complete PNG or JPEG image`],
      ['an image of another format', 'webp', `${at('webp/a/photo.webp')}: found a webp image; expected PNG or JPEG`],
      ['an empty class folder (hidden files do not count)', 'empty-class', `${at('empty-class/b')}: found no image; expected at least one PNG or JPEG file per class folder (hidden files are ignored)`],
      ['a single class', 'one-class', `${at('one-class')}: found 1 class folder; expected at least 2`],
      ['a file beside the class folders', 'stray', `${at('stray')}: found the file README.txt; expected only class folders`],
      ['test classes other than the training classes', 'unmatched-split', `${at('unmatched-split/test')}: found class folders a, c; expected a, b like ${at('unmatched-split/train')}`],
      ['a missing folder, by its resolved path', 'missing', `cannot read ${at('missing')} (ENOENT`],
    ];
    for (const [what, path, expected] of cases) {
      it(what, async () => {
        const message = await assertBothRefuse(imageFolder, parse({ path }), ['path'], context, 'input');
        assert.ok(path === 'missing' ? message.startsWith(expected) : message === expected, message);
      });
    }
  });

  it('decodes each image once per process: load after describe takes the pixels describe decoded while the file is unchanged', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'tokbench-image-folder-'));
    try {
      await cp(join(fixtures, 'png'), copy, { recursive: true });
      const file = join(copy, 'a', 'a0.png');
      // A whole-second mtime, so it can be set back exactly after the file changes.
      await utimes(file, 1_000_000_000, 1_000_000_000);
      const params = parse({ path: copy });
      await imageFolder.describe(params);
      // Flip one bit of the compressed pixels (same length) and set the mtime back: a second decode would fail.
      const bytes = await readFile(file);
      bytes[bytes.indexOf('IDAT') + 4 + 5] ^= 0x10;
      await writeFile(file, bytes);
      await utimes(file, 1_000_000_000, 1_000_000_000);
      assert.deepEqual((await imageFolder.load(params)).train, (await load({ path: 'png' })).train);
      // A new mtime is a changed file: decoded again, and refused.
      await utimes(file, 1_000_000_001, 1_000_000_001);
      await assert.rejects(imageFolder.load(params), (error: unknown) => error instanceof Error && error.message.startsWith(`${file}: found data that does not decode`));
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('describes exactly what load gives, and every image file as its files', async () => {
    for (const params of [{ path: 'png' }, { path: 'png', channels: 1, size: 3 }, { path: 'split', test_size: 1 }, { path: 'oriented', test_fraction: 0.5 }, { path: 'sizes', size: 2 }]) {
      await assertDescribeMatchesLoad(imageFolder, parse(params), context);
    }
    assert.deepEqual(await imageFolder.describe(parse({ path: 'split', channels: 1 }), context), {
      info: { height: H, width: W, channels: 1 },
      trainSize: 4,
      validationSize: 0,
      testSize: 2,
      classes: 2,
      files: ['train/a/t0.png', 'train/a/t1.png', 'train/b/t2.png', 'train/b/t3.png', 'test/a/u0.png', 'test/b/u1.png'].map((file) => join(fixtures, 'split', file)),
    });
  });
});
