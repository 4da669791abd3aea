// SLIC superpixels (Achanta et al. 2012, "SLIC Superpixels Compared to State-of-the-Art Superpixel Methods"), with the connectivity step of scikit-image's `segmentation.slic`.
import type { ImageSample } from '../../datasets/types.js';

export interface SlicOptions {
  /** Target number of superpixels; the grid and the connectivity step make the result differ. */
  readonly segments: number;
  /**
   * m in D² = d_c² + (d_s / S)²·m², d_c the Euclidean distance of intensities in [0, 1] over all channels. Unlike
   * scikit-image, images are neither rescaled to their own range nor converted to CIELAB: samples already share
   * the [0, 1] scale whatever their channels, and a per-image rescale would give one m different weights on
   * faint and bright images.
   */
  readonly compactness: number;
  readonly iterations: number;
  /** Move each initial centre to the lowest-gradient pixel of its 3×3 neighbourhood. */
  readonly moveCentres: boolean;
}

export interface Segmentation {
  /** Segment of each pixel, row-major H × W, numbered 0..count − 1 in raster order of each segment's first pixel. */
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * Segments smaller than this share of the mean grid cell are merged into a neighbour, as scikit-image's
 * `min_size_factor` (its default); the reference implementation merges below a quarter.
 */
export const MIN_SIZE_FACTOR = 0.5;

/**
 * Rows and columns of the initial grid: rows = round(H / S) with S = √(H·W / segments), and columns
 * = round(segments / rows), so the grid holds about `segments` cells even when S does not fit the
 * image (an 8×8 image asked for 2 gets 1 × 2, where scikit-image's square grid gives 1).
 */
export function gridShape(height: number, width: number, segments: number): [number, number] {
  const step = Math.sqrt((height * width) / segments);
  const rows = Math.min(height, Math.max(1, Math.round(height / step)));
  const cols = Math.min(width, Math.max(1, Math.round(segments / rows)));
  return [rows, cols];
}

/** First pixel of band b when `extent` pixels are cut into `bands` bands: pixel v lies in band ⌊v·bands/extent⌋. */
const bandStart = (b: number, bands: number, extent: number) => Math.ceil((b * extent) / bands);

/** Squared colour difference of pixels p and q, summed over channels. */
function colourDistance(pixels: Float32Array, channels: number, p: number, q: number): number {
  let d = 0;
  for (let c = 0; c < channels; c++) {
    const t = pixels[p * channels + c] - pixels[q * channels + c];
    d += t * t;
  }
  return d;
}

/** The paper's gradient ‖I(y, x+1) − I(y, x−1)‖² + ‖I(y+1, x) − I(y−1, x)‖², edge pixels replicated past the border. */
function gradient(image: ImageSample, y: number, x: number): number {
  const { height, width, channels, pixels } = image;
  const at = (yy: number, xx: number) => Math.min(height - 1, Math.max(0, yy)) * width + Math.min(width - 1, Math.max(0, xx));
  return colourDistance(pixels, channels, at(y, x + 1), at(y, x - 1)) + colourDistance(pixels, channels, at(y + 1, x), at(y - 1, x));
}

/** The lowest-gradient pixel of the 3×3 neighbourhood of (y, x); ties keep (y, x), then go to the first in raster order. */
function lowestGradient(image: ImageSample, y: number, x: number): [number, number] {
  let best: [number, number] = [y, x];
  let lowest = gradient(image, y, x);
  for (let yy = Math.max(0, y - 1); yy <= Math.min(image.height - 1, y + 1); yy++) {
    for (let xx = Math.max(0, x - 1); xx <= Math.min(image.width - 1, x + 1); xx++) {
      const g = gradient(image, yy, xx);
      if (g < lowest) {
        lowest = g;
        best = [yy, xx];
      }
    }
  }
  return best;
}

/**
 * Local k-means in (colour, y, x). Centres start at the middle pixel of each grid cell with that pixel's
 * colour, and every pixel starts in its grid cell. Each iteration assigns every pixel within S of a centre
 * along both axes (the paper's 2S × 2S window) to the centre of least D (ties: the lower centre index);
 * a pixel no window reaches keeps its previous segment. Then each centre moves to the mean position and
 * colour of its pixels; a centre left without pixels stays where it was.
 */
function cluster(image: ImageSample, o: SlicOptions): Int32Array {
  const { height, width, channels, pixels } = image;
  const [rows, cols] = gridShape(height, width, o.segments);
  // S from the grid actually laid, so a rounded or clamped grid (segments > H·W) keeps windows that reach its neighbours.
  const step = Math.sqrt((height * width) / (rows * cols));
  const spatial = (o.compactness / step) ** 2;
  const k = rows * cols;
  const features = 2 + channels;
  const centres = new Float64Array(k * features);
  const labels = new Int32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const y = (bandStart(r, rows, height) + bandStart(r + 1, rows, height) - 1) >> 1;
      const x = (bandStart(c, cols, width) + bandStart(c + 1, cols, width) - 1) >> 1;
      const [cy, cx] = o.moveCentres ? lowestGradient(image, y, x) : [y, x];
      const at = (r * cols + c) * features;
      centres[at] = cy;
      centres[at + 1] = cx;
      for (let ch = 0; ch < channels; ch++) centres[at + 2 + ch] = pixels[(cy * width + cx) * channels + ch];
    }
  }
  const distance = new Float64Array(height * width);
  const sums = new Float64Array(k * features);
  const counts = new Int32Array(k);
  for (let iteration = 0; iteration < o.iterations; iteration++) {
    distance.fill(Infinity);
    for (let j = 0; j < k; j++) {
      const at = j * features;
      const cy = centres[at];
      const cx = centres[at + 1];
      for (let y = Math.max(0, Math.ceil(cy - step)); y <= Math.min(height - 1, Math.floor(cy + step)); y++) {
        for (let x = Math.max(0, Math.ceil(cx - step)); x <= Math.min(width - 1, Math.floor(cx + step)); x++) {
          const p = y * width + x;
          let d = spatial * ((y - cy) ** 2 + (x - cx) ** 2);
          for (let ch = 0; ch < channels; ch++) d += (pixels[p * channels + ch] - centres[at + 2 + ch]) ** 2;
          if (d < distance[p]) {
            distance[p] = d;
            labels[p] = j;
          }
        }
      }
    }
    sums.fill(0);
    counts.fill(0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const at = labels[p] * features;
        counts[labels[p]]++;
        sums[at] += y;
        sums[at + 1] += x;
        for (let ch = 0; ch < channels; ch++) sums[at + 2 + ch] += pixels[p * channels + ch];
      }
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) continue;
      for (let f = 0; f < features; f++) centres[j * features + f] = sums[j * features + f] / counts[j];
    }
  }
  return labels;
}

