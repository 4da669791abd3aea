import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plantMotifs, syntheticDna } from '../../../datasets/sequence/synthetic-dna.js';
import { simulatedSplitSeed, splitByFraction } from '../../../datasets/split.js';
import { SPLIT_SEED_PARAM, type LoadedDataset } from '../../../datasets/types.js';
import { createRng } from '../../../harness/random.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass, rowsOf } from '../split-checks.js';

const parse = (params: object) => syntheticDna.params.parse(params);
const load = (params: object) => syntheticDna.load(parse(params));

function kmers(sequence: string, k: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + k <= sequence.length; i++) out.add(sequence.slice(i, i + k));
  return out;
}

describe('synthetic-dna', () => {
  it('gives 600 sequences of 200 bases over ACGTN, 420/180 and balanced', async () => {
    const data = await load({});
    assert.deepEqual(data.info, { minLength: 200, maxLength: 200 });
    assert.deepEqual(data.classNames, ['class0', 'class1', 'class2']);
    assert.equal(data.train.samples.length, 420);
    assert.equal(data.test.samples.length, 180);
    for (const side of [data.train, data.test]) {
      const counts = [0, 0, 0];
      for (const label of side.labels) counts[label]++;
      assert.deepEqual(counts, side === data.train ? [140, 140, 140] : [60, 60, 60]);
      for (const sequence of side.samples) assert.match(sequence, /^[ACGTN]{200}$/);
    }
    // n_rate 0.005 over 120,000 bases: about 600 Ns.
    const ns = [...data.train.samples, ...data.test.samples].join('').split('N').length - 1;
    assert.ok(ns > 450 && ns < 750, `${ns} Ns`);
  });

  it('labels sequence i as class i mod classes', async () => {
    const data = await load({ n: 30, classes: 4 });
    data.train.index.forEach((row, i) => assert.equal(data.train.labels[i], row % 4));
    data.test.index.forEach((row, i) => assert.equal(data.test.labels[i], row % 4));
  });

  it('plants each class motif intact when there is no noise', () => {
    const params = parse({ n: 90, length: 50, mutation_rate: 0, n_rate: 0 });
    const planted = plantMotifs(params, createRng(3));
    assert.equal(new Set(planted.motifs).size, 3);
    planted.sequences.forEach((sequence, i) => {
      const offset = planted.offsets[i];
      assert.ok(offset >= 0 && offset <= 50 - 8);
      assert.equal(sequence.slice(offset, offset + 8), planted.motifs[planted.labels[i]]);
    });
  });

  it('plants motifs shorter and longer than a 6-mer, each intact without noise', () => {
    for (const motifLength of [4, 12]) {
      const planted = plantMotifs(parse({ n: 30, length: 40, motif_length: motifLength, mutation_rate: 0, n_rate: 0 }), createRng(1));
      assert.ok(planted.motifs.every((motif) => motif.length === motifLength));
      planted.sequences.forEach((sequence, i) => assert.equal(sequence.slice(planted.offsets[i], planted.offsets[i] + motifLength), planted.motifs[planted.labels[i]]));
    }
    assert.equal(syntheticDna.params.safeParse({ length: 12, motif_length: 12 }).success, true);
  });

  it('shares exactly one 8-mer, the motif, across every sequence of a class (no noise)', async () => {
    const data: LoadedDataset<'sequence'> = await load({ mutation_rate: 0, n_rate: 0 });
    const shared = [0, 1, 2].map((c) => {
      const members = [...data.train.samples.filter((_, i) => data.train.labels[i] === c), ...data.test.samples.filter((_, i) => data.test.labels[i] === c)];
      let common = kmers(members[0], 8);
      for (const sequence of members.slice(1)) {
        const here = kmers(sequence, 8);
        common = new Set([...common].filter((kmer) => here.has(kmer)));
      }
      return [...common];
    });
    for (const common of shared) assert.equal(common.length, 1);
    assert.equal(new Set(shared.flat()).size, 3);
  });

  it('mutates motif bases at mutation_rate, always to a different base', () => {
    const params = parse({ n: 300, length: 20, motif_length: 20, mutation_rate: 0.25, n_rate: 0 });
    const planted = plantMotifs(params, createRng(9));
    let changed = 0;
    planted.sequences.forEach((sequence, i) => {
      const motif = planted.motifs[planted.labels[i]];
      for (let k = 0; k < 20; k++) if (sequence[k] !== motif[k]) changed++;
    });
    // 6,000 motif bases, each changed with probability 0.25: 1,500 ± 34 (one sd).
    assert.ok(Math.abs(changed / 6000 - 0.25) < 0.025, `${changed} of 6000 bases changed`);
  });

  it('is deterministic in its seed', async () => {
    assert.deepEqual(await load({ n: 40 }), await load({ n: 40 }));
    assert.notDeepEqual((await load({ n: 40, seed: 2 })).train.samples, (await load({ n: 40 })).train.samples);
  });

  it('describes what load gives, reading no file', async () => {
    const shape = await assertDescribeMatchesLoad(syntheticDna, parse({ n: 40, length: 30, classes: 4 }));
    assert.deepEqual(shape, { info: { minLength: 30, maxLength: 30 }, trainSize: 28, validationSize: 0, testSize: 12, classes: 4, files: [] });
  });

  it('refuses a test_fraction that leaves no training sequence in describe as in load', async () => {
    await assertBothRefuse(syntheticDna, parse({ n: 10, test_fraction: 0.95 }), ['test_fraction']);
  });

  it('rejects motifs longer than the sequence or too few for the classes', () => {
    assert.equal(syntheticDna.params.safeParse({ length: 5, motif_length: 6 }).success, false);
    assert.equal(syntheticDna.params.safeParse({ motif_length: 1, classes: 5 }).success, false);
    assert.equal(syntheticDna.params.safeParse({ motif_length: 1, classes: 4 }).success, true);
    assert.equal(syntheticDna.params.safeParse({ motif: 'ACGT' }).success, false);
  });

  describe('split_seed', () => {
    // 60 sequences of 3 balanced classes: 18 test (6 a class) and 42 training (14 a class).
    const small = { n: 60, length: 30 };
    const everyRow = Array.from({ length: 60 }, (_, row) => row);

    it('is absent from the resolved params unless written, and ranges like seed', () => {
      assert.equal(SPLIT_SEED_PARAM in parse({}), false);
      assert.equal(parse({ split_seed: 0 }).split_seed, 0);
      for (const bad of [-1, 2 ** 32, 1.5]) assert.equal(syntheticDna.params.safeParse({ split_seed: bad }).success, false, String(bad));
      assert.equal(syntheticDna.params.safeParse({ split_seed: 2 ** 32 - 1 }).success, true);
    });

    it('splits as split_seed = seed when omitted', async () => {
      assert.deepEqual(await load({ ...small, seed: 5 }), await load({ ...small, seed: 5, split_seed: 5 }));
    });

    it('draws the split from the tagged hash of the split seed alone', async () => {
      const labels = Int32Array.from(everyRow, (row) => row % 3);
      const expected = splitByFraction(labels, 0.3, simulatedSplitSeed(7), 'synthetic-dna');
      for (const seed of [0, 5]) {
        const data = await load({ ...small, seed, split_seed: 7 });
        assert.deepEqual(rowsOf(data), { train: [...expected.train], test: [...expected.test] });
      }
    });

    it('moves rows between the sides but never changes what a row holds', async () => {
      await assertSplitSeedMovesRowsOnly(load, small, 60);
    });

    it('changes every sequence, but not the rows, when only seed changes', async () => {
      const a = bySourceRow(await load({ ...small, seed: 5, split_seed: 6 }));
      const b = await load({ ...small, seed: 6, split_seed: 6 });
      assert.deepEqual(rowsOf(b), rowsOf(await load({ ...small, seed: 5, split_seed: 6 })));
      for (const [row, held] of bySourceRow(b)) {
        assert.equal(held.label, a.get(row)?.label);
        assert.notEqual(held.sample, a.get(row)?.sample, `source row ${row}`);
      }
    });

    it('stays stratified under every split seed', async () => {
      for (const splitSeed of [0, 1, 2, 3]) {
        const data = await load({ ...small, split_seed: splitSeed });
        assert.deepEqual(perClass(data.train.labels, 3), [14, 14, 14], `split_seed ${splitSeed}`);
        assert.deepEqual(perClass(data.test.labels, 3), [6, 6, 6], `split_seed ${splitSeed}`);
      }
    });
  });
});
