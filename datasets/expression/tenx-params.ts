// The parameters 10x-mtx and 10x-h5 share (which feature field names the genes, a labels file joined on barcodes) and the gene panel they pick, as scanpy's read_10x_mtx / read_10x_h5.
import { z } from 'zod';

/** CellRanger's feature type of RNA features; antibody capture, CRISPR guides and other types are left out. */
export const GENE_EXPRESSION = 'Gene Expression';

/** Shape fragment spread into the 10x readers' schemas, beside their own `path` and the expression source params. */
export const tenxParams = {
  gene_names: z
    .enum(['symbol', 'id'])
    .default('symbol')
    .describe(
      "Which feature field names the genes: `symbol` (default, as scanpy's `var_names='gene_symbols'`; a repeated symbol gets '-1', '-2', … after its first occurrence, as scanpy's `make_unique`) or `id` (the Ensembl id, unique).",
    ),
  labels: z
    .string()
    .min(1)
    .optional()
    .describe(
      "CSV or TSV file of cell labels (gzip accepted), relative to the sweep file's folder, with a header row: `barcode_column` holds barcodes as the matrix writes them and `label_column` the label. Cells it does not name, or names with an empty label, are unlabelled (dropped and counted). Without it the source has no labels: only `classify: none` and tokenize can use it.",
    ),
  barcode_column: z.string().min(1).default('barcode').describe('Header of the barcode column of `labels`.'),
};

/** The 10x params as validated. */
export type TenxParams = z.output<z.ZodObject<typeof tenxParams>>;

/** The features of a 10x matrix, one entry per matrix row (feature) in file order. */
export interface TenxFeatures {
  readonly ids: readonly string[];
  readonly symbols: readonly string[];
  /** Feature type of each row; absent in CellRanger 2 output (genes.tsv), whose features are all genes. */
  readonly types?: readonly string[];
}

/** The gene panel a 10x reader keeps, and where each matrix row goes in it. */
export interface TenxPanel {
  readonly genes: readonly string[];
  /** Panel column of each matrix row (feature), −1 for a row left out; increasing over kept rows, so row order is panel order. */
  readonly columnOfRow: Int32Array;
}

/**
 * The genes named by `geneNames`, made unique over all features first (scanpy's order: it renames, then
 * keeps Gene Expression rows, so a gene whose symbol an antibody feature used before it is 'X-1'), then
 * only the rows of type Gene Expression when types are given.
 */
export function tenxPanel(features: TenxFeatures, geneNames: TenxParams['gene_names']): TenxPanel {
  const names = geneNames === 'id' ? features.ids : uniqueNames(features.symbols);
  const columnOfRow = new Int32Array(names.length).fill(-1);
  const genes: string[] = [];
  names.forEach((name, row) => {
    if (features.types !== undefined && features.types[row] !== GENE_EXPRESSION) return;
    columnOfRow[row] = genes.length;
    genes.push(name);
  });
  return { genes, columnOfRow };
}

/**
 * anndata's `make_index_unique` (join '-'): the first occurrence of a name keeps it; each later one takes
 * name-k with k counting up per name from 1, skipping any candidate that is already a name in the list or
 * was given before ('a', 'a', 'a-1' → 'a', 'a-2', 'a-1').
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  const suffix = new Map<string, number>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let k = suffix.get(name) ?? 0;
    let candidate: string;
    do {
      k += 1;
      candidate = `${name}-${k}`;
    } while (taken.has(candidate));
    suffix.set(name, k);
    taken.add(candidate);
    return candidate;
  });
}
