// Dataset contract: a named source that loads samples of one modality in its canonical input space.
import type { z } from 'zod';

export type Modality = 'image' | 'expression' | 'sequence';

/**
 * The dataset parameter that reseeds only the train/test split (default: the dataset's `seed`).
 * Named once because the results summary strips it when grouping repeats of a cell.
 */
export const SPLIT_SEED_PARAM = 'split_seed';

/** The seeds every dataset's validated params carry; `split_seed` is absent unless written. */
export interface SeedParams {
  readonly seed: number;
  readonly [SPLIT_SEED_PARAM]?: number;
}
export const MODALITIES: readonly Modality[] = ['image', 'expression', 'sequence'];

/** Image: intensities in [0, 1], row-major H × W × C. */
export interface ImageSample {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixels: Float32Array;
}

/**
 * One cell's raw counts, sparse: `genes` are ascending indices into the dataset's gene panel,
 * `counts[i]` the count of `genes[i]`. `librarySize` is the cell's total count, which can exceed
 * the panel's sum when the source measured more genes than it kept. Both arrays may be uint16: a
 * large matrix is stored compactly (genes when the panel has at most 65,536, counts when every value
 * is an integer in [0, 65535]), as the reader and the pipeline choose; strategies only read elements.
 */
export interface ExpressionSample {
  readonly genes: Int32Array | Uint16Array;
  readonly counts: Float32Array | Uint16Array;
  readonly librarySize: number;
}

/** DNA over the alphabet A, C, G, T, N (upper case). */
export type SequenceSample = string;

export interface SampleOf {
  image: ImageSample;
  expression: ExpressionSample;
  sequence: SequenceSample;
}

/**
 * What an expression source's values are: raw `counts` (with each cell's library size), `normalised`
 * (already scaled to a common total per cell, not logged), `log1p` of normalised values, or `scaled`
 * (centred per gene, so negative values occur: a z-scored matrix). Readers never convert them; each
 * strategy and the reconstruction metric take them from here, and each strategy says which it accepts.
 */
export type ExpressionValues = 'counts' | 'normalised' | 'log1p' | 'scaled';
export const EXPRESSION_VALUES: readonly ExpressionValues[] = ['counts', 'normalised', 'log1p', 'scaled'];

/** What a strategy may know about a dataset before seeing any sample. */
export interface InfoOf {
  image: { readonly height: number; readonly width: number; readonly channels: number };
  expression: {
    readonly genes: readonly string[];
    readonly values: ExpressionValues;
    /**
     * Where the values come from and what else the source offers ("layer 'X' of a.h5ad: scaled (min −2.1);
     * the file also has raw/X: log1p"), so a strategy that refuses them can say what to choose instead.
     */
    readonly valuesSource?: string;
  };
  /** Shortest and longest sequence the dataset holds, in bases. */
  sequence: { readonly minLength: number; readonly maxLength: number };
}

export type Sample<M extends Modality = Modality> = SampleOf[M];
export type DatasetInfo<M extends Modality = Modality> = InfoOf[M];

/** One side of the dataset's fixed train/validation/test split. */
export interface Split<M extends Modality = Modality> {
  readonly samples: readonly SampleOf[M][];
  /** Class index of each sample, into `LoadedDataset.classNames`. */
  readonly labels: Int32Array;
  /** Row of each sample in the source dataset, so a token dump can be traced back. */
  readonly index: Int32Array;
  /**
   * Window number of each sample within its source row, when the reader cut long records into windows
   * (after the split, so all windows of a record stay on its side); absent otherwise.
   */
  readonly window?: Int32Array;
}

/** The sides of a loaded dataset. */
export type SplitName = 'train' | 'validation' | 'test';

