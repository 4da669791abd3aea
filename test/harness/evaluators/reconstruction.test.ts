// Every reconstruction column on tiny cases worked out by hand, one per modality: what is scored never
// depends on the prediction, and content a strategy drops or truncates counts against it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpressionSample, ImageSample } from '../../../datasets/types.js';
import { syntheticExpression } from '../../../datasets/expression/synthetic-expression.js';
import { mnist } from '../../../datasets/image/mnist.js';
import { selectBackend } from '../../../harness/backend/select.js';
import { maskedElements, reconstruction, scoreReconstruction, withPredictions } from '../../../harness/evaluators/reconstruction.js';
import { expression } from '../../../harness/modalities/expression.js';
import { image } from '../../../harness/modalities/image.js';
import { sequence } from '../../../harness/modalities/sequence.js';
import { Encoder } from '../../../harness/model/encoder.js';
import type { MaskedPrediction } from '../../../harness/training/predict-masked.js';
import { maskCount } from '../../../harness/training/masking.js';
import { rank } from '../../../strategies/expression/rank.js';
import { multiscale } from '../../../strategies/image/multiscale.js';
import { patch } from '../../../strategies/image/patch.js';
import { kmer } from '../../../strategies/sequence/kmer.js';
import { trainParams } from '../../../harness/model/params.js';

