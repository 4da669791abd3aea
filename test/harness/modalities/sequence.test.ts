// DNA's canonical codes, per-base error and most-frequent-base reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmerSpectrum, mostFrequentBase, sequence } from '../../../harness/modalities/sequence.js';

const info = { minLength: 6, maxLength: 6 };

test('bases are coded A C G T and N (anything else) and compared one by one', () => {
  assert.deepEqual(sequence.canonical('ACGTNX', info), Float32Array.of(0, 1, 2, 3, 4, 4));
  const truth = sequence.canonical('ACGT', info);
  assert.deepEqual(sequence.error(truth, sequence.canonical('ACCN', info)), { sum: 2, count: 4 });
  assert.deepEqual(sequence.error(truth, sequence.canonical('ACCN', info), [0, 2]), { sum: 1, count: 2 });
});

test('the reference is the most frequent training base, ties to the first of A C G T, N never chosen', () => {
  assert.equal(mostFrequentBase(['NNNNT', 'G', 'T']), 'T');
  assert.equal(mostFrequentBase(['NNNNT', 'GG', 'T']), 'G');
  assert.equal(mostFrequentBase(['CG', 'GC']), 'C');
  assert.deepEqual(sequence.fitReference(['GGA'], info)('ACGT'), Float32Array.of(2, 2, 2, 2));
});

test('the baseline sees the k-mer spectrum: each k-mer\'s share of the windows without N, k = 3 … 6', () => {
  const spectrum = kmerSpectrum('ACGTNACG');
  assert.equal(spectrum.length, 64 + 256 + 1024 + 4096);
  // 3-mers: windows ACG, CGT, ACG (those holding N are skipped): ACG 2/3, CGT 1/3; codes in base 4 with A0 C1 G2 T3.
  const code = (kmer: string) => [...kmer].reduce((c, b) => c * 4 + 'ACGT'.indexOf(b), 0);
  assert.equal(spectrum[code('ACG')], Math.fround(2 / 3));
  assert.equal(spectrum[code('CGT')], Math.fround(1 / 3));
  assert.ok(Math.abs(spectrum.slice(0, 64).reduce((a, b) => a + b, 0) - 1) < 1e-6);
  // 4-mers: ACGT only; 5- and 6-mers: none fit between the Ns.
  assert.equal(spectrum[64 + code('ACGT')], 1);
  assert.equal(spectrum.slice(64 + 256).reduce((a, b) => a + b, 0), 0);
});
