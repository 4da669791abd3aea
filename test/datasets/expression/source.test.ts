// The shared expression pipeline: values kinds, every drop counter, scanpy's filter order, library sizes, the split, HVGs on the training cells, errors.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { CellMatrix } from '../../../datasets/expression/cell-matrix.js';
import { expressionCsv } from '../../../datasets/expression/expression-csv.js';
import { h5ad } from '../../../datasets/expression/h5ad.js';
import { highlyVariableGenes } from '../../../datasets/expression/hvg.js';
import { defineExpressionReader, expressionSourceParams } from '../../../datasets/expression/source.js';
import { checkSplitParams } from '../../../datasets/split-params.js';
import type { ExpressionSample, LoadedDataset } from '../../../datasets/types.js';
import { assertBothRefuse, assertDescribeMatchesLoad } from '../shape-checks.js';
import { bySourceRow } from '../split-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'tokbench-expression-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { baseDir: dir };

function csv(name: string, lines: readonly string[]): string {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}
const parse = (params: object) => expressionCsv.params.parse(params);
const load = (params: object) => expressionCsv.load(parse(params), context);
const describeCsv = (params: object) => expressionCsv.describe(parse(params), context);

/**
 * Ten cells of five genes. c1 holds nothing, c3 has no label, c7 has one gene (G4). G3 is never detected; G4 is
 * detected in c4 and c7 only, so with min_genes 2 (which drops c7 first, as scanpy filters cells before genes)
 * it is left in one cell and min_cells 2 drops it.
 */
const TOY = csv('toy.csv', [
  'cell,type,G0,G1,G2,G3,G4',
  'c0,A,1,0,2,0,0',
  'c1,B,0,0,0,0,0',
  'c2,A,3,1,0,0,0',
  'c3,,1,1,1,0,0',
  'c4,B,0,5,1,0,1',
  'c5,B,2,2,2,0,0',
  'c6,A,4,0,1,0,0',
  'c7,B,0,0,0,0,1',
  'c8,A,2,3,1,0,0',
  'c9,B,0,1,3,0,0',
]);

/** A sample as [genes, values, library size], to compare whole. */
const plain = (sample: ExpressionSample) => [[...sample.genes], [...sample.counts], sample.librarySize];
/** Source row → [genes, values, library size, class name] over both sides. */
function held(data: LoadedDataset<'expression'>): Map<number, unknown[]> {
  return new Map([...bySourceRow(data)].map(([row, { sample, label }]) => [row, [...plain(sample), data.classNames[label]]]));
}

/** The real files beside the repo (../shared/data); absent in a fresh clone, where their tests skip. */
const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const noSharedData = existsSync(SHARED_DATA) ? false : `needs the real data files in ${SHARED_DATA}`;

/**
 * Panel indices of the 200 genes scanpy's seurat rule picks on pbmc68k_counts' training cells (the default split
 * of `label_column: bulk_labels`): numpy 1.24 and pandas 1.5 on anndata 0.8's read of the file, log1p of counts per
 * 10k in float32 as scanpy's normalize_total and log1p leave them; no tie at the cut-off (0.3588 vs 0.3586).
 */
const PBMC_HVG_200 = [
  0, 12, 13, 16, 20, 22, 30, 37, 41, 42, 44, 45, 49, 52, 53, 60, 65, 67, 68, 70, 72, 75, 82, 83, 90, 91, 96, 99, 100, 102, 103, 104, 105, 106, 107, 108, 109,
  111, 114, 123, 141, 148, 150, 151, 153, 158, 162, 163, 165, 167, 171, 173, 174, 175, 176, 177, 178, 181, 183, 187, 188, 189, 190, 192, 193, 206, 220, 225, 227,
  230, 231, 232, 236, 238, 239, 240, 243, 251, 256, 263, 274, 276, 278, 282, 291, 293, 298, 300, 302, 312, 314, 316, 326, 328, 329, 331, 332, 334, 336, 340, 347,
  348, 353, 357, 368, 369, 370, 372, 373, 375, 377, 378, 384, 390, 397, 409, 410, 415, 417, 420, 426, 427, 435, 440, 441, 448, 456, 457, 458, 460, 461, 466, 467,
  468, 469, 474, 475, 476, 485, 487, 491, 493, 507, 519, 520, 535, 538, 539, 544, 551, 560, 565, 573, 577, 580, 587, 592, 598, 599, 603, 604, 608, 611, 619, 623,
  629, 632, 638, 641, 642, 657, 658, 659, 666, 668, 670, 671, 672, 680, 697, 699, 703, 704, 707, 709, 710, 715, 718, 719, 721, 724, 726, 735, 736, 737, 739, 743,
  746, 754, 762
];

