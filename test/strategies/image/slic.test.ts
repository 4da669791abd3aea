// Exact SLIC grids, segmentations and connectivity merges on hand-made images and label maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample } from '../../../datasets/types.js';
import { createRng } from '../../../harness/random.js';
import { enforceConnectivity, gridShape, MIN_SIZE_FACTOR, slic, type SlicOptions } from '../../../strategies/image/slic.js';

/** A grey image of `height` rows, each holding `row` (the same in every row). */
function columns(height: number, row: number[]): ImageSample {
  return { height, width: row.length, channels: 1, pixels: Float32Array.from({ length: height * row.length }, (_, p) => row[p % row.length]) };
}

/** Every row of a label map; a row reads as its labels. */
const rows = (labels: Int32Array, width: number) => Array.from({ length: labels.length / width }, (_, y) => Array.from(labels.subarray(y * width, (y + 1) * width)).join(''));

const defaults: SlicOptions = { segments: 2, compactness: 0.1, iterations: 10, moveCentres: true };

test('gridShape: rows = round(H/S), columns = round(segments/rows), S = √(H·W/segments), within the image', () => {
  assert.deepEqual(gridShape(28, 28, 49), [7, 7]); // S = 4
  assert.deepEqual(gridShape(28, 28, 50), [7, 7]); // S = 3.96: round(7.07) rows, round(7.14) columns
  assert.deepEqual(gridShape(28, 28, 100), [10, 10]); // S = 2.8
  assert.deepEqual(gridShape(8, 8, 2), [1, 2]); // S = 5.66: round(1.41) = 1 row of round(2/1) columns
  assert.deepEqual(gridShape(5, 6, 4), [2, 2]); // S = 2.74: round(1.83) = 2 rows of round(4/2) columns
  assert.deepEqual(gridShape(2, 100, 10), [1, 10]); // S = 4.47: round(0.45) = 0, at least 1 row
  assert.deepEqual(gridShape(2, 2, 9), [2, 2]); // more segments than pixels: one centre per pixel
});

test('two flat regions: segments follow the edge, also where it is off the initial grid', () => {
  // 8×8, 2 segments: S = √32 = 5.66, a 1×2 grid of 8×4 cells, centres at (3, 1) and (3, 5).
  // Edge on the grid (x = 4): every pixel keeps its cell.
  assert.deepEqual(rows(slic(columns(8, [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9]), defaults).labels, 8), Array(8).fill('00001111'));
  // Edge at x = 3: the centres sit on flat ground (gradient 0) and keep their colours 0.1 and 0.9; a colour
  // difference of 0.8 costs 0.64, more than any spatial term in a window ((0.1/5.66)²·(5² + 5²) = 0.016), so
  // column 3 joins the bright centre and stays there: 24 and 40 pixels, above the minimum ⌊0.5·64/2⌋ = 16.
  const edge3 = slic(columns(8, [0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9]), defaults);
  assert.equal(edge3.count, 2);
  assert.deepEqual(rows(edge3.labels, 8), Array(8).fill('00011111'));
  // Edge at x = 5: the centre (3, 5) has gradient (0.9 − 0.1)² and moves to (2, 6), the first flat pixel of its 3×3.
  assert.deepEqual(rows(slic(columns(8, [0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9]), defaults).labels, 8), Array(8).fill('00000111'));
});

test('a label cut in two becomes two segments; a piece below the minimum joins a neighbour', () => {
  // 4×8, 2 segments, colour alone (compactness 0), centres unmoved: S = 4, centres (1, 1) = 0.1 and (1, 5) = 0.9,
  // windows x ∈ [0, 5] and [1, 7]. Every pixel goes to the centre of its own colour:
  //   dark  0 0 . . 0 . . .     bright . . 1 1 . 1 1 1
  // The centres move to x = 5/3 and 4.6 and nothing changes. Components in raster order: x 0–1 (8 pixels), x 2–3 (8),
  // x 4 (4), x 5–7 (12); the minimum is ⌊0.5·32/2⌋ = 8, so x 4 joins a neighbour: it shares 4 pixel edges with
  // x 2–3 and 4 with x 5–7, and the tie goes to x 2–3, first in raster order. Label 1 is now two segments.
  const s = slic(columns(4, [0.1, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9]), { segments: 2, compactness: 0, iterations: 10, moveCentres: false });
  assert.equal(s.count, 3);
  assert.deepEqual(rows(s.labels, 8), Array(4).fill('00111222'));
});

