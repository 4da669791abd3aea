// One token per SLIC superpixel (Achanta et al. 2012): its mean colour and its bounding box resampled to a fixed block, placed by centroid, area and box.
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { paintRect, rectElements, resampleRect, type Rect } from './resample.js';
import { slic } from './slic.js';

const params = z.strictObject({
  segments: z
    .int()
    .min(1)
    .default(49)
    .describe("Target number of superpixels (SLIC's K); the count varies per image around it, and more than H·W gives one per pixel. 49 is patch's default 7×7 grid on 28×28 images."),
  compactness: z
    .number()
    .min(0)
    .default(0.1)
    .describe("SLIC's m, weighing distance in grid steps against colour distance in [0, 1] intensity units; 0.1 is the paper's m = 10 on CIELAB lightness (0–100) scaled to [0, 1]. Larger gives squarer segments, 0 clusters by colour alone."),
  iterations: z.int().min(1).default(10).describe("Assignment and update rounds of SLIC's local k-means; the paper finds 10 enough for most images."),
  move_centres: z.boolean().default(true).describe('Move each initial grid centre to the lowest-gradient pixel of its 3×3 neighbourhood, as the paper does, so no centre starts on an edge.'),
  size: z.int().min(1).default(4).describe("Side of the block each segment's bounding box is resampled to by area averaging; a token's values are its C channel means, then size·size·C block values."),
  max_len: z
    .int()
    .min(1)
    .optional()
    .describe("Most tokens per image; above it the smallest segments (ties: the later in raster order) are left out, and the pixels in no kept token's bounding box count as dropped. Default: no cap."),
});

export type SuperpixelParams = z.infer<typeof params>;

/** Coordinates per token: centroid row and column, area in pixels, then the bounding box's top row, left column, height and width. */
const COORD_DIM = 7;

const rectOf = (coords: Float32Array, t: number): Rect => ({
  row: coords[t * COORD_DIM + 3],
  col: coords[t * COORD_DIM + 4],
  height: coords[t * COORD_DIM + 5],
  width: coords[t * COORD_DIM + 6],
});

/** Flat indices (y·W + x) of the in-image pixels of token t's bounding box, in raster order. */
function boxPixels(tokens: Tokens, t: number): number[] {
  const [height, width] = tokens.extent;
  const box = rectOf(tokens.coords, t);
  const out: number[] = [];
  for (let y = Math.max(0, box.row); y < Math.min(height, box.row + box.height); y++) {
    for (let x = Math.max(0, box.col); x < Math.min(width, box.col + box.width); x++) out.push(y * width + x);
  }
  return out;
}

/**
 * The token that owns each pixel (-1: none): among the tokens whose bounding box holds the pixel, the one
 * whose centroid is nearest (ties: the lower index). Tokens do not carry their segment's mask, so this rule
 * rebuilds one from coordinates alone; every pixel lies in its own segment's box, so with all tokens kept
 * every pixel has an owner, and a pixel has none exactly when no kept token's box holds it. Only decode
 * uses ownership; covers is the whole box. Read only from coords, never from (possibly predicted) values.
 */
function owners(tokens: Tokens): Int32Array {
  const width = tokens.extent[1];
  const owner = new Int32Array(tokens.extent[0] * width).fill(-1);
  const nearest = new Float64Array(owner.length).fill(Infinity);
  for (let t = 0; t < tokens.length; t++) {
    const cy = tokens.coords[t * COORD_DIM];
    const cx = tokens.coords[t * COORD_DIM + 1];
    for (const at of boxPixels(tokens, t)) {
      const y = Math.floor(at / width);
      const d = (y - cy) ** 2 + (at - y * width - cx) ** 2;
      if (d < nearest[at]) {
        nearest[at] = d;
        owner[at] = t;
      }
    }
  }
  return owner;
}

/** Flat pixel indices that token t owns, in raster order: a subset of its box. */
const owned = (tokens: Tokens, owner: Int32Array, t: number) => boxPixels(tokens, t).filter((at) => owner[at] === t);

/** Segments the cap keeps, in raster order: the `cap` largest by area, ties to the earlier segment. */
function kept(area: Int32Array, cap: number | undefined): Int32Array {
  const all = Int32Array.from(area.keys());
  if (cap === undefined || area.length <= cap) return all;
  return all.sort((a, b) => area[b] - area[a] || a - b).subarray(0, cap).sort();
}

