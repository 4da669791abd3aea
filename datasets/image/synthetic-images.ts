// Procedural images whose class lives in detail at one scale (fine or coarse, local or global) over a random smooth gradient: a controlled test for adaptive and multi-scale image tokenizers.
import { z } from 'zod';
import { createRng, type Rng } from '../../harness/random.js';
import { carvedSizes, carveValidation, simulatedSplitSeed, splitByFraction, splitSeedOf, takeSplits, testSizeOf, valFractionOf } from '../split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type DatasetDefinition, type DatasetShape, type ImageSample } from '../types.js';

/**
 * The class designs, in class order. Every image is a linear gradient between two random colours in a random
 * direction; each class adds one detail layer of contrast ±CONTRAST (its sign per channel random):
 * - `mark`: a 4 × 4 checkerboard of single pixels at a random place: fine and local (one small region matters);
 * - `disc`: a filled disc of radius ⌊size/4⌋ at a random place: coarse and local;
 * - `fine-stripes`: stripes one pixel wide over the whole image, vertical or horizontal: fine and global;
 * - `coarse-stripes`: stripes ⌊size/4⌋ pixels wide over the whole image: coarse and global;
 * - `ring`: the one-pixel outline of the disc: the disc's footprint, told apart from it only by fine detail;
 * - `plain`: the gradient alone, told apart from `mark` only by finding its 16 pixels.
 * Why these: a uniform patch grid spends as many tokens on the empty gradient as on the mark, while an
 * adaptive tokenizer can spend them where the detail is; which scale decides the class is known per class, so
 * a tokenizer's wins and losses can be read off per class. Nothing but the design depends on the class:
 * positions, orientations, phases, gradient, colours and noise are drawn alike for every class.
 */
export const DESIGNS = ['mark', 'disc', 'fine-stripes', 'coarse-stripes', 'ring', 'plain'] as const;
export type Design = (typeof DESIGNS)[number];

/** Contrast of every detail: with backgrounds in [0.25, 0.75] the noiseless image stays in [0, 1]. */
const CONTRAST = 0.25;
/** Side of the `mark` checkerboard, in pixels. */
const MARK = 4;

export const syntheticImagesParams = z.strictObject({
  n: z.int().min(2).max(1_000_000).default(600).describe('Images; image i is of class i mod `classes`, so classes are balanced.'),
  size: z.int().min(8).max(512).default(28).describe('Side of each square image, in pixels (at least 8, so the coarse detail, ⌊size/4⌋ pixels, is at least 2).'),
  classes: z
    .int()
    .min(2)
    .max(DESIGNS.length)
    .default(4)
    .describe(`Classes: the first this many designs of ${DESIGNS.join(', ')} (see the file's header).`),
  channels: z.union([z.literal(1), z.literal(3)]).default(1).describe('1: grey; 3: RGB, with random background colours and a random sign of the detail per channel.'),
  noise: z.number().min(0).max(0.5).default(0.02).describe('Standard deviation of Gaussian noise added to every intensity, before clipping to [0, 1].'),
  test_fraction: z.number().gt(0).lt(1).default(0.3).describe('Fraction of images held out for testing, stratified by class.'),
  seed: z.int().min(0).max(0xffff_ffff).default(0).describe('Fixes the images and, unless `split_seed` is given, the split.'),
  [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe('Fixes only which images go to training and which to testing, never the images; default: `seed`.'),
});
export type SyntheticImagesParams = z.infer<typeof syntheticImagesParams>;

/** Where a design's detail sits: the mark's top-left pixel or the disc's centre (`y`, `x`); for stripes, `x` is the phase and `vertical` the orientation. */
export interface Placement {
  readonly y: number;
  readonly x: number;
  readonly vertical: boolean;
}

/** How one image looks apart from its class: gradient direction (radians), its end colours and the detail's sign, one entry per channel. */
export interface Look {
  readonly angle: number;
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly sign: readonly number[];
}

/** The disc's (and ring's) radius and the coarse stripes' width: the coarse scale. */
const coarse = (size: number) => Math.floor(size / 4);

/** A random placement of `design` that keeps the mark and the disc wholly inside the image. */
export function placeOf(design: Design, size: number, rng: Rng): Placement {
  switch (design) {
    case 'mark':
      return { y: rng.int(size - MARK + 1), x: rng.int(size - MARK + 1), vertical: false };
    case 'disc':
    case 'ring': {
      const r = coarse(size);
      return { y: r + rng.int(size - 2 * r), x: r + rng.int(size - 2 * r), vertical: false };
    }
    case 'fine-stripes':
      return { y: 0, x: rng.int(2), vertical: rng.uniform() < 0.5 };
    case 'coarse-stripes':
      return { y: 0, x: rng.int(2 * coarse(size)), vertical: rng.uniform() < 0.5 };
    case 'plain':
      return { y: 0, x: 0, vertical: false };
  }
}

/** The detail layer of `design`, size × size row-major: +1 where it adds contrast, −1 where it takes it away, 0 where the gradient shows. */
export function detailOf(design: Design, size: number, at: Placement): Int8Array {
  const layer = new Int8Array(size * size);
  const r = coarse(size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d2 = (y - at.y) ** 2 + (x - at.x) ** 2;
      const along = at.vertical ? x : y;
      let value = 0;
      if (design === 'mark') {
        const inside = y >= at.y && y < at.y + MARK && x >= at.x && x < at.x + MARK;
        value = inside ? ((y - at.y + x - at.x) % 2 === 0 ? 1 : -1) : 0;
      } else if (design === 'disc') {
        value = d2 <= r * r ? 1 : 0;
      } else if (design === 'ring') {
        value = d2 <= r * r && d2 > (r - 1) * (r - 1) ? 1 : 0;
      } else if (design === 'fine-stripes') {
        value = (along + at.x) % 2 === 0 ? 1 : -1;
      } else if (design === 'coarse-stripes') {
        value = Math.floor((along + at.x) / r) % 2 === 0 ? 1 : -1;
      }
      layer[y * size + x] = value;
    }
  }
  return layer;
}

