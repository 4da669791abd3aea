// Content-adaptive quadtree tokens: square tiles split into halves while their detail exceeds a threshold, one token per leaf, as MATLAB's `qtdecomp` (range criterion, `mindim`/`maxdim`) and quadtree image coding (Samet 1984, "The Quadtree and Related Hierarchical Data Structures").
import TinyQueue from 'tinyqueue';
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { paintRect, rectElements, resampleRect, type Rect } from './resample.js';

/** Bins of the entropy criterion: 16 equal bins over [0, 1], so entropy is at most 4 bits. */
const ENTROPY_BINS = 16;

const params = z.strictObject({
  criterion: z
    .enum(['variance', 'range', 'entropy'])
    .default('variance')
    .describe(
      "A block's detail, the largest over its channels of: `variance` (population variance of the channel's intensities), `range` (max − min, as MATLAB's qtdecomp) or `entropy` (Shannon entropy in bits of the intensities in 16 equal bins over [0, 1], at most 4).",
    ),
  threshold: z
    .number()
    .min(0)
    .default(0.01)
    .describe(
      "A block splits only while its detail is strictly greater than this, in the criterion's unit (intensity² for variance, intensity for range, bits for entropy). At 0, variance and range split every block that is not flat in some channel, while entropy splits only blocks whose intensities in some channel fall in more than one of its 16 bins: a block of unequal intensities within one bin scores 0 and stays whole.",
    ),
  min_size: z
    .int()
    .min(1)
    .default(2)
    .describe(
      'No split makes a side shorter than this, but edge tiles cropped to the image can be narrower (a 25-pixel side with max_size 8 ends in a 1-pixel tile). Every token carries its leaf area-averaged to min_size × min_size × C values, so a leaf narrower than min_size is resampled up to min_size². min_size 1 with threshold 0 (variance or range) is lossless.',
    ),
  max_size: z.int().min(1).default(8).describe('Side of the square tiles the image starts as, from the top left; tiles at the right and bottom edges are cropped to the image (one larger than the image makes the image itself the root).'),
  max_len: z
    .int()
    .min(1)
    .optional()
    .describe('Most tokens per image (default: no cap). Splits go to the most detailed leaves first and stop at the first that would pass the cap; when there are more tiles than max_len, the least detailed tiles are dropped (their pixels count as dropped and decode to 0).'),
});

export type QuadtreeParams = z.infer<typeof params>;
export type Criterion = QuadtreeParams['criterion'];

/** Coordinates per token: top-left row, top-left column, height and width of the leaf, in pixels of the source image. */
const COORD_DIM = 4;

/** A block of the tree with its detail, computed once when the block is made. */
interface Block extends Rect {
  readonly detail: number;
}

/** The intensities of one channel over the pixels of `rect`, row by row. */
function intensities(image: ImageSample, rect: Rect, channel: number): Float32Array {
  const { width, channels, pixels } = image;
  const out = new Float32Array(rect.height * rect.width);
  for (let dy = 0; dy < rect.height; dy++) {
    const start = ((rect.row + dy) * width + rect.col) * channels + channel;
    for (let dx = 0; dx < rect.width; dx++) out[dy * rect.width + dx] = pixels[start + dx * channels];
  }
  return out;
}

/** Population variance in float64, two-pass so that a block that is not flat never scores 0. */
function variance(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return squares / values.length;
}

function range(values: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}

/** Bin b holds [b/16, (b+1)/16); 1 falls in the last bin. Two values in one bin look alike, so entropy 0 is not flatness. */
function entropy(values: Float32Array): number {
  const counts = new Float64Array(ENTROPY_BINS);
  for (const v of values) counts[Math.min(ENTROPY_BINS - 1, Math.max(0, Math.floor(v * ENTROPY_BINS)))]++;
  let bits = 0;
  for (const c of counts) {
    if (c > 0) bits -= (c / values.length) * Math.log2(c / values.length);
  }
  return bits;
}

/** Detail of one channel's intensities under each criterion. */
export const DETAIL: Readonly<Record<Criterion, (values: Float32Array) => number>> = { variance, range, entropy };

/**
 * A block's detail is its most detailed channel's: pooling the channels would score the spread between
 * them, so a uniformly coloured block would look detailed, while per channel every flat block scores 0
 * (what makes threshold 0 lossless) and the threshold keeps one meaning for grey and colour.
 */
function blockDetail(image: ImageSample, rect: Rect, criterion: Criterion): number {
  let detail = 0;
  for (let c = 0; c < image.channels; c++) detail = Math.max(detail, DETAIL[criterion](intensities(image, rect, c)));
  return detail;
}