test('move_centres takes a centre off an edge pixel, to the lowest gradient of its 3×3', () => {
  // Row 0.1 0.1 0.1 0.1 0.4 0.6 0.9 0.9 on 4 rows; one iteration, colour alone. The right centre starts at (1, 5), on
  // the ramp (colour 0.6). Gradients in its 3×3: x = 4: (0.6 − 0.1)² = 0.25, x = 5: (0.9 − 0.4)² = 0.25,
  // x = 6: (0.9 − 0.6)² = 0.09, so it moves to (0, 6) and takes colour 0.9. Pixel x = 4 (0.4) is then nearer the
  // dark centre (0.09 against 0.25) and joins it; unmoved, the centre's 0.6 claims it (0.04 against 0.09).
  const ramp = columns(4, [0.1, 0.1, 0.1, 0.1, 0.4, 0.6, 0.9, 0.9]);
  const options = { segments: 2, compactness: 0, iterations: 1 };
  assert.deepEqual(rows(slic(ramp, { ...options, moveCentres: true }).labels, 8), Array(4).fill('00000111'));
  assert.deepEqual(rows(slic(ramp, { ...options, moveCentres: false }).labels, 8), Array(4).fill('00001111'));
});

test('colour: the distance sums squared differences over every channel', () => {
  // 4×8×2, an edge in one channel while the other is flat at 0.5: the segments follow it off the grid's x = 4 split.
  const edgeIn = (channel: number, at: number): ImageSample => ({
    height: 4,
    width: 8,
    channels: 2,
    pixels: Float32Array.from({ length: 64 }, (_, f) => (f % 2 !== channel ? 0.5 : Math.floor(f / 2) % 8 < at ? 0.1 : 0.9)),
  });
  assert.deepEqual(rows(slic(edgeIn(1, 3), defaults).labels, 8), Array(4).fill('00011111'));
  assert.deepEqual(rows(slic(edgeIn(0, 5), defaults).labels, 8), Array(4).fill('00000111'));
});

test('enforceConnectivity: a small piece joins the neighbour it shares the most pixel edges with', () => {
  // The piece of label 2 (3 pixels, below 4) touches label 0 along 3 edges and label 1 along 5: it joins label 1,
  // although label 0 comes first in raster order.
  const labels = Int32Array.from([0, 0, 0, 1, 1, 1, 0, 0, 2, 2, 2, 1, 0, 0, 0, 1, 1, 1]);
  const s = enforceConnectivity(labels, 3, 6, 4);
  assert.equal(s.count, 2);
  assert.deepEqual(rows(s.labels, 6), ['000111', '001111', '000111']);
});

test('enforceConnectivity: the smallest piece merges first, so two small neighbours can make one segment', () => {
  // The corner pixel (label 1, size 1) merges first, into the only neighbour it has, label 2's three pixels, which
  // then reach the minimum of 4. Taking pieces in raster order instead, label 2 (size 3) would join label 0, with
  // which it shares 4 edges against the corner's 2, and leave one segment.
  const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 1]);
  const s = enforceConnectivity(labels, 3, 4, 4);
  assert.equal(s.count, 2);
  assert.deepEqual(rows(s.labels, 4), ['0000', '0011', '0011']);
});

test('on random images every segment is one 4-connected region of at least the minimum size, numbered in raster order', () => {
  const rng = createRng(7);
  for (const [height, width, channels, segments] of [[28, 28, 1, 49], [9, 13, 3, 10], [5, 6, 2, 4]]) {
    const image = { height, width, channels, pixels: Float32Array.from({ length: height * width * channels }, () => rng.uniform()) };
    const { labels, count } = slic(image, { ...defaults, segments });
    const [gridRows, gridCols] = gridShape(height, width, segments);
    const minSize = Math.floor((MIN_SIZE_FACTOR * height * width) / (gridRows * gridCols));
    const first = Array.from({ length: count }, (_, s) => labels.indexOf(s));
    assert.deepEqual(first, [...first].sort((a, b) => a - b), 'numbered by first pixel');
    for (let s = 0; s < count; s++) {
      // Flood segment s from its first pixel; it must reach every pixel labelled s.
      const seen = new Set([first[s]]);
      for (const p of seen) {
        const y = Math.floor(p / width);
        const x = p % width;
        for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
          if (q >= 0 && labels[q] === s) seen.add(q);
        }
      }
      const size = labels.filter((l) => l === s).length;
      assert.equal(seen.size, size, `segment ${s} of ${height}×${width} is connected`);
      assert.ok(size >= minSize, `segment ${s} has ${size} pixels; the minimum is ${minSize}`);
    }
  }
});