function createSuperpixel(p: SuperpixelParams, info: InfoOf['image']): Strategy<'image'> {
  const { channels } = info;
  const size = p.size;
  const valueDim = channels + size * size * channels;
  const options = { segments: p.segments, compactness: p.compactness, iterations: p.iterations, moveCentres: p.move_centres };

  return {
    layout: { idChannels: 0, vocabSizes: [], valueDim, coordDim: COORD_DIM, target: { kind: 'values' }, maskSpan: 1 },
    // Painting from the block keeps detail within a segment that its mean flattens (mean squared round-trip error on
    // 500 MNIST digits at the defaults: 0.006 from the blocks, 0.027 from the means), so decode reads only the block.
    decodeNote:
      `Each pixel goes to the token whose bounding box holds it and whose centroid is nearest (ties: the lower index), which ` +
      `can differ from its SLIC segment near boundaries; it takes that token's ${size}×${size} block painted back over the box ` +
      `with area weights (exact where the block has at least the box's resolution). The channel means are not read. ` +
      `Pixels in no token's box (only under max_len) are 0. A token covers its whole box, as its block carries all of it, ` +
      `so a pixel counts as masked only when no visible token's box holds it.`,

    encode(sample: ImageSample): Tokens {
      const { height, width, pixels } = sample;
      if (sample.channels !== channels) {
        throw new TokbenchError('input', `superpixel found a sample with ${sample.channels} channel(s); expected ${channels}, as the dataset declares`);
      }
      if (pixels.length !== height * width * channels) {
        throw new TokbenchError('input', `superpixel found ${pixels.length} intensities in an image of ${height}×${width}×${channels}; expected ${height * width * channels}`);
      }
      const extent = [height, width, channels];
      if (height * width === 0) return { length: 0, ids: new Int32Array(0), values: new Float32Array(0), coords: new Float32Array(0), extent, dropped: 0 };
      const { labels, count } = slic(sample, options);
      const area = new Int32Array(count);
      const sums = new Float64Array(count * (2 + channels));
      const top = new Int32Array(count).fill(height);
      const left = new Int32Array(count).fill(width);
      const bottom = new Int32Array(count);
      const right = new Int32Array(count);
      labels.forEach((s, at) => {
        const y = Math.floor(at / width);
        const x = at - y * width;
        area[s]++;
        sums[s * (2 + channels)] += y;
        sums[s * (2 + channels) + 1] += x;
        for (let c = 0; c < channels; c++) sums[s * (2 + channels) + 2 + c] += pixels[at * channels + c];
        top[s] = Math.min(top[s], y);
        left[s] = Math.min(left[s], x);
        bottom[s] = Math.max(bottom[s], y);
        right[s] = Math.max(right[s], x);
      });
      const segments = kept(area, p.max_len);
      const length = segments.length;
      const values = new Float32Array(length * valueDim);
      const coords = new Float32Array(length * COORD_DIM);
      segments.forEach((s, t) => {
        const sum = (f: number) => sums[s * (2 + channels) + f];
        coords.set([sum(0) / area[s], sum(1) / area[s], area[s], top[s], left[s], bottom[s] - top[s] + 1, right[s] - left[s] + 1], t * COORD_DIM);
        for (let c = 0; c < channels; c++) values[t * valueDim + c] = sum(2 + c) / area[s];
        resampleRect(sample, rectOf(coords, t), size, values, t * valueDim + channels);
      });
      const tokens: Tokens = { length, ids: new Int32Array(0), values, coords, extent, dropped: 0 };
      // A pixel has no owner exactly when no kept token's box holds it, so no token covers it.
      const outside = owners(tokens).reduce((n, t) => n + (t === -1 ? 1 : 0), 0);
      return { ...tokens, dropped: outside / (height * width) };
    },

    decode(tokens: Tokens): ImageSample {
      const [height, width] = tokens.extent;
      const owner = owners(tokens);
      const out = new Float32Array(height * width * channels);
      // Each box is painted whole into a scratch image, then only the pixels its token owns are copied out.
      const scratch: ImageSample = { height, width, channels, pixels: new Float32Array(height * width * channels) };
      for (let t = 0; t < tokens.length; t++) {
        paintRect(tokens.values, t * valueDim + channels, size, scratch, rectOf(tokens.coords, t));
        for (const at of owned(tokens, owner, t)) out.set(scratch.pixels.subarray(at * channels, (at + 1) * channels), at * channels);
      }
      return { height, width, channels, pixels: out };
    },

    // The block is resampled from the whole box, so the token carries every pixel of it, owned or not: covering only
    // the owned pixels would score a pixel as hidden although a visible neighbour's block carries it.
    covers(tokens: Tokens, i: number): Int32Array {
      return rectElements(rectOf(tokens.coords, i), tokens.extent);
    },

    label(tokens: Tokens, i: number): string {
      const { row, col, height, width } = rectOf(tokens.coords, i);
      return `superpixel(${row},${col},${height}×${width})`;
    },
  };
}

/** A block wider than any bounding box can be only repeats pixels. */
function checkSuperpixel(p: SuperpixelParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.max(info.height, info.width);
  if (p.size <= side) return [];
  return [{ path: ['size'], message: `found size ${p.size} for ${info.height}×${info.width} images; expected at most ${side}, the longest side a bounding box can have` }];
}

export const superpixel: StrategyDefinition<'image', SuperpixelParams> = {
  name: 'superpixel',
  modality: 'image',
  description:
    'One token per SLIC superpixel (Achanta et al. 2012; grid-initialised, so deterministic and not seeded): values = channel means + bounding box area-resampled to size×size, coords = centroid, area, box',
  params,
  create: createSuperpixel,
  check: checkSuperpixel,
  tokensPerSample: () => undefined,
};