/** The 4-neighbours of pixel p (flat y·W + x) that lie inside the image. */
function neighbours(p: number, height: number, width: number): number[] {
  const y = Math.floor(p / width);
  const x = p - y * width;
  const out: number[] = [];
  if (x > 0) out.push(p - 1);
  if (x < width - 1) out.push(p + 1);
  if (y > 0) out.push(p - width);
  if (y < height - 1) out.push(p + width);
  return out;
}

/** 4-connected components of equal labels, numbered in raster order of their first pixel. */
function components(labels: Int32Array, height: number, width: number): Segmentation {
  const out = new Int32Array(labels.length).fill(-1);
  const queue = new Int32Array(labels.length);
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (out[start] !== -1) continue;
    out[start] = count;
    queue[0] = start;
    for (let head = 0, tail = 1; head < tail; head++) {
      for (const q of neighbours(queue[head], height, width)) {
        if (out[q] === -1 && labels[q] === labels[start]) {
          out[q] = count;
          queue[tail++] = q;
        }
      }
    }
    count++;
  }
  return { labels: out, count };
}

/**
 * Every segment one connected region of at least `minSize` pixels (unless the image is one region): while
 * some region is smaller, the smallest (ties: first in raster order) joins the neighbour it shares the most
 * pixel edges with (ties: the neighbour first in raster order). Merging only adjacent regions keeps each
 * one connected; taking the smallest first lets slivers join their surroundings rather than each other.
 */
export function enforceConnectivity(labels: Int32Array, height: number, width: number, minSize: number): Segmentation {
  const { labels: region, count } = components(labels, height, width);
  const members: number[][] = Array.from({ length: count }, () => []);
  region.forEach((r, p) => members[r].push(p));
  const alive = new Uint8Array(count).fill(1);
  for (let regions = count; regions > 1; regions--) {
    let small = -1;
    for (let r = 0; r < count; r++) {
      if (alive[r] === 1 && members[r].length < minSize && (small === -1 || members[r].length < members[small].length)) small = r;
    }
    if (small === -1) break;
    const border = new Map<number, number>();
    for (const p of members[small]) {
      for (const q of neighbours(p, height, width)) {
        if (region[q] !== small) border.set(region[q], (border.get(region[q]) ?? 0) + 1);
      }
    }
    let target = -1;
    for (const [r, edges] of border) {
      if (target === -1 || edges > (border.get(target) ?? 0) || (edges === border.get(target) && r < target)) target = r;
    }
    // The merged region keeps the lower number, which is the one whose first pixel comes first.
    const [keep, gone] = small < target ? [small, target] : [target, small];
    for (const p of members[gone]) region[p] = keep;
    members[keep].push(...members[gone]);
    members[gone] = [];
    alive[gone] = 0;
  }
  const renumber = new Int32Array(count);
  let next = 0;
  alive.forEach((a, r) => {
    if (a === 1) renumber[r] = next++;
  });
  return { labels: region.map((r) => renumber[r]), count: next };
}

/** SLIC superpixels of an image, each one 4-connected region. */
export function slic(image: ImageSample, options: SlicOptions): Segmentation {
  const { height, width } = image;
  const [rows, cols] = gridShape(height, width, options.segments);
  const minSize = Math.floor((MIN_SIZE_FACTOR * height * width) / (rows * cols));
  return enforceConnectivity(cluster(image, options), height, width, minSize);
}