/** Draws a look: angle uniform in [0, 2π), end colours uniform in [0.25, 0.75] per channel, sign ±1 per channel. */
export function lookOf(channels: number, rng: Rng): Look {
  const angle = rng.uniform() * 2 * Math.PI;
  const colour = () => Array.from({ length: channels }, () => 0.25 + 0.5 * rng.uniform());
  const from = colour();
  const to = colour();
  const sign = Array.from({ length: channels }, () => (rng.uniform() < 0.5 ? -1 : 1));
  return { angle, from, to, sign };
}

/**
 * The image: at (y, x) the gradient runs from `from` to `to` along the projection on the angle's direction,
 * scaled so the image's corners span it exactly; plus CONTRAST × sign × detail, plus N(0, noise) per value, clipped to [0, 1].
 */
export function render(detail: Int8Array, size: number, look: Look, noise: number, rng: Rng): ImageSample {
  const channels = look.from.length;
  const cos = Math.cos(look.angle);
  const sin = Math.sin(look.angle);
  const centre = (size - 1) / 2;
  const reach = centre * (Math.abs(cos) + Math.abs(sin));
  const pixels = new Float32Array(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = 0.5 + ((x - centre) * cos + (y - centre) * sin) / (2 * reach);
      for (let c = 0; c < channels; c++) {
        const value = look.from[c] + (look.to[c] - look.from[c]) * t + CONTRAST * look.sign[c] * detail[y * size + x] + rng.normal(0, noise);
        pixels[(y * size + x) * channels + c] = Math.min(1, Math.max(0, value));
      }
    }
  }
  return { height: size, width: size, channels, pixels };
}

/** Every image in order, each drawn as look, placement, then noise from the one stream of `rng`. */
export function drawImages(p: SyntheticImagesParams, rng: Rng): { samples: ImageSample[]; labels: Int32Array } {
  const labels = Int32Array.from({ length: p.n }, (_, i) => i % p.classes);
  const samples = Array.from(labels, (label) => {
    const design = DESIGNS[label];
    const look = lookOf(p.channels, rng);
    return render(detailOf(design, p.size, placeOf(design, p.size, rng)), p.size, look, p.noise, rng);
  });
  return { samples, labels };
}

/** What `load` will report for these params and validation share (see DatasetContext); checks the split before anything is drawn. */
function shapeOf(params: SyntheticImagesParams, context: DatasetContext | undefined): DatasetShape<'image'> {
  const testSize = testSizeOf(params.n, params.test_fraction, 'synthetic-images');
  return {
    info: { height: params.size, width: params.size, channels: params.channels },
    ...carvedSizes(params.n - testSize, context, 'synthetic-images'),
    testSize,
    classes: params.classes,
    files: [],
  };
}

export const syntheticImages: DatasetDefinition<'image', SyntheticImagesParams> = {
  name: 'synthetic-images',
  modality: 'image',
  description: 'Procedural images over random gradients whose class is a detail at one scale: a tiny checkerboard mark, a disc, fine or coarse stripes, a ring, or nothing',
  params: syntheticImagesParams,
  async describe(params, context) {
    return shapeOf(params, context);
  },
  async load(params, context) {
    const { info } = shapeOf(params, context);
    const { samples, labels } = drawImages(params, createRng(params.seed));
    const split = splitByFraction(labels, params.test_fraction, simulatedSplitSeed(splitSeedOf(params)), 'synthetic-images');
    const rows = carveValidation(split, labels, valFractionOf(context), splitSeedOf(params), 'synthetic-images');
    const sampleAt = (row: number) => samples[row];
    return {
      modality: 'image',
      info,
      classNames: DESIGNS.slice(0, params.classes),
      ...takeSplits(rows, labels, sampleAt),
    };
  },
};
