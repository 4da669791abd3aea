// The masked rows' targets, and a patch's zero padding kept out of the pre-training loss.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { maskBatch, maskedTargets } from '../../../harness/training/masked-batch.js';
import { patch } from '../../../strategies/image/patch.js';

before(async () => {
  await selectBackend('wasm');
});

// A 3×3 image in 2×2 patches: token 1 covers column 2 (pixels 2 and 5); its other two values are padding.
const info = { height: 3, width: 3, channels: 1 };
const strategy = patch.create(patch.params.parse({ patch_size: 2 }), info);
const tokens = strategy.encode({ ...info, pixels: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) });

test('targets of masked patches carry weight 1 for pixels and 0 for padding', () => {
  const masked = maskBatch([tokens], [0], [Int32Array.of(0, 1)], strategy.layout);
  assert.deepEqual(Array.from(masked.rows), [0, 1]);
  assert.deepEqual(Array.from(masked.targetValues), [1, 2, 4, 5, 3, 0, 6, 0]);
  assert.deepEqual(Array.from(masked.targetWeights), [1, 1, 1, 1, 1, 0, 1, 0]);
});

test('the value loss is the mean squared error over real values only', () => {
  const encoder = new Encoder(strategy.layout, { dim: 8, depth: 1, heads: 2, mlp_ratio: 2 }, 1);
  const masked = maskBatch([tokens], [0], [Int32Array.of(1)], strategy.layout);
  const loss = tf.tidy(() => {
    // Off by 1 at both pixels and by 100 at both padding slots: padding must not count.
    const prediction = tf.tensor2d([[4, 100, 7, 100]], [1, 4]);
    return encoder.reconstructionLoss(prediction, maskedTargets(encoder, masked)).dataSync()[0];
  });
  encoder.dispose();
  assert.equal(loss, 1);
});

test('a masked token whose true id is a special ([UNK]) is hidden but is no target', () => {
  const layout = { idChannels: 1, vocabSizes: [8], valueDim: 0, coordDim: 1, target: { kind: 'ids' as const, channel: 0, specials: 2 }, maskSpan: 1 };
  const tokens = { length: 3, ids: Int32Array.of(5, 1, 7), values: new Float32Array(0), coords: Float32Array.of(0, 1, 2), extent: [3], dropped: 0 };
  const masked = maskBatch([tokens], [0], [Int32Array.of(0, 1, 2)], layout);
  assert.deepEqual(Array.from(masked.rows), [0, 1, 2]);
  assert.deepEqual(Array.from(masked.targetIds), [5, 1, 7]);
  assert.deepEqual(Array.from(masked.targetWeights), [1, 0, 1]);
});
