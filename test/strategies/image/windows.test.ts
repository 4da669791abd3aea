// Exact window counts, in-image extents, covers and labels of square windows on an image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tokens } from '../../../strategies/types.js';
import { inside, windowCount, windowCovers, windowLabel } from '../../../strategies/image/windows.js';

test('windowCount: 0, stride, … up to the first window that reaches the last pixel, at least one', () => {
  assert.equal(windowCount(28, 4, 4), 7);
  assert.equal(windowCount(5, 2, 2), 3); // 0, 2, 4: the last reaches past the edge
  assert.equal(windowCount(28, 8, 4), 6); // 0, 4, …, 20: the one at 20 reaches 27, so none at 24
  assert.equal(windowCount(5, 3, 2), 2); // 0, 2: the one at 2 reaches 4
  assert.equal(windowCount(6, 3, 2), 3); // 0, 2, 4: the one at 2 stops at 4, short of 5
  assert.equal(windowCount(4, 2, 1), 3);
  assert.equal(windowCount(3, 4, 4), 1);
  assert.equal(windowCount(3, 8, 2), 1);
});

test('inside: the pixels of a window within the axis', () => {
  assert.deepEqual([inside(0, 3, 5), inside(4, 3, 5), inside(5, 3, 5), inside(6, 3, 5)], [3, 1, 0, 0]);
});

test('windowCovers lists the in-image elements of a window row by row, channels last; windowLabel names it', () => {
  // A 3 × 4 × 2 image; token 0 at (1,2) of side 3 overhangs the bottom and right edges.
  const tokens: Tokens = { length: 1, ids: new Int32Array(0), values: new Float32Array(18), coords: Float32Array.of(1, 2, 3), extent: [3, 4, 2], dropped: 0 };
  // Pixels (1,2), (1,3), (2,2), (2,3): flat (y·4 + x)·2 + c.
  assert.deepEqual(Array.from(windowCovers(tokens, 0)), [12, 13, 14, 15, 20, 21, 22, 23]);
  assert.equal(windowLabel(tokens, 0), 'patch(1,2,3)');
});
