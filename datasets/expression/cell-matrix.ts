// What every expression reader hands the shared pipeline (source.ts): the file's cells × genes values as compressed sparse rows.
import type { IndexArray, ValueArray } from './compact-arrays.js';

/**
 * A cells × genes matrix as the file holds it, compressed sparse rows over cells: row c's non-zeros are
 * `indices[indptr[c] .. indptr[c+1])` (gene columns, ascending) with values `data[…]`. Readers of CSC or
 * features × barcodes files transpose on read; none densifies. `indptr` is float64 because a large
 * matrix has more than 2³¹ non-zeros. `indices` and `data` are as compact as they can be
 * (compact-arrays.ts): uint16 gene indices for a panel of at most 65,536 genes, uint16 values when all are
 * integers in [0, 65535], so 100,000 cells × 2,000 counts take 800 MB instead of 1.6 GB.
 */
export interface CellMatrix {
  /** Gene names in column order (the var column or features field the params chose). */
  readonly genes: readonly string[];
  /** Cell names in row order (obs index, barcodes, the CSV's first column), for messages and label joins. */
  readonly cells: readonly string[];
  readonly indptr: Float64Array;
  readonly indices: IndexArray;
  readonly data: ValueArray;
  /** Each cell's library size from the source (an obs column named by `total_column`); absent: row sums. */
  readonly librarySizes?: Float64Array;
  /**
   * Each cell's label (undefined where it has none, e.g. a barcode missing from the labels file); absent when
   * the source has no labels at all, which allows only reconstruction (`classify: none`) and tokenize.
   */
  readonly labels?: readonly (string | undefined)[];
  /** Where the values come from, e.g. "layer 'X' of pbmc.h5ad"; the pipeline adds what they hold. */
  readonly origin: string;
  /** Other value layers the source offers with what each holds ("raw/X: log1p"), for refusals; empty when none. */
  readonly otherLayers: readonly string[];
  /** Files read, for the data hash every result row carries. */
  readonly files: readonly string[];
}
