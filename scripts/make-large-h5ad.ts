// Writes a large sparse .h5ad of simulated counts (default 100,000 cells × 20,000 genes, ~2,000 non-zeros per cell)
// and a Geneformer-style medians TSV beside it, for the expression scale benchmark (`npm run bench`, BENCHMARKS.md).
// Usage: npx tsx scripts/make-large-h5ad.ts OUT.h5ad [--cells N] [--genes N] [--nonzeros N] [--types N] [--seed N]
// The matrix is written chunk by chunk (CSR, float32 counts, gzip level 1, anndata 0.8's layout), so the script
// never holds more than one chunk of cells; obs carries `cell_type` (strings) and `n_counts`.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import h5wasm from 'h5wasm/node';
import { createRng } from '../harness/random.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cells: { type: 'string', default: '100000' },
    genes: { type: 'string', default: '20000' },
    nonzeros: { type: 'string', default: '2000' },
    types: { type: 'string', default: '10' },
    seed: { type: 'string', default: '0' },
  },
});
const [out] = positionals;
if (out === undefined || !out.endsWith('.h5ad')) throw new Error('usage: make-large-h5ad.ts OUT.h5ad [--cells N] [--genes N] [--nonzeros N] [--types N] [--seed N]');
const cells = Number(values.cells);
const genes = Number(values.genes);
const types = Number(values.types);
const detection = Number(values.nonzeros) / genes;
const rng = createRng(Number(values.seed));
const CHUNK_CELLS = 5000;

// Gene means ~ Gamma(0.6, 0.3) as Splatter's; 5% of genes per type change 4-fold, so the types can be told apart.
const means = Float64Array.from({ length: genes }, () => rng.gamma(0.6, 0.3));
const factors = Array.from({ length: types }, () => Float64Array.from({ length: genes }, () => (rng.uniform() < 0.05 ? (rng.uniform() < 0.5 ? 4 : 0.25) : 1)));

await h5wasm.ready;
const file = new h5wasm.File(out, 'w');
file.create_attribute('encoding-type', 'anndata');
file.create_attribute('encoding-version', '0.1.0');
const x = file.create_group('X');
x.create_attribute('encoding-type', 'csr_matrix');
x.create_attribute('encoding-version', '0.1.0');
x.create_attribute('shape', BigInt64Array.of(BigInt(cells), BigInt(genes)));
const growing = (name: string, data: Float32Array | Int32Array) =>
  x.create_dataset({ name, data, shape: [0], maxshape: [null], chunks: [1 << 18], compression: 'gzip' as unknown as number, compression_opts: 1 });
const dataSet = growing('data', new Float32Array(0));
const indicesSet = growing('indices', new Int32Array(0));

const indptr = new BigInt64Array(cells + 1);
const labels = new Int32Array(cells);
const totals = new Float32Array(cells);
let written = 0;
for (let start = 0; start < cells; start += CHUNK_CELLS) {
  const end = Math.min(cells, start + CHUNK_CELLS);
  const data: number[] = [];
  const indices: number[] = [];
  for (let c = start; c < end; c++) {
    const type = rng.int(types);
    labels[c] = type;
    // Detected genes by geometric gaps (one draw per non-zero, not per gene), each count 1 + a geometric draw around the gene's mean.
    for (let g = Math.floor(Math.log(1 - rng.uniform()) / Math.log(1 - detection)); g < genes; g += 1 + Math.floor(Math.log(1 - rng.uniform()) / Math.log(1 - detection))) {
      const count = 1 + Math.floor(-Math.log(1 - rng.uniform()) * means[g] * factors[type][g]);
      indices.push(g);
      data.push(count);
      totals[c] += count;
    }
    indptr[c + 1] = BigInt(written + indices.length);
  }
  dataSet.resize([written + data.length]);
  dataSet.write_slice([[written, written + data.length]], Float32Array.from(data));
  indicesSet.resize([written + indices.length]);
  indicesSet.write_slice([[written, written + indices.length]], Int32Array.from(indices));
  written += data.length;
  process.stderr.write(`\r${end}/${cells} cells, ${written} non-zeros`);
}
x.create_dataset({ name: 'indptr', data: indptr });

const frame = (name: string, index: string[]) => {
  const group = file.create_group(name);
  group.create_attribute('encoding-type', 'dataframe');
  group.create_attribute('encoding-version', '0.2.0');
  group.create_attribute('_index', '_index');
  group.create_dataset({ name: '_index', data: index });
  return group;
};
const obs = frame('obs', Array.from({ length: cells }, (_, c) => `cell${c}`));
obs.create_attribute('column-order', ['cell_type', 'n_counts']);
// A string column, not a categorical: h5wasm cannot write the boolean `ordered` flag anndata's categoricals need.
obs.create_dataset({ name: 'cell_type', data: Array.from(labels, (t) => `type${t}`) });
obs.create_dataset({ name: 'n_counts', data: totals });
const geneNames = Array.from({ length: genes }, (_, g) => `gene${g}`);
// An empty string array cannot be typed from its values; anndata reads an empty float array as no columns alike.
frame('var', geneNames).create_attribute('column-order', new Float64Array(0));
file.close();

// Medians of each gene's non-zero counts per 10k are not known without a second pass; the simulated means stand in.
writeFileSync(out.replace(/\.h5ad$/, '.medians.tsv'), ['gene\tmedian', ...geneNames.map((name, g) => `${name}\t${Math.max(means[g], 1e-3) * 10}`)].join('\n') + '\n');
process.stderr.write(`\nwrote ${out}: ${cells} cells × ${genes} genes, ${written} non-zeros\n`);