let readers = 0;
/** A reader handing the pipeline `matrix` as it is (a fresh name each, since builds are cached by reader name). */
function fakeReader(matrix: Omit<CellMatrix, 'files' | 'origin' | 'otherLayers'> & Partial<CellMatrix>) {
  const name = `fake-${++readers}`;
  const file = join(dir, `${name}.bin`);
  writeFileSync(file, name);
  const params = z.strictObject({ ...expressionSourceParams }).superRefine(checkSplitParams(name));
  const reader = defineExpressionReader({
    name,
    description: 'a matrix made in the test',
    params,
    files: () => [file],
    read: async () => ({ origin: `layer 'X' of ${name}.h5ad`, otherLayers: [], files: [file], ...matrix }),
  });
  return { reader, parse: (p: object) => params.parse(p) };
}

/** A CSR from dense rows (zeros left out unless `keepZeros`). */
function csr(rows: readonly (readonly number[])[], keepZeros = false): Pick<CellMatrix, 'indptr' | 'indices' | 'data'> {
  const indices: number[] = [];
  const data: number[] = [];
  const indptr = [0];
  for (const row of rows) {
    row.forEach((value, g) => {
      if (value !== 0 || keepZeros) {
        indices.push(g);
        data.push(value);
      }
    });
    indptr.push(indices.length);
  }
  return { indptr: Float64Array.from(indptr), indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

describe('expression source pipeline', () => {
  describe('values', () => {
    const kinds: [string, string[], string][] = [
      ['counts', ['0', '3', '12'], 'holds counts values (min 0, max 12)'],
      ['normalised', ['0', '2.5', '431.25'], 'holds normalised values (min 0, max 431)'],
      ['log1p', ['0', '2.5', '20'], 'holds log1p values (min 0, max 20)'],
      ['normalised', ['0.5', '2.5', '20.5'], 'holds normalised values (min 0.5, max 20.5)'],
      ['scaled', ['-0.75', '2.5', '31'], "holds scaled values (min -0.75, max 31; first negative -0.75 at cell 'c0', gene 'A')"],
    ];
    kinds.forEach(([kind, values, says], i) => {
      it(`detects ${kind} values from ${values.join(', ')}`, async () => {
        const name = csv(`kind-${i}.csv`, ['cell,A,B,C', `c0,${values.join(',')}`, `c1,${values.join(',')}`, `c2,${values.join(',')}`]);
        const shape = await describeCsv({ path: name });
        assert.deepEqual(shape.info.values, kind);
        assert.equal(shape.info.valuesSource, `${join(dir, name)} ${says}`);
      });
    });

    it("takes the kind from 'values' and says so; the source's other layers are listed", async () => {
      const { reader, parse: parseFake } = fakeReader({ genes: ['A', 'B'], cells: ['x', 'y', 'z'], ...csr([[1.5, 0], [0, 2], [1, 1]]), otherLayers: ['raw/X (counts)'] });
      const shape = await reader.describe(parseFake({ values: 'normalised' }), context);
      assert.equal(shape.info.values, 'normalised');
      assert.equal(shape.info.valuesSource, `layer 'X' of ${reader.name}.h5ad holds normalised values (min 0, max 2, as 'values' says); the file also has: raw/X (counts)`);
    });

    it('refuses a kind the values contradict, naming the first cell and gene and what the data looks like', async () => {
      const log1p = csv('log1p.csv', ['cell,A,B', 'c0,0,1', 'c1,0.1,2', 'c2,3,1.5']);
      const counts = await assertBothRefuse(expressionCsv, parse({ path: log1p, values: 'counts' }), ['values'], context, 'input');
      assert.equal(counts, `The 'values' parameter of expression-csv says counts: found 0.1 for cell 'c1' (cell 2 of the source, counting from 1) and gene 'A', not an integer; expected integer counts (${join(dir, log1p)} looks like log1p values (min 0, max 3))`);
      const name = csv('scaled.csv', ['cell,A,B', 'c0,0,1', 'c1,0.1,2', 'c2,3,-1']);
      const normalised = await assertBothRefuse(expressionCsv, parse({ path: name, values: 'normalised' }), ['values'], context, 'input');
      assert.equal(
        normalised,
        `The 'values' parameter of expression-csv says normalised: found -1 for cell 'c2' (cell 3 of the source, counting from 1) and gene 'B', a negative value; expected normalised values, which are never negative; only scaled values go below zero (${join(dir, name)} looks like scaled values (min -1, max 3))`,
      );
      assert.equal((await describeCsv({ path: name, values: 'scaled' })).info.values, 'scaled');
    });

    it('refuses a non-finite value, naming the cell and the gene', async () => {
      const name = csv('nan.csv', ['cell,A,B', 'c0,1,2', 'c1,NaN,2']);
      const message = await assertBothRefuse(expressionCsv, parse({ path: name }), ['path'], context, 'input');
      assert.equal(message, `expression-csv: found NaN for cell 'c1' (cell 2 of the source, counting from 1) and gene 'A' in ${join(dir, name)}; expected finite values`);
      const infinite = csv('inf.csv', ['cell,A,B', 'c0,1,-inf']);
      assert.match(await assertBothRefuse(expressionCsv, parse({ path: infinite }), ['path'], context, 'input'), /found -Infinity for cell 'c0' \(cell 1 of the source, counting from 1\) and gene 'B'/);
    });
  });

  describe('cells and genes', () => {
    it('by default drops only cells with no values and, in a labelled source, cells without a label; both counted', async () => {
      const shape = await assertDescribeMatchesLoad(expressionCsv, parse({ path: TOY, label_column: 'type' }), context);
      assert.deepEqual(shape.cellsDropped, { empty: 1, unlabelled: 1, minGenes: 0 });
      assert.deepEqual(shape.genesDropped, { minCells: 0, notVariable: 0 });
      assert.deepEqual(shape.info.genes, ['G0', 'G1', 'G2', 'G3', 'G4']);
      assert.deepEqual([shape.trainSize + shape.testSize, shape.classes, shape.labelled], [8, 2, true]);
      const data = await load({ path: TOY, label_column: 'type' });
      assert.deepEqual(held(data).get(7), [[4], [1], 1, 'B']);
    });

    it("filters cells by min_genes before genes by min_cells, as scanpy; genes are renumbered, library sizes stay whole", async () => {
      const params = { path: TOY, label_column: 'type', min_genes: 2, min_cells: 2 };
      const shape = await assertDescribeMatchesLoad(expressionCsv, parse(params), context);
      assert.deepEqual(shape.cellsDropped, { empty: 1, unlabelled: 1, minGenes: 1 });
      // G3 is in no cell; G4 was in c4 and c7, and c7 went first.
      assert.deepEqual(shape.genesDropped, { minCells: 2, notVariable: 0 });
      const data = await load(params);
      assert.deepEqual(data.info.genes, ['G0', 'G1', 'G2']);
      assert.deepEqual(
        held(data),
        new Map([
          [0, [[0, 2], [1, 2], 3, 'A']],
          [2, [[0, 1], [3, 1], 4, 'A']],
          // c4's library counts G4, which the gene filter dropped: 5 + 1 + 1.
          [4, [[1, 2], [5, 1], 7, 'B']],
          [5, [[0, 1, 2], [2, 2, 2], 6, 'B']],
          [6, [[0, 2], [4, 1], 5, 'A']],
          [8, [[0, 1, 2], [2, 3, 1], 6, 'A']],
          [9, [[1, 2], [1, 3], 4, 'B']],
        ]),
      );
      // Without min_genes, c7 keeps G4 in two cells.
      assert.deepEqual((await describeCsv({ path: TOY, label_column: 'type', min_cells: 2 })).genesDropped, { minCells: 1, notVariable: 0 });
    });

    it('holds every sample as views into one compact matrix, stored zeros left out, empty-only cells counted', async () => {
      const { reader, parse: parseFake } = fakeReader({ genes: ['A', 'B', 'C'], cells: ['x', 'y', 'z', 'w'], ...csr([[1, 0, 2], [0, 0, 0], [0, 3, 0], [4, 0, 5]], true) });
      const shape = await reader.describe(parseFake({}), context);
      assert.deepEqual(shape.cellsDropped, { empty: 1, unlabelled: 0, minGenes: 0 });
      const data = await reader.load(parseFake({}), context);
      const samples = [...data.train.samples, ...data.test.samples];
      assert.ok(samples.every((sample) => sample.genes.buffer === samples[0].genes.buffer && sample.counts.buffer === samples[0].counts.buffer));
      assert.deepEqual(samples.map((sample) => [...sample.genes]).sort(), [[0, 2], [0, 2], [1]]);
    });

    it("keeps the reader's compact arrays: a copy of uint16 counts stays uint16, of float32 values float32, and int32 gene indices narrow when a filter leaves few genes", async () => {
      const types = (data: LoadedDataset<'expression'>) => [data.train.samples[0].genes.constructor, data.train.samples[0].counts.constructor];
      // The CSV reader stores TOY's counts as uint16; min_cells copies them.
      assert.deepEqual(types(await load({ path: TOY, label_column: 'type' })), [Uint16Array, Uint16Array]);
      assert.deepEqual(types(await load({ path: TOY, label_column: 'type', min_cells: 2 })), [Uint16Array, Uint16Array]);
      // 70,000 genes of which min_cells 1 keeps G0, G5 and G69999.
      const genes = Array.from({ length: 70_000 }, (_, g) => `G${g}`);
      const wide = fakeReader({ genes, cells: ['x', 'y', 'z'], indptr: Float64Array.of(0, 2, 3, 4), indices: Int32Array.of(5, 69_999, 69_999, 0), data: Float32Array.of(1.5, 2, 3, 0.25) });
      const cells = (data: LoadedDataset<'expression'>) => new Map([...bySourceRow(data)].map(([row, { sample }]) => [row, [[...sample.genes], [...sample.counts]]]));
      const whole = await wide.reader.load(wide.parse({}), context);
      assert.deepEqual(types(whole), [Int32Array, Float32Array]);
      assert.deepEqual(cells(whole), new Map([[0, [[5, 69_999], [1.5, 2]]], [1, [[69_999], [3]]], [2, [[0], [0.25]]]]));
      const kept = await wide.reader.load(wide.parse({ min_cells: 1 }), context);
      assert.deepEqual([types(kept), kept.info.genes], [[Uint16Array, Float32Array], ['G0', 'G5', 'G69999']]);
      assert.deepEqual(cells(kept), new Map([[0, [[1, 2], [1.5, 2]]], [1, [[2], [3]]], [2, [[0], [0.25]]]]));
    });

    it('blames min_genes, with its value, when it is what left no cell', async () => {
      const name = csv('sparse.csv', ['cell,A,B', 'c0,1,0', 'c1,0,2']);
      assert.equal(
        await assertBothRefuse(expressionCsv, parse({ path: name, min_genes: 2 }), ['min_genes'], context, 'input'),
        `expression-csv: found no cell to keep among the 2 of ${join(dir, name)} (0 without values, 0 without a label, 2 with fewer genes than min_genes: 2); expected at least one`,
      );
    });

    it('refuses a source with no cell left', async () => {
      const name = csv('zeros.csv', ['cell,A,B', 'c0,0,0', 'c1,0,0']);
      assert.equal(
        await assertBothRefuse(expressionCsv, parse({ path: name }), ['path'], context, 'input'),
        `expression-csv: found no cell to keep among the 2 of ${join(dir, name)} (2 without values, 0 without a label, 0 with fewer genes than min_genes: 0); expected at least one`,
      );
    });
  });

  describe('library sizes', () => {
    it("takes the source's own library sizes (total_column) when it has them, else the whole panel's sums", async () => {
      const matrix = { genes: ['A', 'B'], cells: ['x', 'y', 'z'], ...csr([[1, 2], [0, 4], [3, 1]]) };
      const own = fakeReader({ ...matrix, librarySizes: Float64Array.from([100, 200, 300]) });
      const sums = fakeReader(matrix);
      const sizes = async (fake: ReturnType<typeof fakeReader>, params: object) => {
        const data = await fake.reader.load(fake.parse(params), context);
        return [...bySourceRow(data)].sort(([a], [b]) => a - b).map(([, { sample }]) => sample.librarySize);
      };
      assert.deepEqual(await sizes(own, {}), [100, 200, 300]);
      assert.deepEqual(await sizes(sums, {}), [3, 4, 4]);
      // A is dropped (in 2 cells < 3); the sums still count it.
      assert.deepEqual((await sums.reader.describe(sums.parse({ min_cells: 3 }), context)).info.genes, ['B']);
      assert.deepEqual(await sizes(sums, { min_cells: 3 }), [3, 4, 4]);
    });

    it("refuses a source library size that is not a positive number, naming the cell", async () => {
      const fake = fakeReader({ genes: ['A'], cells: ['x', 'y'], ...csr([[1], [2]]), librarySizes: Float64Array.from([5, NaN]) });
      const message = await assertBothRefuse(fake.reader, fake.parse({}), ['path'], context, 'input');
      assert.equal(message, `${fake.reader.name}: found library size NaN for cell 'y' (cell 2 of the source, counting from 1) in layer 'X' of ${fake.reader.name}.h5ad; expected a positive finite number`);
    });
  });

  describe('labels and split', () => {
    it('sorts class names and splits stratified by label', async () => {
      const data = await load({ path: TOY, label_column: 'type', test_size: 2, train_size: 6 });
      assert.deepEqual(data.classNames, ['A', 'B']);
      assert.deepEqual([data.train.samples.length, data.test.samples.length], [6, 2]);
      assert.deepEqual([...data.test.labels].sort(), [0, 1]);
    });

    it('reads an unlabelled source: no classes, every label −1, one stratum', async () => {
      const name = csv('unlabelled.csv', ['cell,G0,G1', 'c0,1,0', 'c1,0,0', 'c2,3,1', 'c3,1,1', 'c4,0,5', 'c5,2,2', 'c6,4,0']);
      const shape = await assertDescribeMatchesLoad(expressionCsv, parse({ path: name }), context);
      assert.deepEqual([shape.classes, shape.labelled, shape.untrainedClasses], [0, false, undefined]);
      assert.deepEqual(shape.cellsDropped, { empty: 1, unlabelled: 0, minGenes: 0 });
      // ceil(0.3 × 6) = 2 test cells.
      assert.deepEqual([shape.trainSize, shape.testSize], [4, 2]);
      const data = await load({ path: name });
      assert.deepEqual(data.classNames, []);
      assert.deepEqual([...data.train.labels, ...data.test.labels], [-1, -1, -1, -1, -1, -1]);
    });

    it('carves the validation cells of an unlabelled source from its one stratum, the training cells left being the rest', async () => {
      const name = csv('unlabelled-carve.csv', ['cell,G0,G1', 'c0,1,0', 'c1,2,0', 'c2,3,1', 'c3,1,1', 'c4,0,5', 'c5,2,2', 'c6,4,0']);
      const whole = await load({ path: name });
      const valFraction = { ...context, valFraction: 0.5 };
      const shape = await assertDescribeMatchesLoad(expressionCsv, parse({ path: name }), valFraction);
      // ceil(0.3 × 7) = 3 test cells; ceil(0.5 × 4) = 2 of the 4 training cells.
      assert.deepEqual([shape.trainSize, shape.validationSize, shape.testSize], [2, 2, 3]);
      const data = await expressionCsv.load(parse({ path: name }), valFraction);
      assert.deepEqual([...data.validation.labels], [-1, -1]);
      assert.deepEqual(data.test.index, whole.test.index);
      assert.deepEqual([...data.train.index, ...data.validation.index].sort((a, b) => a - b), [...whole.train.index]);
    });
  });

  describe('hvg', () => {
    /** 12 cells × 40 genes (the formula of hvg.test.ts), labelled alternately. */
    const count = (c: number, g: number) => {
      const h = ((c * 31 + g * 17) ** 2 + g * 7) % 23;
      return h < 9 ? 0 : (h - 9) * ((g % 5) + 1);
    };
    const genes = Array.from({ length: 40 }, (_, g) => `G${g}`);
    const rows = Array.from({ length: 12 }, (_, c) => genes.map((_, g) => count(c, g)));
    const fake = fakeReader({ genes, cells: rows.map((_, c) => `c${c}`), ...csr(rows), labels: rows.map((_, c) => (c % 2 === 0 ? 'even' : 'odd')) });

    it('selects genes on the training cells only and applies the selection to both splits, renumbered', async () => {
      const whole = await fake.reader.load(fake.parse({}), context);
      const fromTrain = highlyVariableGenes(whole.train.samples, 40, 'counts', 10);
      const fromAll = highlyVariableGenes([...whole.train.samples, ...whole.test.samples], 40, 'counts', 10);
      assert.notDeepEqual(fromTrain, fromAll, 'the test cells would change the selection');
      const shape = await assertDescribeMatchesLoad(fake.reader, fake.parse({ hvg: 10 }), context);
      assert.deepEqual(shape.genesDropped, { minCells: 0, notVariable: 30 });
      const chosen = await fake.reader.load(fake.parse({ hvg: 10 }), context);
      assert.deepEqual(chosen.info.genes, Array.from(fromTrain, (g) => genes[g]));
      // Each cell keeps its chosen genes' values, renumbered into the selection, and its whole library.
      const before = bySourceRow(whole);
      for (const [row, { sample }] of bySourceRow(chosen)) {
        const original = before.get(row)?.sample as ExpressionSample;
        const kept = [...original.genes].map((g, i) => [fromTrain.indexOf(g), original.counts[i]]).filter(([c]) => c >= 0);
        assert.deepEqual(plain(sample), [kept.map(([c]) => c), kept.map(([, v]) => v), original.librarySize]);
      }
    });

    it('selects genes without the validation cells: a gene that varies only in them is not chosen', async () => {
      // The carve depends on the labels and the split seed alone, so the 40-gene matrix tells which cells a 41st gene may vary in.
      const validation = { ...context, valFraction: 0.25 };
      const held = new Set((await fake.reader.load(fake.parse({}), validation)).validation.index);
      // ceil(0.3 × 12) = 4 test cells; ceil(0.25 × 8) = 2 validation cells, one per label.
      assert.equal(held.size, 2);
      const spiked = rows.map((row, c) => [...row, held.has(c) ? 40 * c + 7 : 0]);
      const withSpike = fakeReader({ genes: [...genes, 'G40'], cells: rows.map((_, c) => `c${c}`), ...csr(spiked), labels: rows.map((_, c) => (c % 2 === 0 ? 'even' : 'odd')) });
      // Without a validation split those cells train, and G40 is the most variable gene of all.
      assert.ok((await withSpike.reader.load(withSpike.parse({ hvg: 10 }), context)).info.genes.includes('G40'));
      const shape = await assertDescribeMatchesLoad(withSpike.reader, withSpike.parse({ hvg: 10 }), validation);
      assert.deepEqual([shape.trainSize, shape.validationSize, shape.testSize], [6, 2, 4]);
      const data = await withSpike.reader.load(withSpike.parse({ hvg: 10 }), validation);
      assert.deepEqual(new Set(data.validation.index), held);
      assert.ok(!data.info.genes.includes('G40'));
      // Exactly the genes the six training cells pick, applied to the validation cells too (G40 gone from them).
      const whole = await withSpike.reader.load(withSpike.parse({}), validation);
      assert.deepEqual(data.info.genes, Array.from(highlyVariableGenes(whole.train.samples, 41, 'counts', 10), (g) => whole.info.genes[g]));
      assert.deepEqual(data.validation.index, whole.validation.index);
      whole.validation.samples.forEach((original, i) => {
        const kept = [...original.genes].map((g, k) => [data.info.genes.indexOf(whole.info.genes[g]), original.counts[k]]).filter(([c]) => c >= 0);
        assert.deepEqual(plain(data.validation.samples[i]), [kept.map(([c]) => c), kept.map(([, v]) => v), original.librarySize]);
      });
    });

    it('refuses hvg beyond the genes there are, after min_cells', async () => {
      assert.equal(
        await assertBothRefuse(fake.reader, fake.parse({ hvg: 41 }), ['hvg'], context, 'invalid-param'),
        `The 'hvg' parameter of ${fake.reader.name} must be at most the 40 genes of layer 'X' of ${fake.reader.name}.h5ad; got 41 instead.`,
      );
      assert.equal((await fake.reader.describe(fake.parse({ hvg: 40 }), context)).info.genes.length, 40);
    });

    it('refuses hvg on scaled values, saying what the source holds', async () => {
      const scaled = fakeReader({ genes: ['A', 'B'], cells: ['x', 'y', 'z'], ...csr([[1, -1], [0.5, 2], [-2, 1]]), otherLayers: ['raw/X (log1p)'] });
      const message = await assertBothRefuse(scaled.reader, scaled.parse({ hvg: 1 }), ['hvg'], context, 'input');
      assert.equal(
        message,
        `The 'hvg' parameter of ${scaled.reader.name} needs values it can log-normalise: found scaled values (layer 'X' of ${scaled.reader.name}.h5ad holds scaled values (min -2, max 2; first negative -1 at cell 'x', gene 'B'); the file also has: raw/X (log1p)); expected counts, normalised or log1p values, because Seurat's dispersion is taken on log-normalised expression`,
      );
    });
  });

  describe('cache', () => {
    it('builds once per params while the files are unchanged, and again when they change', async () => {
      const name = csv('changing.csv', ['cell,A,B', 'c0,1,2', 'c1,3,4', 'c2,5,6']);
      const first = await load({ path: name });
      assert.equal(await load({ path: name }), first);
      csv(name, ['cell,A,B', 'c0,1,2', 'c1,3,4', 'c2,5,6', 'c3,7,8']);
      const second = await load({ path: name });
      assert.equal(second.train.samples.length + second.test.samples.length, 4);
    });
  });

  describe('real data', () => {
    const pbmc = { baseDir: join(SHARED_DATA, 'pbmc68k') };
    const params = (extra: object) => h5ad.params.parse({ path: 'pbmc68k_counts.h5ad', label_column: 'bulk_labels', ...extra });

    it("pbmc68k_counts: hvg 200 on the training cells picks scanpy's genes", { skip: noSharedData }, async () => {
      const whole = await h5ad.describe(params({}), pbmc);
      const shape = await assertDescribeMatchesLoad(h5ad, params({ hvg: 200 }), pbmc);
      assert.deepEqual(shape.genesDropped, { minCells: 0, notVariable: 565 });
      assert.deepEqual(shape.info.genes, PBMC_HVG_200.map((g) => whole.info.genes[g]));
    });

    it('pbmc68k_counts: min_genes 200 drops the 7 cells with fewer genes, min_cells 3 no gene', { skip: noSharedData }, async () => {
      const shape = await h5ad.describe(params({ min_genes: 200, min_cells: 3 }), pbmc);
      assert.deepEqual([shape.cellsDropped, shape.genesDropped, shape.trainSize + shape.testSize], [{ empty: 0, unlabelled: 0, minGenes: 7 }, { minCells: 0, notVariable: 0 }, 693]);
    });
  });
});
