// Tests of the analytic MAC count against hand counts and torchvision's published ViT operation counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLOPS_PER_MAC, encoderMacs, mlpWidth, toFlops } from '../../harness/flops.js';
import { TokbenchError } from '../../harness/errors.js';

test('a tiny encoder, counted by hand', () => {
  // D = 4, H = 8, N = 3 tokens of width 2, one block.
  const macs = encoderMacs({ dim: 4, depth: 1, mlp_ratio: 2 }, { tokens: 3, valueDim: 2 });
  const layer = { qkv: 3 * 3 * 16, scores: 9 * 4, weighted: 9 * 4, output: 3 * 16, mlp: 2 * 3 * 4 * 8, total: 456 };
  assert.deepEqual(macs, { embedding: 24, ...layer, total: 480, layer, depth: 1 });
});

test('coordinates and extra tokens: projected tokens pay the embedding, all tokens pay the blocks', () => {
  const macs = encoderMacs({ dim: 8, depth: 3, mlp_ratio: 1 }, { tokens: 5, valueDim: 2, coordDim: 3, extraTokens: 1 });
  assert.equal(macs.embedding, 5 * (2 + 3) * 8);
  assert.equal(macs.layer.scores, 6 * 6 * 8);
  assert.equal(macs.layer.mlp, 2 * 6 * 8 * 8);
  assert.equal(macs.qkv, 3 * macs.layer.qkv);
  assert.equal(macs.total, macs.embedding + 3 * macs.layer.total);
});

test('FLOPs are twice the MACs, part by part', () => {
  const macs = encoderMacs({ dim: 4, depth: 2, mlp_ratio: 2 }, { tokens: 3, valueDim: 2 });
  const flops = toFlops(macs);
  assert.equal(FLOPS_PER_MAC, 2);
  assert.equal(flops.total, 2 * macs.total);
  assert.equal(flops.embedding, 2 * macs.embedding);
  assert.equal(flops.layer.mlp, 2 * macs.layer.mlp);
  assert.equal(flops.depth, 2);
});

test('the MLP hidden width is rounded and at least 1, as the encoder builds it', () => {
  assert.equal(mlpWidth({ dim: 30, mlp_ratio: 2.5 }), 75);
  assert.equal(mlpWidth({ dim: 10, mlp_ratio: 1.55 }), 16);
  assert.equal(mlpWidth({ dim: 4, mlp_ratio: 0.1 }), 1);
  assert.equal(encoderMacs({ dim: 10, depth: 1, mlp_ratio: 1.55 }, { tokens: 2, valueDim: 0 }).layer.mlp, 2 * 2 * 10 * 16);
});

test('ViT-B/16 at 224×224 is 17.56 GMACs (fvcore/timm)', () => {
  // 196 patches of 16×16×3 = 768 values, plus the class token.
  const macs = encoderMacs({ dim: 768, depth: 12, mlp_ratio: 4 }, { tokens: 196, valueDim: 768, extraTokens: 1 });
  assert.equal(macs.embedding, 196 * 768 * 768);
  assert.equal(macs.total, 17_563_060_224);
  assert.ok(Math.abs(macs.total / 17.56e9 - 1) < 0.01);
});

test("torchvision's published ViT operation counts, to their three decimals", () => {
  // torchvision 0.13–0.15 weight metadata `_ops` (GMACs of the whole classifier, so the 1000-way head is added).
  const published: [string, number, number, number, number, number][] = [
    // name, dim, depth, patches, patch values, GMACs
    ['ViT-B/16', 768, 12, 196, 768, 17.564],
    ['ViT-B/32', 768, 12, 49, 3072, 4.409],
    ['ViT-L/16', 1024, 24, 196, 768, 61.555],
    ['ViT-L/32', 1024, 24, 49, 3072, 15.378],
    ['ViT-B/16 at 384', 768, 12, 576, 768, 55.484],
    ['ViT-L/16 at 512', 1024, 24, 1024, 768, 361.986],
    ['ViT-H/14 at 518', 1280, 32, 37 * 37, 588, 1016.717],
  ];
  for (const [name, dim, depth, patches, values, gmacs] of published) {
    const macs = encoderMacs({ dim, depth, mlp_ratio: 4 }, { tokens: patches, valueDim: values, extraTokens: 1 });
    const withHead = (macs.total + dim * 1000) / 1e9;
    assert.equal(withHead.toFixed(3), gmacs.toFixed(3), name);
  }
});

test('a token count that is not a non-negative integer is an invalid-param error', () => {
  for (const tokens of [-1, 2.5, Number.NaN]) {
    assert.throws(
      () => encoderMacs({ dim: 4, depth: 1, mlp_ratio: 2 }, { tokens, valueDim: 2 }),
      (error: unknown) =>
        error instanceof TokbenchError &&
        error.code === 'invalid-param' &&
        error.message === `The 'tokens' parameter of encoderMacs must be a non-negative integer; got ${tokens} instead.`,
    );
  }
});
