// The tokenizing half of a cell: the random source of a strategy's fit (the run's seed for a seeded strategy, one fixed
// stream for the rest), and a fit that never sees the validation split, which comes back encoded beside the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDna } from '../../../datasets/sequence/synthetic-dna.js';
import type { InfoOf, LoadedDataset } from '../../../datasets/types.js';
import { fitCell, prepareCell, prepareOnce, tokenizerRandom } from '../../../harness/runner/prepare.js';
import { bpe } from '../../../strategies/sequence/bpe.js';

const draws = (definition: { seeded?: boolean }, seed: number) => {
  const rng = tokenizerRandom(definition, seed);
  return [rng.uniform(), rng.uniform(), rng.uniform()];
};

test('a seeded strategy draws from its run seed: the same seed repeats, another differs', () => {
  assert.deepEqual(draws({ seeded: true }, 3), draws({ seeded: true }, 3));
  assert.notDeepEqual(draws({ seeded: true }, 3), draws({ seeded: true }, 4));
});

test('a strategy that is not seeded gets one stream whatever the run seed, that of seed 0 for a seeded one', () => {
  assert.deepEqual(draws({}, 3), draws({ seeded: false }, 4));
  assert.deepEqual(draws({}, 3), draws({ seeded: true }, 0));
});

/** A bpe cell on 40 synthetic DNA sequences (12 test, 28 training), holding `valFraction` of the training ones out. */
const bpeCell = (valFraction: number) => ({
  dataset: { name: 'synthetic-dna', params: syntheticDna.params.parse({ n: 40, length: 30 }) },
  strategy: { name: 'bpe', params: bpe.params.parse({ vocab_size: 24 }) },
  baseDir: '.',
  train: { val_fraction: valFraction },
});

/** bpe's learned vocabulary and merges after a fit on `samples`. */
function fittedOn(info: InfoOf['sequence'], samples: readonly string[]): Readonly<Record<string, string>> {
  const strategy = bpe.create(bpe.params.parse({ vocab_size: 24 }), info);
  strategy.fit(samples);
  return strategy.artifacts();
}

test('the strategy is fitted on the training split without its validation samples, and every split comes back encoded', async () => {
  const { dataset, strategy, trainTokens, validationTokens, testTokens } = await prepareCell(bpeCell(0.25), 0);
  const { train, validation, test: held } = dataset as LoadedDataset<'sequence'>;
  // ceil(0.25 × 28) = 7 validation sequences.
  assert.deepEqual([train.samples.length, validation.samples.length, held.samples.length], [21, 7, 12]);
  const info = dataset.info as InfoOf['sequence'];
  assert.deepEqual(strategy.artifacts?.(), fittedOn(info, train.samples));
  assert.notDeepEqual(strategy.artifacts?.(), fittedOn(info, [...train.samples, ...validation.samples]), 'the validation sequences would change the merges');
  assert.deepEqual([trainTokens.length, validationTokens.length, testTokens.length], [21, 7, 12]);
  validation.samples.forEach((sample, i) => assert.deepEqual(validationTokens[i], strategy.encode(sample)));
});

test('the validation rows are the same for every run seed, and without val_fraction they train', async () => {
  const a = await fitCell(bpeCell(0.25), 0);
  const b = await fitCell(bpeCell(0.25), 9);
  assert.deepEqual(a.dataset.validation.index, b.dataset.validation.index);
  const whole = await fitCell(bpeCell(0), 0);
  assert.equal(whole.dataset.validation.samples.length, 0);
  assert.deepEqual(whole.dataset.test.index, a.dataset.test.index);
  assert.deepEqual([...a.dataset.train.index, ...a.dataset.validation.index].sort((x, y) => x - y), [...whole.dataset.train.index]);
  assert.deepEqual(whole.strategy.artifacts?.(), fittedOn(whole.dataset.info as InfoOf['sequence'], whole.dataset.train.samples as string[]));
});

test('prepareOnce tokenizes again when only val_fraction changes', async () => {
  const carved = await prepareOnce(bpeCell(0.25), 0);
  const whole = await prepareOnce(bpeCell(0), 0);
  assert.deepEqual([carved.validationTokens.length, whole.validationTokens.length], [7, 0]);
  assert.deepEqual([carved.trainTokens.length, whole.trainTokens.length], [21, 28]);
});