/** Most detailed first; equal detail in raster order of the top-left corner, so the order never depends on insertion. */
function moreDetailedFirst(a: Block, b: Block): number {
  return b.detail - a.detail || a.row - b.row || a.col - b.col;
}

const inRasterOrder = (a: Rect, b: Rect) => a.row - b.row || a.col - b.col;

/** The two halves of a side of length `length` at `start`, the first taking the extra pixel of an odd side. */
function halves(start: number, length: number): [number, number][] {
  const first = Math.ceil(length / 2);
  return [
    [start, first],
    [start + first, length - first],
  ];
}

/**
 * The "four halves" read strictly (split only when both sides can be halved) would leave a 1×2 block
 * whole at min_size 1, breaking its promise that threshold 0 with min_size 1 is lossless. So a block is
 * halved along every side whose shorter half would still be at least min_size: four children when both
 * sides can be halved, two (top, bottom or left, right) when one can, none when neither can; children come
 * top-left, top-right, bottom-left, bottom-right.
 */
function childRects(rect: Rect, minSize: number): Rect[] {
  const canHalve = (length: number) => Math.floor(length / 2) >= minSize;
  const rows: [number, number][] = canHalve(rect.height) ? halves(rect.row, rect.height) : [[rect.row, rect.height]];
  const cols: [number, number][] = canHalve(rect.width) ? halves(rect.col, rect.width) : [[rect.col, rect.width]];
  if (rows.length === 1 && cols.length === 1) return [];
  return rows.flatMap(([row, height]) => cols.map(([col, width]) => ({ row, col, height, width })));
}

/** Tiles of side `size` along a side of `length` pixels from 0, the last cropped to the image. */
function sides(length: number, size: number): [number, number][] {
  return Array.from({ length: Math.ceil(length / size) }, (_, i) => [i * size, Math.min(size, length - i * size)]);
}

/** Leaves of the tree in raster order, and the pixels of tiles dropped by max_len. */
export interface Decomposition {
  readonly leaves: readonly Rect[];
  readonly droppedPixels: number;
}

/**
 * Best-first splitting: the most detailed splittable leaf is split next, until none is left whose detail
 * exceeds the threshold or the next split would take the token count past max_len. Without a cap the
 * order does not matter and every block that qualifies is split, as in a depth-first quadtree. Stopping
 * at the first split that does not fit (rather than skipping to a smaller one) keeps the rule "the most
 * detailed first" exact. Tiles beyond max_len are dropped least detailed first: the cap keeps the
 * detail, and on images with a flat dark background (MNIST) what it drops is what decode's 0 restores.
 */
export function decompose(image: ImageSample, p: QuadtreeParams): Decomposition {
  const block = (rect: Rect): Block => ({ ...rect, detail: blockDetail(image, rect, p.criterion) });
  const cap = p.max_len ?? Infinity;
  const tiles: Block[] = [];
  for (const [row, height] of sides(image.height, p.max_size)) {
    for (const [col, width] of sides(image.width, p.max_size)) tiles.push(block({ row, col, height, width }));
  }
  const kept = tiles.length > cap ? [...tiles].sort(moreDetailedFirst).slice(0, cap) : tiles;
  const droppedPixels = image.height * image.width - kept.reduce((n, t) => n + t.height * t.width, 0);

  const done: Rect[] = [];
  const open = new TinyQueue<Block>([], moreDetailedFirst);
  const add = (b: Block) => (b.detail > p.threshold && childRects(b, p.min_size).length > 0 ? open.push(b) : done.push(b));
  kept.forEach(add);
  let count = kept.length;
  for (let next = open.peek(); next !== undefined; next = open.peek()) {
    const children = childRects(next, p.min_size);
    if (count + children.length - 1 > cap) break;
    open.pop();
    count += children.length - 1;
    children.map(block).forEach(add);
  }
  const leaves = [...done, ...open.data].map(({ row, col, height, width }) => ({ row, col, height, width })).sort(inRasterOrder);
  return { leaves, droppedPixels };
}

