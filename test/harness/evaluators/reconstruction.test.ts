// Which input elements masked reconstruction is scored on, and how predictions replace masked content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmer } from '../../../strategies/sequence/kmer.js';
import { patch } from '../../../strategies/image/patch.js';
import { hiddenElements, withPredictions } from '../../../harness/evaluators/reconstruction.js';

test('k-mers: a base a visible overlapping k-mer spells out is not hidden', () => {
  const strategy = kmer.create(kmer.params.parse({ k: 3 }), { maxLength: 7 });
  const tokens = strategy.encode('ACGTACG'); // ACG CGT GTA TAC ACG, token i covers bases i..i+2
  // A span of k = 3 masked k-mers (1..3) covers bases 1..5; tokens 0 and 4 still show 0..2 and 4..6.
  assert.deepEqual([...hiddenElements(strategy, tokens, tokens, Int32Array.from([1, 2, 3]))], [3]);
  // Masking the last two tokens hides bases 5 and 6 only (token 2 shows 2..4).
  assert.deepEqual([...hiddenElements(strategy, tokens, tokens, Int32Array.from([3, 4]))].sort(), [5, 6]);
});

test('patches: a masked patch hides exactly its own pixels', () => {
  const strategy = patch.create(patch.params.parse({ patch_size: 2 }), { height: 2, width: 4, channels: 1 });
  const tokens = strategy.encode({ height: 2, width: 4, channels: 1, pixels: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) });
  // Patch 1 is columns 2..3 of both rows: flat pixels 2, 3, 6, 7.
  assert.deepEqual([...hiddenElements(strategy, tokens, tokens, Int32Array.from([1]))].sort(), [2, 3, 6, 7]);
});

test('withPredictions replaces only the masked content of the target', () => {
  const strategy = patch.create(patch.params.parse({ patch_size: 2 }), { height: 2, width: 4, channels: 1 });
  const tokens = strategy.encode({ height: 2, width: 4, channels: 1, pixels: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) });
  const predicted = withPredictions(tokens, { positions: Int32Array.from([1]), ids: new Int32Array(0), values: Float32Array.from([9, 9, 9, 9]) }, strategy.layout);
  assert.deepEqual(Array.from(predicted.values), [0, 1, 4, 5, 9, 9, 9, 9]);
  assert.deepEqual(Array.from(tokens.values), [0, 1, 4, 5, 2, 3, 6, 7]);
  const dna = kmer.create(kmer.params.parse({ k: 3 }), { maxLength: 5 });
  const ids = dna.encode('AAAAT');
  const swapped = withPredictions(ids, { positions: Int32Array.from([2]), ids: Int32Array.from([7]), values: new Float32Array(0) }, dna.layout);
  assert.deepEqual(Array.from(swapped.ids), [ids.ids[0], ids.ids[1], 7]);
});