const close = (actual: unknown, expected: number, what: string) => {
  assert.equal(typeof actual, 'number', what);
  assert.ok(Math.abs((actual as number) - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
};

const ids = (positions: number[], predicted: number[]): MaskedPrediction => ({ positions: Int32Array.from(positions), ids: Int32Array.from(predicted), values: new Float32Array(0) });

// ── Expression ────────────────────────────────────────────────────────────────────────────────────────
// Genes A B C D E; library sizes of 10,000, so counts are counts per 10k and the canonical value is log1p(count).
const [A, B, C, D, E] = [0, 1, 2, 3, 4];
const gene = (g: number) => g + 2; // after <pad> and <mask>
const panel = { genes: ['A', 'B', 'C', 'D', 'E'], values: 'counts' as const };
const cell = (entries: [number, number][]): ExpressionSample => ({
  genes: Int32Array.from(entries, ([g]) => g),
  counts: Float32Array.from(entries, ([, c]) => c),
  librarySize: 10_000,
});
// Medians of the non-zero training values: A (6000+2000)/2 = 4000, B 2000, C 2000, D 4000, E none.
// Scaled by median: cell 1 A 1.5, B 1.5, C 0.5 → ranks A, B, C; cell 2 C 1.5, D 1, A 0.5, B 0.5 → C, D, A, …
// Mean scaled value by rank position (max_len 2): r0 (1.5 + 1.5)/2 = 1.5, r1 (1.5 + 1)/2 = 1.25.
const expressionTrain = [cell([[A, 6000], [B, 3000], [C, 1000]]), cell([[A, 2000], [B, 1000], [C, 3000], [D, 4000]])];
// Test cell: scaled A 1, B 1.5, C 1 → tokens [B, A] at max_len 2 (C truncated; E has no median, so it is dropped; D is 0).
const expressionTest = cell([[A, 4000], [B, 3000], [C, 2000], [E, 1000]]);
const L = (x: number) => Math.log1p(x);
const expressionTruth = [L(4000), L(3000), L(2000), 0, L(1000)];
// The reference predicts each gene's training mean of log1p(counts per 10k).
const expressionMean = [(L(6000) + L(2000)) / 2, (L(3000) + L(1000)) / 2, (L(1000) + L(3000)) / 2, L(4000) / 2, 0];
const sse = (truth: number[], predicted: number[]) => truth.reduce((s, t, g) => s + (t - predicted[g]) ** 2, 0);

function scoreExpression(prediction: MaskedPrediction) {
  const strategy = rank.create(rank.params.parse({ max_len: 2 }), panel);
  strategy.fit(expressionTrain);
  const tokens = strategy.encode(expressionTest);
  assert.deepEqual(Array.from(tokens.ids), [gene(B), gene(A)]);
  return scoreReconstruction({
    adapter: expression,
    info: panel,
    strategy,
    samples: [expressionTest],
    tokens: [tokens],
    predictions: [prediction],
    reference: expression.fitReference(expressionTrain, panel),
  });
}

test('expression: the whole panel is scored, so a wrong gene, a displaced visible gene and truncated genes all cost', () => {
  // Masking rank 0 (gene B). Visible A at rank 1 decodes to 1.25 × 4000 = 5000 in every case.
  const correct = scoreExpression(ids([0], [gene(B)])); // B at rank 0: 1.5 × 2000 = 3000, exact
  const absent = scoreExpression(ids([0], [gene(D)])); // D at rank 0: 1.5 × 4000 = 6000, though D is 0
  // A predicted again at rank 0: its first occurrence wins, 1.5 × 4000 = 6000, and B is left at 0.
  const visible = scoreExpression(ids([0], [gene(A)]));
  const expected = {
    correct: sse(expressionTruth, [L(5000), L(3000), 0, 0, 0]) / 5,
    absent: sse(expressionTruth, [L(5000), 0, 0, L(6000), 0]) / 5,
    visible: sse(expressionTruth, [L(6000), 0, 0, 0, 0]) / 5,
  };
  close(correct.reconstruction_error, expected.correct, 'correct');
  close(absent.reconstruction_error, expected.absent, 'absent gene');
  close(visible.reconstruction_error, expected.visible, 'visible gene');
  assert.ok(expected.correct < expected.visible && expected.visible < expected.absent);
  for (const metrics of [correct, absent, visible]) {
    // Only B was carried by the masked token alone: one element whatever the prediction.
    assert.equal(metrics.masked_elements, 1);
    // The fill reference keeps the visible A (5000) and puts B's training mean where B was.
    close(metrics.reconstruction_fill_reference, sse(expressionTruth, [L(5000), expressionMean[B], 0, 0, 0]) / 5, 'fill reference');
    close(metrics.masked_element_fraction, 1 / 5, 'masked fraction');
    close(metrics.reconstruction_reference, sse(expressionTruth, expressionMean) / 5, 'reference');
    close(metrics.masked_reconstruction_reference, (L(3000) - expressionMean[B]) ** 2, 'masked reference');
  }
  close(correct.masked_reconstruction_error, 0, 'masked, correct');
  close(absent.masked_reconstruction_error, L(3000) ** 2, 'masked, absent gene');
  close(visible.masked_reconstruction_error, L(3000) ** 2, 'masked, visible gene');
  assert.deepEqual([correct.masked_token_accuracy, absent.masked_token_accuracy, visible.masked_token_accuracy], [1, 0, 0]);
});

test('expression: for a model that predicts the same thing, more tokens (a larger max_len) never score worse', async () => {
  const data = await syntheticExpression.load(syntheticExpression.params.parse({ cells: 120, genes: 300, types: 3, seed: 3 }));
  const reference = expression.fitReference(data.train.samples, data.info);
  const errors = [8, 32, 128, 300].map((maxLen) => {
    const strategy = rank.create(rank.params.parse({ max_len: maxLen }), data.info);
    strategy.fit(data.train.samples);
    const tokens = data.test.samples.map((s) => strategy.encode(s));
    // A model that answers <pad> for every masked token, the first quarter of each cell's tokens.
    const predictions = tokens.map((t) => {
      const positions = Array.from({ length: maskCount(t.length, 0.25) }, (_, i) => i);
      return ids(positions, positions.map(() => 0));
    });
    const metrics = scoreReconstruction({ adapter: expression, info: data.info, strategy, samples: data.test.samples, tokens, predictions, reference });
    return metrics.reconstruction_error as number;
  });
  for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `max_len errors ${errors.join(', ')} must fall`);
});

// ── Images ────────────────────────────────────────────────────────────────────────────────────────────
// A 3×3 image in 2×2 patches: token 0 (0,0) covers pixels 0 1 3 4, token 1 (0,2) pixels 2 5,
// token 2 (2,0) pixels 6 7, token 3 (2,2) pixel 8; the rest of tokens 1–3 is zero padding.
const imageInfo = { height: 3, width: 3, channels: 1 };
const picture = (pixels: number[]): ImageSample => ({ ...imageInfo, pixels: Float32Array.from(pixels) });

test('images: every pixel is scored, a masked patch by the prediction of its real pixels only', () => {
  const strategy = patch.create(patch.params.parse({ patch_size: 2 }), imageInfo);
  const test = picture([0.5, 0.5, 1, 0.5, 0.5, 1, 0, 0, 0.25]);
  const tokens = strategy.encode(test);
  // Token 1 masked; the model predicts 0.5 for its real pixels (2 and 5) and 9 for its padding, which decode crops.
  const prediction: MaskedPrediction = { positions: Int32Array.of(1), ids: new Int32Array(0), values: Float32Array.of(0.5, 9, 0.5, 9) };
  const train = [picture([0, 0, 0, 0, 0, 0, 0, 0, 0]), picture([1, 1, 1, 1, 1, 1, 1, 1, 1])];
  const metrics = scoreReconstruction({ adapter: image, info: imageInfo, strategy, samples: [test], tokens: [tokens], predictions: [prediction], reference: image.fitReference(train, imageInfo) });
  // Pixels 2 and 5 are off by 0.5 each: (0.25 + 0.25) / 9.
  close(metrics.reconstruction_error, 0.5 / 9, 'error');
  close(metrics.masked_reconstruction_error, 0.25, 'masked error');
  // The reference is 0.5 everywhere: errors 0,0,0.5,0,0,0.5,0.5,0.5,0.25 → squares sum to 4 × 0.25 + 0.0625.
  close(metrics.reconstruction_reference, 1.0625 / 9, 'reference');
  // Keeping the visible patches and filling pixels 2 and 5 with the mean (0.5) errs as the model does.
  close(metrics.reconstruction_fill_reference, 0.5 / 9, 'fill reference');
  close(metrics.masked_reconstruction_reference, 0.25, 'masked reference');
  assert.equal(metrics.masked_elements, 2);
  close(metrics.masked_element_fraction, 2 / 9, 'fraction');
  assert.equal(metrics.masked_token_accuracy, null);
  // Padding is marked so pre-training never targets it.
  assert.deepEqual(Array.from(tokens.realValues ?? []), [1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0]);
});

// ── DNA ───────────────────────────────────────────────────────────────────────────────────────────────
test('DNA: every base is scored; bases a visible k-mer spells out are not masked; truncated bases are wrong', () => {
  const strategy = kmer.create(kmer.params.parse({ k: 3, max_len: 5 }), { minLength: 8, maxLength: 8 });
  const idOf = (k3: string) => strategy.encode(k3).ids[0];
  // Sample 0: ACG CGT GTA TAC ACG; tokens 1–3 masked and predicted CGA GAA AAC. Votes per base: 3 gets
  // A from all three predicted k-mers (wrong, T); 4 gets A from GAA, AAC and the visible ACG (right).
  // Only base 3 is carried by masked tokens alone (token 0 shows 0–2, token 4 shows 4–6).
  const first = 'ACGTACG';
  // Sample 1: 8 bases but max_len 5 → tokens cover bases 0–6; base 7 is dropped and decodes as N (wrong).
  // Tokens 0–2 masked and predicted right; only bases 0–2 are carried by masked tokens alone.
  const second = 'ACGTACGT';
  const tokens = [strategy.encode(first), strategy.encode(second)];
  const predictions = [ids([1, 2, 3], [idOf('CGA'), idOf('GAA'), idOf('AAC')]), ids([0, 1, 2], [idOf('ACG'), idOf('CGT'), idOf('GTA')])];
  assert.deepEqual(maskedElements(strategy, tokens[0], predictions[0].positions, 7), Int32Array.of(3));
  assert.deepEqual(maskedElements(strategy, tokens[1], predictions[1].positions, 8), Int32Array.of(0, 1, 2));
  // Training bases: A 4, C 1, G 1, T 2 → the reference says A everywhere.
  const train = ['AAAT', 'ACGT'];
  const metrics = scoreReconstruction({ adapter: sequence, info: { minLength: 8, maxLength: 8 }, strategy, samples: [first, second], tokens, predictions, reference: sequence.fitReference(train, { minLength: 8, maxLength: 8 }) });
  close(metrics.reconstruction_error, (1 + 1) / 15, 'error');
  close(metrics.masked_reconstruction_error, 1 / 4, 'masked error');
  // A is right at bases 0 and 4 of both: 5 of 7 and 6 of 8 wrong; masked: T of sample 0, C and G of sample 1.
  close(metrics.reconstruction_reference, 11 / 15, 'reference');
  // Fill: sample 0 gets A at base 3 (wrong); sample 1 A at bases 0–2 (C, G wrong) and N at the dropped base 7.
  close(metrics.reconstruction_fill_reference, 4 / 15, 'fill reference');
  close(metrics.masked_reconstruction_reference, 3 / 4, 'masked reference');
  assert.equal(metrics.masked_elements, 4);
  close(metrics.masked_element_fraction, 4 / 15, 'fraction');
  close(metrics.masked_token_accuracy, 3 / 6, 'token accuracy');
});

test('DNA: [UNK] targets are not scored by token accuracy, but their bases are by the error', () => {
  const strategy = kmer.create(kmer.params.parse({ k: 3 }), { minLength: 6, maxLength: 6 });
  // ACN CNT NTA are [UNK]; TAC is a k-mer. Masking tokens 0–2 hides bases 0–2 (TAC shows 3–5).
  const sample = 'ACNTAC';
  const tokens = strategy.encode(sample);
  const aaa = strategy.encode('AAA').ids[0];
  const metrics = scoreReconstruction({
    adapter: sequence,
    info: { minLength: 6, maxLength: 6 },
    strategy,
    samples: [sample],
    tokens: [tokens],
    predictions: [ids([0, 1, 2], [aaa, aaa, aaa])],
    reference: sequence.fitReference(['AAAT', 'ACGT'], { minLength: 6, maxLength: 6 }),
  });
  // Votes give A A A A A C (base 3: A, A against the visible T): wrong at bases 1, 2 and 3.
  close(metrics.reconstruction_error, 3 / 6, 'error');
  close(metrics.masked_reconstruction_error, 2 / 3, 'masked error');
  // Fill: A A A in the hole, T A C from the visible k-mer: wrong at bases 1 and 2.
  close(metrics.reconstruction_fill_reference, 2 / 6, 'fill reference');
  assert.equal(metrics.masked_token_accuracy, null, 'every masked target was [UNK]');
});

test('withPredictions replaces only the masked content of the target', () => {
  const strategy = patch.create(patch.params.parse({ patch_size: 2 }), { height: 2, width: 4, channels: 1 });
  const tokens = strategy.encode({ height: 2, width: 4, channels: 1, pixels: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) });
  const predicted = withPredictions(tokens, { positions: Int32Array.from([1]), ids: new Int32Array(0), values: Float32Array.from([9, 9, 9, 9]) }, strategy.layout);
  assert.deepEqual(Array.from(predicted.values), [0, 1, 4, 5, 9, 9, 9, 9]);
  assert.deepEqual(Array.from(tokens.values), [0, 1, 4, 5, 2, 3, 6, 7]);
});