export interface LoadedDataset<M extends Modality = Modality> {
  readonly modality: M;
  readonly info: InfoOf[M];
  readonly classNames: readonly string[];
  /** Fixed by the dataset's split seed (`split_seed`, default `seed`): every strategy and every sweep seed sees the same split. */
  readonly train: Split<M>;
  /**
   * The `valFraction` of the training split's samples, carved from it before anything is fitted (tokenizer, HVGs)
   * and fixed by the split seed alone; nothing fits or trains on it. Empty without a `valFraction`.
   */
  readonly validation: Split<M>;
  readonly test: Split<M>;
}

/** What `load` will produce, known without loading a sample, so a sweep can be checked and costed before it runs. */
export interface DatasetShape<M extends Modality = Modality> {
  /** Exactly what `load` will report. */
  readonly info: InfoOf[M];
  /** Samples `load` will put in each split; the validation samples are not in `trainSize`. */
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly classes: number;
  /** Files `load` reads (absolute or as resolved), so their content can be hashed into every row and checked before a run. Empty for simulated data. */
  readonly files: readonly string[];
  /**
   * Source records a record reader (the DNA readers) kept, before the split draws from them. This and the
   * counts below say what such a reader did to its records, so a sweep never loses or changes data
   * unannounced; absent for readers that do none of it.
   */
  readonly records?: number;
  /** Source records dropped as unusable (`on_invalid: skip`). */
  readonly skipped?: number;
  /** Source records dropped as shorter than the reader's minimum length (`min_bases`), before the split. */
  readonly short?: number;
  /** Records in the split with characters read as N (`on_invalid: as-n`), and how many such characters they hold. */
  readonly readAsN?: number;
  readonly charactersAsN?: number;
  /** Records in the split longer than the reader's length limit, truncated or cut into windows (`max_bases`, `on_long`). */
  readonly cut?: number;
  /** Windows the `cut` records gave (`on_long: windows`), short leftovers dropped; absent when they were truncated. */
  readonly windows?: number;
  /** Leftover windows dropped as shorter than `min_bases`; absent unless cutting windows. */
  readonly shortWindows?: number;
  /** Classes with test samples but no training sample: no classifier learns them, so accuracy cannot reach 1. */
  readonly untrainedClasses?: number;
  /**
   * What an expression reader dropped before the split: cells with no counts, without a label, with fewer than
   * `min_genes` genes; genes in fewer than `min_cells` cells, or outside the `hvg` selection. Absent for other readers.
   */
  readonly cellsDropped?: { readonly empty: number; readonly unlabelled: number; readonly minGenes: number };
  readonly genesDropped?: { readonly minCells: number; readonly notVariable: number };
  /** False for a source without labels (classes 0): only reconstruction (`classify: none`) and tokenize can use it. */
  readonly labelled?: boolean;
}

/** Where a dataset's relative paths start (the folder of the YAML file that names them), and how much of its training split to hold out. */
export interface DatasetContext {
  readonly baseDir: string;
  /** Share of the training split carved into the validation split (the train param `val_fraction`); absent: 0, none. */
  readonly valFraction?: number;
}

export interface DatasetDefinition<M extends Modality = Modality, P extends object = object> {
  /** Registry and YAML name; equals the file name. */
  readonly name: string;
  readonly modality: M;
  /** One line: what the data is and where it comes from. */
  readonly description: string;
  /** Parameters with defaults; every parameter may become a sweep axis. */
  readonly params: z.ZodType<P>;
  /**
   * Metadata before anything trains (a reader may parse or decode its files to check them, cached for `load`), sizes with
   * `context.valFraction` carved as `load` carves it; throws the same `invalid-param` TokbenchError as `load` for sizes the data cannot supply.
   */
  describe(params: P, context?: DatasetContext): Promise<DatasetShape<M>>;
  /**
   * Loads (or simulates) the data and performs the seeded split, carving `context.valFraction` of the training split into
   * the validation split (datasets/split.ts carveValidation); relative paths start at `context.baseDir` (the working folder without one).
   */
  load(params: P, context?: DatasetContext): Promise<LoadedDataset<M>>;
}
