import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { geneNames, simulateSplat, syntheticExpression } from '../../../datasets/expression/synthetic-expression.js';
import { simulatedSplitSeed, splitByFraction } from '../../../datasets/split.js';
import { SPLIT_SEED_PARAM, type ExpressionSample, type LoadedDataset } from '../../../datasets/types.js';
import { createRng } from '../../../harness/random.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { assertSplitSeedMovesRowsOnly, bySourceRow, perClass, rowsOf } from '../split-checks.js';

const load = (params: object) => syntheticExpression.load(syntheticExpression.params.parse(params));
const cells = (data: LoadedDataset<'expression'>): ExpressionSample[] => [...data.train.samples, ...data.test.samples];

function meanAndSd(values: number[]): [number, number] {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return [mean, Math.sqrt(variance)];
}

describe('synthetic-expression', () => {
  it('gives sparse integer counts on a named panel, split 70/30 by cell type', async () => {
    const data = await load({});
    assert.equal(data.train.samples.length, 420);
    assert.equal(data.test.samples.length, 180);
    assert.equal(data.info.genes.length, 500);
    assert.equal(data.info.genes[0], 'Gene0001');
    assert.equal(data.info.genes[499], 'Gene0500');
    assert.deepEqual(data.classNames, ['Type1', 'Type2', 'Type3', 'Type4']);
    for (const cell of cells(data)) {
      assert.equal(cell.genes.length, cell.counts.length);
      for (let i = 1; i < cell.genes.length; i++) assert.ok(cell.genes[i - 1] < cell.genes[i]);
      assert.ok(cell.genes.every((gene) => gene >= 0 && gene < 500));
      assert.ok(cell.counts.every((count) => count > 0 && Number.isInteger(count)));
      assert.equal(cell.librarySize, [...cell.counts].reduce((sum, count) => sum + count, 0));
    }
    const rows = new Set([...data.train.index, ...data.test.index]);
    assert.equal(rows.size, 600);
  });

  it('is deterministic in its seed', async () => {
    const a = await load({ cells: 50, genes: 40 });
    const b = await load({ cells: 50, genes: 40 });
    const c = await load({ cells: 50, genes: 40, seed: 2 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(cells(a), cells(c));
  });

  it('draws library sizes from LogNormal(lib_loc, lib_scale) when dropout is off', async () => {
    for (const [loc, scale] of [[8, 0.2], [10, 0.5]]) {
      const [mean, sd] = meanAndSd(cells(await load({ lib_loc: loc, lib_scale: scale })).map((cell) => Math.log(cell.librarySize)));
      // Standard error of the mean is scale / √600 ≤ 0.02; Poisson–Gamma noise on top is small at these depths.
      assert.ok(Math.abs(mean - loc) < 0.05, `mean log library ${mean} vs ${loc}`);
      assert.ok(Math.abs(sd - scale) < 0.05, `sd of log library ${sd} vs ${scale}`);
    }
  });

  it('draws cell types with type_prob', async () => {
    const data = await load({ type_prob: [7, 1, 1, 1] });
    const labels = [...data.train.labels, ...data.test.labels];
    const share = labels.filter((label) => label === 0).length / labels.length;
    assert.ok(Math.abs(share - 0.7) < 0.05, `share of Type1 ${share}`);
  });

  it('moves differentially expressed genes by their DE factor', () => {
    const params = syntheticExpression.params.parse({ types: 2, cells: 400, genes: 2000, de_prob: 0.3 });
    const sim = simulateSplat(params, createRng(5));
    // Mean library-normalised expression per gene in each type.
    const profiles = [0, 1].map((type) => {
      const sum = new Float64Array(params.genes);
      let n = 0;
      sim.samples.forEach((cell, i) => {
        if (sim.labels[i] !== type) return;
        n++;
        cell.genes.forEach((gene, k) => (sum[gene] += cell.counts[k] / cell.librarySize));
      });
      return sum.map((total) => total / n);
    });
    const [a, b] = sim.deFactors;
    const errors: number[] = [];
    const flat: number[] = [];
    for (let j = 0; j < params.genes; j++) {
      if (profiles[0][j] === 0 || profiles[1][j] === 0) continue;
      const observed = Math.log(profiles[0][j] / profiles[1][j]);
      const truth = Math.log(a[j] / b[j]);
      // Genes with a handful of counts are Poisson noise; judge the DE factor where it can be seen.
      if (Math.abs(truth) > Math.log(2) && sim.geneMeans[j] > 1) {
        assert.equal(Math.sign(observed), Math.sign(truth), `gene ${j} (mean ${sim.geneMeans[j]}): observed ${observed}, DE ${truth}`);
        errors.push(Math.abs(observed - truth));
      } else if (truth === 0 && sim.geneMeans[j] > 1) {
        flat.push(Math.abs(observed));
      }
    }
    assert.ok(errors.length >= 5, `only ${errors.length} strongly DE genes`);
    // Per-gene noise (BCV, Poisson, ~200 cells a type) leaves single genes off by up to ~0.4.
    const meanError = errors.reduce((sum, e) => sum + e, 0) / errors.length;
    assert.ok(meanError < 0.2, `mean |observed − DE| ${meanError}`);
    flat.sort((x, y) => x - y);
    assert.ok(flat[flat.length >> 1] < 0.1, `median |log ratio| of non-DE genes ${flat[flat.length >> 1]}`);
  });

  it('keeps every DE factor at 1 when de_prob is 0', () => {
    const sim = simulateSplat(syntheticExpression.params.parse({ de_prob: 0, cells: 10 }), createRng(1));
    assert.ok(sim.deFactors.every((factors) => factors.every((f) => f === 1)));
  });

  it('drops counts with the logistic dropout', async () => {
    const nonZero = (data: LoadedDataset<'expression'>) => cells(data).reduce((sum, cell) => sum + cell.genes.length, 0);
    const without = nonZero(await load({}));
    const withDropout = nonZero(await load({ dropout: 'experiment' }));
    assert.ok(withDropout < 0.85 * without, `${withDropout} vs ${without} non-zero counts`);
    // Midpoint far above every ln(mean): the drop probability is 1 for every count.
    const all = await load({ dropout: 'experiment', dropout_mid: 100, cells: 20 });
    assert.ok(cells(all).every((cell) => cell.genes.length === 0 && cell.librarySize === 0));
  });

  it('pads gene names so they sort in panel order', () => {
    assert.deepEqual(geneNames(3), ['Gene0001', 'Gene0002', 'Gene0003']);
    assert.equal(geneNames(12_000)[11_999], 'Gene12000');
    assert.equal(geneNames(12_000)[0], 'Gene00001');
  });

  it('describes what load gives, reading no file', async () => {
    const shape = await assertDescribeMatchesLoad(syntheticExpression, syntheticExpression.params.parse({ cells: 50, genes: 3, types: 5 }));
    assert.deepEqual(shape, { info: { genes: ['Gene0001', 'Gene0002', 'Gene0003'], values: 'counts' }, trainSize: 35, validationSize: 0, testSize: 15, classes: 5, files: [] });
  });

  it('refuses a test_fraction that leaves no training cell in describe as in load', async () => {
    await assertBothRefuse(syntheticExpression, syntheticExpression.params.parse({ cells: 10, test_fraction: 0.95 }), ['test_fraction']);
  });

  it('rejects a type_prob of the wrong length and unknown parameters', () => {
    assert.equal(syntheticExpression.params.safeParse({ type_prob: [1, 1] }).success, false);
    assert.equal(syntheticExpression.params.safeParse({ lib_size: 3 }).success, false);
    assert.equal(syntheticExpression.params.safeParse({ types: 1 }).success, false);
  });

  describe('split_seed', () => {
    // 80 cells of 3 types on 20 genes: 24 test cells, 56 training.
    const small = { cells: 80, genes: 20, types: 3 };
    const parse = (params: object) => syntheticExpression.params.parse(params);

    it('is absent from the resolved params unless written, and ranges like seed', () => {
      assert.equal(SPLIT_SEED_PARAM in parse({}), false);
      assert.equal(parse({ split_seed: 0 }).split_seed, 0);
      for (const bad of [-1, 2 ** 32, 1.5]) assert.equal(syntheticExpression.params.safeParse({ split_seed: bad }).success, false, String(bad));
    });

    it('splits as split_seed = seed when omitted', async () => {
      assert.deepEqual(await load({ ...small, seed: 5 }), await load({ ...small, seed: 5, split_seed: 5 }));
    });

    it('draws the split from the tagged hash of the split seed alone', async () => {
      const params = parse({ ...small, seed: 5, split_seed: 7 });
      const { labels } = simulateSplat(params, createRng(5));
      const expected = splitByFraction(labels, 0.3, simulatedSplitSeed(7), 'synthetic-expression');
      assert.deepEqual(rowsOf(await load(params)), { train: [...expected.train], test: [...expected.test] });
    });

    it('moves cells between the sides but never changes what a row holds', async () => {
      await assertSplitSeedMovesRowsOnly(load, small, 80);
    });

    it('changes every cell when only seed changes', async () => {
      const a = bySourceRow(await load({ ...small, seed: 5, split_seed: 6 }));
      const b = bySourceRow(await load({ ...small, seed: 6, split_seed: 6 }));
      assert.equal(b.size, 80);
      for (const [row, held] of b) assert.notDeepEqual(held.sample, a.get(row)?.sample, `source row ${row}`);
    });

    it('stays stratified under every split seed', async () => {
      const data = await Promise.all([0, 1, 2, 3].map((splitSeed) => load({ ...small, split_seed: splitSeed })));
      const sizes = perClass(Int32Array.from([...data[0].train.labels, ...data[0].test.labels]), 3);
      for (const [splitSeed, split] of data.entries()) {
        const test = perClass(split.test.labels, 3);
        // Largest remainder: each type gets 0.3 × its size, rounded down or up, and the shares add up to 24.
        assert.equal(test.reduce((sum, count) => sum + count, 0), 24);
        test.forEach((count, type) => assert.ok(Math.abs(count - 0.3 * sizes[type]) < 1, `split_seed ${splitSeed}, type ${type}: ${count} of ${sizes[type]}`));
        // Same labels under every split seed, so the same per-type counts.
        assert.deepEqual(test, perClass(data[0].test.labels, 3));
        assert.deepEqual(perClass(split.train.labels, 3), perClass(data[0].train.labels, 3));
      }
    });
  });
});