// ── The evaluator end to end, with an untrained encoder ───────────────────────────────────────────────
before(async () => {
  await selectBackend('wasm');
});

test('the evaluator masks a quarter of the tokens and scores against the training mean image', async () => {
  const data = await mnist.load(mnist.params.parse({ train_size: 40, test_size: 20, seed: 0 }));
  const strategy = patch.create(patch.params.parse({ patch_size: 7 }), data.info);
  const testTokens = data.test.samples.map((s) => strategy.encode(s));
  const encoder = new Encoder(strategy.layout, { dim: 8, depth: 1, heads: 2, mlp_ratio: 2 }, 1);
  const train = trainParams.parse({ pretrain_budget: { epochs: 0 }, classify_budget: { epochs: 1 }, batch_size: 8, classify: 'none' });
  const context = { dataset: data, strategy, trainTokens: [], validationTokens: [], testTokens, model: encoder.params, train, seed: 4, encoder };
  const metrics = await reconstruction.evaluate(context);
  encoder.dispose();
  // 16 patches of 49 pixels, 4 masked per digit, none overlapping: exactly a quarter of the pixels.
  assert.equal(metrics.masked_elements, 20 * 4 * 49);
  assert.equal(metrics.masked_element_fraction, 0.25);
  // The reference computed independently: each test pixel against the mean of the 40 training digits.
  const mean = new Float64Array(784);
  for (const s of data.train.samples) s.pixels.forEach((v, i) => (mean[i] += v / 40));
  let sum = 0;
  for (const s of data.test.samples) s.pixels.forEach((v, i) => (sum += (v - Math.fround(mean[i])) ** 2));
  close(metrics.reconstruction_reference, sum / (20 * 784), 'reference');
  // Visible patches decode exactly, so the whole-image error is the masked error spread over four times the pixels.
  close(metrics.reconstruction_error, (metrics.masked_reconstruction_error as number) / 4, 'error');
  assert.equal(metrics.masked_token_accuracy, null);
});

