import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailOf, render, syntheticImages, type Design } from '../../../datasets/image/synthetic-images.js';
import type { ImageSample, LoadedDataset } from '../../../datasets/types.js';
import { createRng } from '../../../harness/random.js';
import { assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass } from '../split-checks.js';

const parse = (params: object) => syntheticImages.params.parse(params);
const load = (params: object) => syntheticImages.load(parse(params));

/** Cells of a size × size layer that are not 0, as "y,x:value". */
function cells(layer: Int8Array, size: number): string[] {
  const out: string[] = [];
  layer.forEach((value, i) => {
    if (value !== 0) out.push(`${Math.floor(i / size)},${i % size}:${value}`);
  });
  return out;
}

/** Rows of a layer as strings of '+', '-' and '.'. */
function picture(layer: Int8Array, size: number): string[] {
  return Array.from({ length: size }, (_, y) => Array.from(layer.subarray(y * size, (y + 1) * size), (v) => (v > 0 ? '+' : v < 0 ? '-' : '.')).join(''));
}

describe('synthetic-images', () => {
  describe('detail layers, placed by hand', () => {
    it('mark: a 4 × 4 checkerboard from its top-left pixel, + where row + column offsets are even', () => {
      const mark = picture(detailOf('mark', 8, { y: 2, x: 3, vertical: false }), 8);
      assert.deepEqual(mark, ['........', '........', '...+-+-.', '...-+-+.', '...+-+-.', '...-+-+.', '........', '........']);
    });

    it('disc: every pixel within radius ⌊8/4⌋ = 2 of the centre (distance² ≤ 4): 1 + 3 + 5 + 3 + 1 = 13 pixels', () => {
      const disc = picture(detailOf('disc', 8, { y: 3, x: 4, vertical: false }), 8);
      assert.deepEqual(disc, ['........', '....+...', '...+++..', '..+++++.', '...+++..', '....+...', '........', '........']);
    });

    it('ring: the disc less the pixels within radius 1 (1 < distance² ≤ 4): 8 pixels around a background centre', () => {
      const ring = detailOf('ring', 8, { y: 3, x: 4, vertical: false });
      assert.deepEqual(cells(ring, 8), ['1,4:1', '2,3:1', '2,5:1', '3,2:1', '3,6:1', '4,3:1', '4,5:1', '5,4:1']);
    });

    it('fine stripes: one pixel wide, + on even column (vertical) or row (horizontal) after the phase', () => {
      assert.deepEqual(picture(detailOf('fine-stripes', 4, { y: 0, x: 0, vertical: true }), 4), ['+-+-', '+-+-', '+-+-', '+-+-']);
      assert.deepEqual(picture(detailOf('fine-stripes', 4, { y: 0, x: 1, vertical: false }), 4), ['----', '++++', '----', '++++']);
    });

    it('coarse stripes: ⌊8/4⌋ = 2 pixels wide; phase 1 shifts them by one: column j is + when ⌊(j + 1)/2⌋ is even', () => {
      assert.deepEqual(picture(detailOf('coarse-stripes', 8, { y: 0, x: 1, vertical: true }), 8)[0], '+--++--+');
      assert.deepEqual(picture(detailOf('coarse-stripes', 8, { y: 0, x: 0, vertical: false }), 8).map((row) => row[0]).join(''), '++--++--');
    });

    it('plain: no detail', () => {
      assert.deepEqual(cells(detailOf('plain', 8, { y: 0, x: 0, vertical: false }), 8), []);
    });
  });

  describe('render', () => {
    const centre = Int8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]);

    it('adds ±0.25 × detail to a gradient whose corners span from → to along the angle', () => {
      // Angle 0: t = 0, 0.5, 1 by column, so 0.25, 0.5, 0.75 in every row; the centre gains 0.25.
      const along = render(centre, 3, { angle: 0, from: [0.25], to: [0.75], sign: [1] }, 0, createRng(0));
      assert.deepEqual(along, { height: 3, width: 3, channels: 1, pixels: Float32Array.from([0.25, 0.5, 0.75, 0.25, 0.75, 0.75, 0.25, 0.5, 0.75]) });
      // Angle π/2 runs down the rows; sign −1 darkens the centre: 0.5 − 0.25.
      const down = render(centre, 3, { angle: Math.PI / 2, from: [0.75], to: [0.25], sign: [-1] }, 0, createRng(0));
      assert.deepEqual(Array.from(down.pixels, (v) => Math.round(v * 1e6) / 1e6), [0.75, 0.75, 0.75, 0.5, 0.25, 0.5, 0.25, 0.25, 0.25]);
    });

    it('gives each channel its own colours and sign of the detail', () => {
      const colour = render(centre, 3, { angle: 0, from: [0.5, 0.3, 0.7], to: [0.5, 0.3, 0.7], sign: [1, -1, 1] }, 0, createRng(0));
      assert.equal(colour.channels, 3);
      assert.deepEqual(Array.from(colour.pixels.subarray(0, 3)), [0.5, 0.3, 0.7].map(Math.fround));
      // Pixel (1, 1) is values 12–14: 0.5 + 0.25, 0.3 − 0.25, 0.7 + 0.25.
      assert.deepEqual(Array.from(colour.pixels.subarray(12, 15)), [0.75, 0.05, 0.95].map(Math.fround));
    });

    it('adds Gaussian noise and clips to [0, 1]', () => {
      const noisy = render(new Int8Array(9), 3, { angle: 0, from: [0.25], to: [0.75], sign: [1] }, 0.5, createRng(3));
      assert.ok(noisy.pixels.every((v) => v >= 0 && v <= 1));
      assert.ok(noisy.pixels.some((v) => v === 0 || v === 1), String(noisy.pixels));
      assert.notDeepEqual(noisy.pixels, render(new Int8Array(9), 3, { angle: 0, from: [0.25], to: [0.75], sign: [1] }, 0, createRng(3)).pixels);
    });
  });

  describe('the dataset', () => {
    let data: LoadedDataset<'image'>;
    before(async () => {
      data = await load({ n: 60, classes: 6 });
    });

    it('is fixed by its seed, and another seed draws other images', async () => {
      assert.deepEqual(await load({ n: 60, classes: 6 }), data);
      const other = await load({ n: 60, classes: 6, seed: 1 });
      assert.notDeepEqual(other.train.samples[0].pixels, data.train.samples[0].pixels);
    });

    it('holds n images of size × size × channels in [0, 1], balanced over the named designs', async () => {
      assert.deepEqual(data.info, { height: 28, width: 28, channels: 1 });
      assert.deepEqual(data.classNames, ['mark', 'disc', 'fine-stripes', 'coarse-stripes', 'ring', 'plain']);
      // ceil(0.3 × 60) = 18 test images: 3 of each class, 7 of each in training.
      assert.deepEqual([perClass(data.train.labels, 6), perClass(data.test.labels, 6)], [new Array<number>(6).fill(7), new Array<number>(6).fill(3)]);
      for (const [row, { sample, label }] of bySourceRow(data)) {
        assert.equal(label, row % 6);
        assert.equal(sample.pixels.length, 28 * 28);
        assert.ok(sample.pixels.every((v) => v >= 0 && v <= 1), `row ${row}`);
      }
      const colour = await load({ n: 8, size: 12, channels: 3, classes: 4 });
      assert.deepEqual(colour.info, { height: 12, width: 12, channels: 3 });
      assert.equal(colour.train.samples[0].pixels.length, 12 * 12 * 3);
      assert.deepEqual(colour.classNames, ['mark', 'disc', 'fine-stripes', 'coarse-stripes']);
    });

    it('moves images between the sides with split_seed, never changing an image', async () => {
      await assertSplitSeedMovesRowsOnly(load, { n: 60, classes: 6 }, 60);
    });

    it('describes exactly what load gives', async () => {
      const shape = await assertDescribeMatchesLoad(syntheticImages, parse({ n: 50, size: 16, channels: 3 }));
      assert.deepEqual(shape, { info: { height: 16, width: 16, channels: 3 }, trainSize: 35, validationSize: 0, testSize: 15, classes: 4, files: [] });
    });

    it('refuses more classes than designs and images smaller than 8', () => {
      assert.equal(syntheticImages.params.safeParse({ classes: 7 }).success, false);
      assert.equal(syntheticImages.params.safeParse({ size: 7 }).success, false);
      assert.equal(syntheticImages.params.safeParse({ channels: 2 }).success, false);
    });
  });

  describe('each class shows its design at its scale (noise 0, 28 × 28, radius and stripe width 7)', () => {
    // Where the discrete Laplacian is not 0: a linear gradient has none, so only the detail shows (as
    // multiples of 0.25; float noise stays below 1e-5). Interior pixels 1..26 only.
    const SIZE = 28;
    function laplacian(sample: ImageSample, channel = 0): boolean[][] {
      const at = (y: number, x: number) => sample.pixels[(y * SIZE + x) * sample.channels + channel];
      return Array.from({ length: SIZE - 2 }, (_, i) =>
        Array.from({ length: SIZE - 2 }, (_, j) => {
          const [y, x] = [i + 1, j + 1];
          return Math.abs(at(y - 1, x) + at(y + 1, x) + at(y, x - 1) + at(y, x + 1) - 4 * at(y, x)) > 0.05;
        }),
      );
    }
    /** Bounding box of the marked pixels: [top, left, height, width], or undefined when none is. */
    function box(map: boolean[][]): [number, number, number, number] | undefined {
      const ys = map.flatMap((row, y) => (row.some(Boolean) ? [y] : []));
      const xs = map[0].flatMap((_, x) => (map.some((row) => row[x]) ? [x] : []));
      return ys.length === 0 ? undefined : [ys[0], xs[0], ys[ys.length - 1] - ys[0] + 1, xs[xs.length - 1] - xs[0] + 1];
    }
    /** Lengths of the runs of marked pixels in one row. */
    const runs = (row: boolean[]) => row.map((v) => (v ? '1' : ' ')).join('').split(/ +/).filter(Boolean).map((run) => run.length);
    const count = (map: boolean[][]) => map.flat().filter(Boolean).length;

    let byDesign: Map<Design, ImageSample[]>;
    before(async () => {
      const data = await load({ n: 120, classes: 6, noise: 0 });
      byDesign = new Map();
      for (const { sample, label } of bySourceRow(data).values()) {
        const design = data.classNames[label] as Design;
        byDesign.set(design, [...(byDesign.get(design) ?? []), sample]);
      }
    });
    const samplesOf = (design: Design) => byDesign.get(design) ?? [];

    it('plain: smooth everywhere', () => {
      for (const sample of samplesOf('plain')) assert.equal(count(laplacian(sample)), 0);
    });

    it('mark: all its detail within one 6 × 6 window (the 4 × 4 mark and its border), the rest smooth', () => {
      for (const sample of samplesOf('mark')) {
        const [, , height, width] = box(laplacian(sample)) ?? [0, 0, 0, 0];
        assert.ok(height >= 1 && height <= 6 && width >= 1 && width <= 6, `${height} × ${width}`);
      }
    });

    it('fine stripes: detail at every interior pixel', () => {
      for (const sample of samplesOf('fine-stripes')) assert.equal(count(laplacian(sample)), 26 * 26);
    });

    it('coarse stripes: detail only along whole lines at the stripe edges, the same in every row or in every column', () => {
      for (const sample of samplesOf('coarse-stripes')) {
        const map = laplacian(sample);
        const columnsAlike = map.every((row) => row.join() === map[0].join());
        const rowsAlike = map.every((row) => row.every((v) => v === row[0]));
        assert.ok(columnsAlike !== rowsAlike, 'stripes run one way');
        // Each edge marks the two lines beside it: 2 to 8 of the 26 interior lines.
        const lines = count(map) / 26;
        assert.ok(Number.isInteger(lines) && lines >= 2 && lines <= 8, String(lines));
      }
    });

    it('disc and ring: detail on a closed contour 2 × 7 + 3 = 17 wide; through the centre, two pixels thick for the disc and three for the ring', () => {
      for (const [design, thickness] of [['disc', 2], ['ring', 3]] as const) {
        let whole = 0;
        for (const sample of samplesOf(design)) {
          const map = laplacian(sample);
          const [top, , height, width] = box(map) ?? [0, 0, 0, 0];
          assert.ok(height <= 17 && width <= 17, `${design}: ${height} × ${width}`);
          // Only a contour that no image edge cuts has its centre in the box's middle row.
          if (height !== 17 || width !== 17) continue;
          whole++;
          assert.deepEqual(runs(map[top + 8]), [thickness, thickness], design);
        }
        assert.ok(whole >= 3, `${design}: ${whole} whole contours`);
      }
    });

    it('in colour, the detail shows alike in every channel', async () => {
      const data = await load({ n: 12, classes: 6, channels: 3, noise: 0 });
      for (const sample of data.train.samples) {
        const red = laplacian(sample, 0);
        assert.deepEqual(laplacian(sample, 1), red);
        assert.deepEqual(laplacian(sample, 2), red);
      }
    });
  });
});
