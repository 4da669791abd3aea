// Exact codebook usage and perplexity on hand-made ids, and which rows the codebook evaluator fills.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSample, LoadedDataset, Modality, Split } from '../../../datasets/types.js';
import { codebook, codeUsage } from '../../../harness/evaluators/codebook.js';
import { modelParams, trainParams } from '../../../harness/model/params.js';
import { createRng } from '../../../harness/random.js';
import { char } from '../../../strategies/sequence/char.js';
import { patch } from '../../../strategies/image/patch.js';
import { vq } from '../../../strategies/image/vq.js';
import type { Strategy, Tokens, TokenLayout } from '../../../strategies/types.js';

const tokens = (...ids: number[]): Tokens => ({ length: ids.length, ids: Int32Array.from(ids), values: new Float32Array(0), coords: new Float32Array(0), extent: [ids.length], dropped: 0 });
const idLayout = (vocab: number, specials: number): TokenLayout => ({ idChannels: 1, vocabSizes: [vocab], valueDim: 0, coordDim: 0, target: { kind: 'ids', channel: 0, specials }, maskSpan: 1 });

function close(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);
}

test('usage is the share of content ids that occur; perplexity is exp of the entropy of their frequencies', () => {
  // Vocabulary 6 with specials 0, 1: content ids 2..5. Ids 2, 2, 3 and 2, 4 (the 0 is a special, not counted):
  // counts 3, 1, 1, 0 of 5, so usage 3/4 and entropy 0.6·ln(5/3) + 0.4·ln 5, perplexity 5 / 3^0.6 ≈ 2.586.
  const usage = codeUsage([tokens(2, 2, 3, 0), tokens(2, 4)], idLayout(6, 2));
  assert.equal(usage?.usage, 0.75);
  close(usage?.perplexity, 5 / 3 ** 0.6);
});

test('perplexity runs from 1 (one code) to the number of codes (all equally used)', () => {
  assert.deepEqual(codeUsage([tokens(3, 3), tokens(3)], idLayout(5, 1)), { usage: 0.25, perplexity: 1 });
  const uniform = codeUsage([tokens(1, 2), tokens(3, 4)], idLayout(5, 1));
  assert.equal(uniform?.usage, 1);
  close(uniform?.perplexity, 4);
});

test('only the target id channel counts', () => {
  // Two channels, the target is channel 1 (vocabulary 3, specials 1): its ids 1, 2, 2 give counts 1, 2 of 3,
  // entropy ln 3 − (2/3)·ln 2, perplexity 3 / 2^(2/3) ≈ 1.890; channel 0 (7, 9, 7) is not read.
  const layout: TokenLayout = { idChannels: 2, vocabSizes: [10, 3], valueDim: 0, coordDim: 0, target: { kind: 'ids', channel: 1, specials: 1 }, maskSpan: 1 };
  const usage = codeUsage([{ ...tokens(7, 1, 9, 2, 7, 2), length: 3 }], layout);
  assert.equal(usage?.usage, 1);
  close(usage?.perplexity, 3 / 2 ** (2 / 3));
});

test('null for a values target and when no content id occurs', () => {
  const values: TokenLayout = { idChannels: 0, vocabSizes: [], valueDim: 4, coordDim: 3, target: { kind: 'values' }, maskSpan: 1 };
  assert.equal(codeUsage([tokens()], values), null);
  assert.equal(codeUsage([tokens(0, 1), tokens()], idLayout(5, 2)), null);
  assert.equal(codeUsage([], idLayout(5, 2)), null);
});

function split<M extends Modality>(samples: Split<M>['samples']): Split<M> {
  return { samples, labels: new Int32Array(samples.length), index: Int32Array.from(samples.keys()) };
}

async function evaluate<M extends Modality>(dataset: LoadedDataset<M>, strategy: Strategy<M>) {
  strategy.fit?.(dataset.train.samples, createRng(0));
  const encode = (samples: Split<M>['samples']) => samples.map((s) => strategy.encode(s));
  return codebook.evaluate({
    dataset,
    strategy: strategy as Strategy,
    trainTokens: encode(dataset.train.samples),
    validationTokens: [],
    testTokens: encode(dataset.test.samples),
    model: modelParams.parse({}),
    train: trainParams.parse({}),
    seed: 0,
  });
}

const grey = (...pixels: number[]): ImageSample => ({ height: 1, width: pixels.length, channels: 1, pixels: Float32Array.from(pixels) });

test('the evaluator fills image rows with an id target (vq), and leaves image patches and DNA ids null', async () => {
  // 1×1 patches of intensities 0, 0.5, 1: three codes, ids 1, 2, 3. The test images use ids 1 and 3 four times each:
  // usage 2/3, perplexity 2.
  const info = { height: 1, width: 4, channels: 1 };
  const images: LoadedDataset<'image'> = {
    modality: 'image',
    info,
    classNames: ['digit'],
    train: split([grey(0, 0.5, 1, 1), grey(0, 0, 0.5, 1)]),
    validation: split([]),
    test: split([grey(0, 1, 0, 1), grey(1, 1, 0, 0)]),
  };
  const codes = await evaluate(images, vq.create(vq.params.parse({ patch_size: 1, vocab_size: 3 }), info));
  assert.equal(codes.codebook_usage, 2 / 3);
  close(codes.codebook_perplexity as number, 2);
  assert.deepEqual(await evaluate(images, patch.create(patch.params.parse({ patch_size: 1 }), info)), { codebook_usage: null, codebook_perplexity: null });
  const dna: LoadedDataset<'sequence'> = { modality: 'sequence', info: { minLength: 4, maxLength: 4 }, classNames: ['dna'], train: split(['ACGT']), validation: split([]), test: split(['AACC']) };
  assert.deepEqual(await evaluate(dna, char.create(char.params.parse({}), dna.info)), { codebook_usage: null, codebook_perplexity: null });
});