test('overlapping lossy tokens: the fill reference decodes the visible tokens alone, not the true masked ones', () => {
  // 4×4 image, pixel p = p/16, as a 4×4 token (its 2×2 block means) and four 2×2 tokens; the first 2×2 one masked.
  const info = { height: 4, width: 4, channels: 1 };
  const strategy = multiscale.create(multiscale.params.parse({ scales: [4, 2] }), info);
  const sample: ImageSample = { ...info, pixels: Float32Array.from({ length: 16 }, (_, p) => p / 16) };
  const tokens = strategy.encode(sample);
  assert.deepEqual(Array.from(tokens.coords.subarray(3, 6)), [0, 0, 2]);
  // The model predicts the masked block exactly; the coarse token still shows its pixels, so none is hidden.
  const prediction: MaskedPrediction = { positions: Int32Array.of(1), ids: new Int32Array(0), values: Float32Array.of(0, 1 / 16, 4 / 16, 5 / 16) };
  const train = [sample];
  const metrics = scoreReconstruction({ adapter: image, info, strategy, samples: [sample], tokens: [tokens], predictions: [prediction], reference: image.fitReference(train, info) });
  close(metrics.reconstruction_error, 0, 'error');
  assert.equal(metrics.masked_elements, 0);
  // Alone, the visible tokens say the block's mean, 10/64, at pixels 0, 1, 4, 5 (0, 4/64, 16/64, 20/64).
  const m = 10 / 64;
  close(metrics.reconstruction_fill_reference, ((0 - m) ** 2 + (4 / 64 - m) ** 2 + (16 / 64 - m) ** 2 + (20 / 64 - m) ** 2) / 16, 'fill reference');
});
