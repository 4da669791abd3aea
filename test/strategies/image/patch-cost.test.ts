// Larger patches, fewer tokens and MACs, exactly as the analytic formula says: (28/p)² tokens on 28×28 digits, and
// the cost evaluator's attention MACs 2 · depth · T² · dim, total MACs with embedding, QKV, output and MLP terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample, LoadedDataset } from '../../../datasets/types.js';
import { cost } from '../../../harness/evaluators/cost.js';
import { modelParams, trainParams } from '../../../harness/model/params.js';
import { COORD_FREQUENCIES } from '../../../harness/model/coords.js';
import { patch } from '../../../strategies/image/patch.js';
import type { Strategy } from '../../../strategies/types.js';

const info = { height: 28, width: 28, channels: 1 };
const digit: ImageSample = { ...info, pixels: Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 28) };
const model = modelParams.parse({ dim: 32, depth: 2, heads: 4, mlp_ratio: 2 });
const split = { samples: [digit, digit], labels: Int32Array.of(0, 0), index: Int32Array.of(0, 1) };
const dataset: LoadedDataset<'image'> = { modality: 'image', info, classNames: ['d'], train: split, validation: { samples: [], labels: new Int32Array(0), index: new Int32Array(0) }, test: split };

async function costOf(patchSize: number) {
  const strategy = patch.create(patch.params.parse({ patch_size: patchSize }), info);
  const tokens = [strategy.encode(digit), strategy.encode(digit)];
  const metrics = await cost.evaluate({ dataset, strategy: strategy as Strategy, trainTokens: tokens, validationTokens: [], testTokens: tokens, model, train: trainParams.parse({}), seed: 0 });
  return { tokens: tokens[0].length, attention: metrics.attention_macs as number, total: metrics.total_macs as number };
}

test('tokens and MACs fall as the patch grows, exactly as the formula says', async () => {
  const { dim: d, depth, mlp_ratio: r } = model;
  // Each token's coords (row, col, size) enter as sin and cos of COORD_FREQUENCIES frequencies each.
  const coordFeatures = 3 * 2 * COORD_FREQUENCIES;
  const rows = [];
  for (const p of [2, 4, 7, 14]) {
    const T = (28 / p) ** 2;
    const layer = 3 * T * d * d + 2 * T * T * d + T * d * d + 2 * T * d * (r * d);
    const expected = { tokens: T, attention: depth * 2 * T * T * d, total: T * (p * p + coordFeatures) * d + depth * layer };
    const measured = await costOf(p);
    assert.deepEqual(measured, expected, `patch ${p}`);
    rows.push(measured);
  }
  assert.deepEqual(rows.map((r) => r.tokens), [196, 49, 16, 4]);
  for (let i = 1; i < rows.length; i++) {
    assert.ok(rows[i].attention < rows[i - 1].attention && rows[i].total < rows[i - 1].total, `patch ${[2, 4, 7, 14][i]}`);
  }
});