function createQuadtree(p: QuadtreeParams, info: InfoOf['image']): Strategy<'image'> {
  const [problem] = paramProblems(p);
  if (problem !== undefined) throw new TokbenchError('invalid-param', `quadtree: ${problem.message}`, ['strategy', ...problem.path]);
  const size = p.min_size;
  const channels = info.channels;
  const valueDim = size * size * channels;
  const rectOf = (tokens: Tokens, i: number): Rect => {
    const [row, col, height, width] = tokens.coords.subarray(i * COORD_DIM, (i + 1) * COORD_DIM);
    return { row, col, height, width };
  };
  // Only flat leaves and leaves of min_size pass through the area average unchanged; with min_size 1 and threshold 0
  // under variance or range every leaf is one of them, so decode is exact unless max_len drops tiles.
  const exact = size === 1 && p.threshold === 0 && p.criterion !== 'entropy' && p.max_len === undefined;

  return {
    layout: { idChannels: 0, vocabSizes: [], valueDim, coordDim: COORD_DIM, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote: exact
      ? ''
      : `Each leaf's ${size}×${size} area averages are painted back over the pixels they came from (exact for flat leaves and leaves of ${size}×${size})${p.max_len === undefined ? '' : '; pixels of tiles that max_len dropped are 0'}.`,

    encode(sample: ImageSample): Tokens {
      const { height, width, pixels } = sample;
      if (sample.channels !== channels) {
        throw new TokbenchError('input', `quadtree found a sample with ${sample.channels} channel(s); expected ${channels}, as the dataset declares`);
      }
      if (pixels.length !== height * width * channels) {
        throw new TokbenchError('input', `quadtree found ${pixels.length} intensities in an image of ${height}×${width}×${channels}; expected ${height * width * channels}`);
      }
      const { leaves, droppedPixels } = decompose(sample, p);
      const values = new Float32Array(leaves.length * valueDim);
      const coords = new Float32Array(leaves.length * COORD_DIM);
      leaves.forEach((leaf, t) => {
        resampleRect(sample, leaf, size, values, t * valueDim);
        coords.set([leaf.row, leaf.col, leaf.height, leaf.width], t * COORD_DIM);
      });
      const dropped = height * width === 0 ? 0 : droppedPixels / (height * width);
      return { length: leaves.length, ids: new Int32Array(0), values, coords, extent: [height, width, channels], dropped };
    },

    decode(tokens: Tokens): ImageSample {
      const [height, width] = tokens.extent;
      const image = { height, width, channels, pixels: new Float32Array(height * width * channels) };
      for (let t = 0; t < tokens.length; t++) paintRect(tokens.values, t * valueDim, size, image, rectOf(tokens, t));
      return image;
    },

    covers(tokens: Tokens, i: number): Int32Array {
      return rectElements(rectOf(tokens, i), tokens.extent);
    },

    label(tokens: Tokens, i: number): string {
      const { row, col, height, width } = rectOf(tokens, i);
      return `leaf(${row},${col},${height}×${width})`;
    },
  };
}

/** Problems of the params alone: tiles smaller than the smallest leaf could never be split and would be upsampled. */
function paramProblems(p: QuadtreeParams): ParamProblem[] {
  if (p.min_size <= p.max_size) return [];
  return [{ path: ['min_size'], message: `found min_size ${p.min_size} with max_size ${p.max_size}; expected at most max_size` }];
}

/**
 * A max_size past the image is no problem: the one tile is cropped to the image, the root of a classic quadtree.
 * A min_size past the image's shorter side is: no block could be halved along it, and every token would be
 * its leaf stretched to more values than it has pixels.
 */
function checkQuadtree(p: QuadtreeParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.min(info.height, info.width);
  const problems = paramProblems(p);
  if (p.min_size > side) problems.push({ path: ['min_size'], message: `found min_size ${p.min_size} for ${info.height}×${info.width} images; expected at most ${side}` });
  return problems;
}

/**
 * Known without data only when the image cannot matter: max_len at most the tile count (every kept tile is
 * at least one token, and no split fits), or tiles too small to split (one token per tile).
 */
function quadtreeTokens(p: QuadtreeParams, info: InfoOf['image']): number | undefined {
  const tiles = Math.ceil(info.height / p.max_size) * Math.ceil(info.width / p.max_size);
  if (p.max_len !== undefined && p.max_len <= tiles) return p.max_len;
  const largest = { row: 0, col: 0, height: Math.min(p.max_size, info.height), width: Math.min(p.max_size, info.width) };
  return childRects(largest, p.min_size).length === 0 ? tiles : undefined;
}

export const quadtree: StrategyDefinition<'image', QuadtreeParams> = {
  name: 'quadtree',
  modality: 'image',
  description: 'Content-adaptive quadtree leaves (max_size tiles halved while variance, range or entropy exceeds a threshold, down to min_size), each area-averaged to min_size² values with its row, col, height, width (MATLAB qtdecomp; Samet 1984)',
  params,
  create: createQuadtree,
  check: checkQuadtree,
  tokensPerSample: quadtreeTokens,
};
