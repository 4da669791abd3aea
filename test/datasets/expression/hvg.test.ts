// Seurat dispersions and the top-N selection against scanpy's flavor='seurat' rule, on a formula-made matrix and hand-made ties.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { equalWidthBins, highlyVariableGenes, normalisedDispersions } from '../../../datasets/expression/hvg.js';
import type { ExpressionSample } from '../../../datasets/types.js';
import { TokbenchError } from '../../../harness/errors.js';

/**
 * 12 cells × 40 genes of counts from a formula anyone can re-run: gene 3 is never detected. The reference
 * numbers below come from scanpy's seurat path written out with numpy 1.24 and pandas 1.5 (pd.cut, groupby
 * mean/std, the one-gene-bin rule), in float64, on log1p(counts per 10k) of this matrix; scanpy itself is not
 * installable here.
 */
const CELLS = 12;
const GENES = 40;
function count(c: number, g: number): number {
  if (g === 3) return 0;
  const h = ((c * 31 + g * 17) ** 2 + g * 7) % 23;
  return h < 9 ? 0 : (h - 9) * ((g % 5) + 1);
}
const LIBRARIES = [492, 427, 246, 514, 603, 409, 257, 508, 571, 469, 454, 505];

/** The matrix's cells as stored values of one kind: counts, counts per 10k, or log1p of those. */
function cells(kind: 'counts' | 'normalised' | 'log1p'): ExpressionSample[] {
  return Array.from({ length: CELLS }, (_, c) => {
    const genes = Array.from({ length: GENES }, (_, g) => g).filter((g) => count(c, g) > 0);
    const librarySize = LIBRARIES[c];
    const value = (g: number) => (kind === 'counts' ? count(c, g) : kind === 'normalised' ? (count(c, g) / librarySize) * 1e4 : Math.log1p((count(c, g) / librarySize) * 1e4));
    return { genes: Int32Array.from(genes), counts: Float32Array.from(genes, value), librarySize };
  });
}

/** pandas' bin codes of the log1p means (pd.cut(means, 20, labels=False)). */
const BINS = [11, 15, 18, 0, 15, 14, 14, 16, 18, 18, 11, 16, 17, 16, 19, 15, 14, 17, 17, 17, 12, 16, 17, 15, 18, 14, 16, 14, 18, 16, 13, 16, 17, 15, 19, 14, 14, 17, 19, 17];
/** scanpy's dispersions_norm; gene 3 (never detected) is NaN, genes 20 and 30 sit alone in their bins (1). */
const NORMALISED = [
  0.707106781186545, -0.37231723460472904, -0.006253586954831852, NaN, 0.9074945860681891, -1.4952096096443956, 1.0446637581471152, 0.1431747813467843,
  1.6341633919266372, -0.09613211420420839, -0.7071067811865483, -1.6721176226287144, -0.6748215528299525, 0.3167473929181247, 0.8398529399176966,
  -1.561856044971839, 0.44821527535519434, 1.0788572467167505, -0.8481941113847653, 1.5814984560798904, 1.0, -0.26799096110040227, -0.6164602845424735,
  0.7022898402784195, -0.4947264671037418, -0.24019014296033914, -0.5747060478036529, 1.056493297174007, -1.0370512236638574, 1.5612050810563392, 1.0,
  0.49368737621152664, -0.7986947570474023, 0.32438885322996214, 0.2663572027914958, -1.102322125845638, 0.28834954777406385, -0.6039199046176317,
  -1.1062101427091924, 0.8817349076255805,
];

function assertClose(actual: Float64Array, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((want, g) => {
    if (Number.isNaN(want)) assert.ok(Number.isNaN(actual[g]), `gene ${g}: expected NaN, got ${actual[g]}`);
    else assert.ok(Math.abs(actual[g] - want) <= tolerance, `gene ${g}: expected ${want}, got ${actual[g]}`);
  });
}

describe('hvg', () => {
  it("bins log means as pandas' cut: equal widths, (lo, hi], the minimum kept in the first bin", () => {
    assert.deepEqual([...equalWidthBins(Float64Array.from([0, 1, 2, 3, 4]), 4)], [0, 0, 1, 2, 3]);
    assert.deepEqual([...equalWidthBins(Float64Array.from([0.5, 4, 2.25, 2.2500001]), 2)], [0, 1, 0, 1]);
    // All equal: the range is widened by 0.1% each side, so the value lands in the middle bin.
    assert.deepEqual([...equalWidthBins(Float64Array.from([2, 2]), 3)], [1, 1]);
  });

  it("gives scanpy's normalised dispersions on counts (log1p of counts per 10k), within float error", () => {
    const norm = normalisedDispersions(cells('counts'), GENES, 'counts');
    assertClose(norm, NORMALISED, 1e-9);
  });

  it("puts the genes' log1p means (a zero mean read as 1e-12, as scanpy) in pandas' 20 bins", () => {
    const logMeans = Float64Array.from({ length: GENES }, (_, g) => {
      const mean = LIBRARIES.reduce((sum, library, c) => sum + (count(c, g) / library) * 1e4, 0) / CELLS;
      return Math.log1p(mean === 0 ? 1e-12 : mean);
    });
    assert.deepEqual([...equalWidthBins(logMeans, 20)], BINS);
  });

  it("selects scanpy's top 5, 10 and 20 genes, ascending", () => {
    const counts = cells('counts');
    assert.deepEqual([...highlyVariableGenes(counts, GENES, 'counts', 5)], [8, 17, 19, 27, 29]);
    assert.deepEqual([...highlyVariableGenes(counts, GENES, 'counts', 10)], [4, 6, 8, 17, 19, 20, 27, 29, 30, 39]);
    assert.deepEqual([...highlyVariableGenes(counts, GENES, 'counts', 20)], [0, 4, 6, 7, 8, 13, 14, 16, 17, 19, 20, 23, 27, 29, 30, 31, 33, 34, 36, 39]);
  });

  it('reads normalised and log1p values as the same log-normalised expression (float32 storage aside)', () => {
    assertClose(normalisedDispersions(cells('normalised'), GENES, 'normalised'), NORMALISED, 1e-5);
    assertClose(normalisedDispersions(cells('log1p'), GENES, 'log1p'), NORMALISED, 1e-5);
    assert.deepEqual([...highlyVariableGenes(cells('log1p'), GENES, 'log1p', 10)], [4, 6, 8, 17, 19, 20, 27, 29, 30, 39]);
  });

  it('keeps exactly n genes: a tie at the cut-off goes to the lower index, NaN genes come last', () => {
    // The 7th highest is 1.0, shared by genes 20 and 30: scanpy keeps both (8 genes), we keep gene 20.
    assert.deepEqual([...highlyVariableGenes(cells('counts'), GENES, 'counts', 7)], [6, 8, 17, 19, 20, 27, 29]);
    // Every gene but the NaN one (3) comes before it; a panel smaller than n is kept whole.
    const all39 = highlyVariableGenes(cells('counts'), GENES, 'counts', 39);
    assert.ok(!all39.includes(3));
    assert.deepEqual([...highlyVariableGenes(cells('counts'), GENES, 'counts', 100)], Array.from({ length: GENES }, (_, g) => g));
  });

  it('refuses scaled values, which cannot be log-normalised', () => {
    assert.throws(() => highlyVariableGenes(cells('counts'), GENES, 'scaled', 5), (e: unknown) => e instanceof TokbenchError && e.code === 'input' && /scaled/.test(e.message));
  });
});
