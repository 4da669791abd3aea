// Gene modules by co-expression: k-means (kmeans.ts) of each gene's z-scored log-normalised profile over training cells, where Euclidean
// distance is a monotone function of Pearson correlation (modules of correlated genes, as WGCNA finds by hierarchical clustering).
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import type { Rng } from '../../harness/random.js';
import { kmeans } from '../image/kmeans.js';
import { logNormalisedCell } from '../../datasets/expression/log-normalised.js';

export interface CoexpressionParams {
  /** Modules asked for; fewer come out non-empty when fewer distinct gene profiles exist. */
  readonly modules: number;
  /** Most training cells the profiles span. */
  readonly fitCells: number;
  /** Most Lloyd updates. */
  readonly iterations: number;
}

/**
 * `fitCells` distinct training cells, ascending, each subset equally likely (the first of a seeded shuffle), or
 * all of them when there are no more. The genes × cells matrix clustered is as large as the cells × genes matrix
 * of the cells it spans, so this bounds its size whatever the training split's.
 */
function fitCellsOf(train: readonly ExpressionSample[], fitCells: number, random: Rng): readonly ExpressionSample[] {
  if (train.length <= fitCells) return train;
  const order = Int32Array.from(train.keys());
  random.shuffle(order);
  return Array.from(order.subarray(0, fitCells).sort(), (i) => train[i]);
}

/**
 * Each module's genes (ascending panel indices), `modules` lists of them. Genes are profiled over the fit cells:
 * log-normalised values, 0 where a cell does not list the gene, centred and divided by their root sum of squares,
 * i.e. z-scores over √n. Such profiles have unit length, so their squared distance is 2(1 − r) with r the genes'
 * Pearson correlation, and k-means groups correlated genes. A gene whose profile is constant (never detected in
 * the fit cells, or at one value in all of them) has no correlation with anything and joins no module. k-means++
 * seeds and the subsample draw from `random`. Modules are numbered by their lowest gene, so the numbering does not
 * depend on the seeding order; modules left empty (fewer distinct profiles than `modules`) come last.
 */
export function coexpressionModules(strategy: string, info: InfoOf['expression'], train: readonly ExpressionSample[], p: CoexpressionParams, random: Rng): Int32Array[] {
  const cells = fitCellsOf(train, p.fitCells, random);
  const values = cells.map((cell) => logNormalisedCell(strategy, info, cell));
  const n = cells.length;
  const genes = info.genes.length;
  // A row per gene detected in some fit cell, in panel order: genes never detected need no row.
  const detected = new Uint8Array(genes);
  cells.forEach((cell, c) =>
    values[c].forEach((v, i) => {
      if (v !== 0) detected[cell.genes[i]] = 1;
    }),
  );
  const rowOf = new Int32Array(genes).fill(-1);
  let rows = 0;
  for (let g = 0; g < genes; g++) if (detected[g] === 1) rowOf[g] = rows++;
  const data = new Float32Array(rows * n);
  cells.forEach((cell, c) =>
    values[c].forEach((v, i) => {
      if (v !== 0) data[rowOf[cell.genes[i]] * n + c] = v;
    }),
  );
  // Standardise each row in place and move it up over the constant rows left out.
  const rowGene: number[] = [];
  for (let g = 0; g < genes; g++) {
    if (rowOf[g] < 0) continue;
    const row = data.subarray(rowOf[g] * n, (rowOf[g] + 1) * n);
    // Constant by exact comparison: a centred sum of squares of equal values can round to a tiny positive number.
    if (row.every((v) => v === row[0])) continue;
    const mean = row.reduce((sum, v) => sum + v, 0) / n;
    const norm = Math.sqrt(row.reduce((sum, v) => sum + (v - mean) ** 2, 0));
    const at = rowGene.length * n;
    for (let c = 0; c < n; c++) data[at + c] = (row[c] - mean) / norm;
    rowGene.push(g);
  }
  const members: number[][] = Array.from({ length: p.modules }, () => []);
  if (rowGene.length === 0) return members.map((m) => Int32Array.from(m));
  const { assign } = kmeans({ data: data.subarray(0, rowGene.length * n), dim: n }, p.modules, p.iterations, random);
  // Rows are in panel order, so a cluster's first row met holds its lowest gene.
  const moduleOf = new Int32Array(p.modules).fill(-1);
  let numbered = 0;
  assign.forEach((cluster, row) => {
    if (moduleOf[cluster] < 0) moduleOf[cluster] = numbered++;
    members[moduleOf[cluster]].push(rowGene[row]);
  });
  return members.map((m) => Int32Array.from(m));
}
