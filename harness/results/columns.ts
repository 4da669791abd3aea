// The result table's fixed columns, each declared once with its type, unit, direction and provenance.
// results/README.md documents exactly these; a test keeps the two in step.

export type ColumnType = 'utf8' | 'int32' | 'float64';

/** How a number came about: set in the config, computed from outputs, counted analytically, or timed. */
export type Provenance = 'config' | 'computed' | 'analytic' | 'measured';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly unit: string;
  /** Whether larger values are better, for reports that rank or colour; `none` for descriptive columns. */
  readonly direction: 'higher' | 'lower' | 'none';
  readonly provenance: Provenance;
  readonly description: string;
}

const id = (name: string, type: ColumnType, description: string): ColumnSpec => ({ name, type, unit: '', direction: 'none', provenance: 'config', description });

const metric = (
  name: string,
  unit: string,
  direction: ColumnSpec['direction'],
  provenance: Provenance,
  description: string,
  type: ColumnType = 'float64',
): ColumnSpec => ({ name, type, unit, direction, provenance, description });

export const IDENTITY_COLUMNS: readonly ColumnSpec[] = [
  id('sweep', 'utf8', 'Sweep name from the config.'),
  id('cell_id', 'utf8', 'Stable id of the grid cell: hash of its fully resolved parameters (not the seed).'),
  id('seed', 'int32', "The sweep seed of this row: initialisation, masking and batch order (the split is fixed by the dataset's own seed)."),
  id('modality', 'utf8', '`image`, `expression` or `sequence`.'),
  id('dataset', 'utf8', 'Dataset registry name.'),
  id('strategy', 'utf8', 'Strategy registry name.'),
  id('dim', 'int32', 'Model width.'),
  id('depth', 'int32', 'Encoder blocks.'),
  id('heads', 'int32', 'Attention heads.'),
  id('mlp_ratio', 'float64', 'MLP hidden width / dim.'),
  id('mask_ratio', 'float64', 'Fraction of tokens masked in pre-training and in the reconstruction evaluation.'),
  id('pretrain_epochs', 'int32', 'Masked-reconstruction epochs.'),
  id('classify_epochs', 'int32', 'Classification epochs.'),
  id('batch_size', 'int32', 'Samples per step.'),
  id('lr', 'float64', 'Adam learning rate.'),
  id('classify', 'utf8', 'Classification protocol: `finetune` (encoder + linear head) or `probe` (linear head on frozen mean-pooled embeddings).'),
  id('params_json', 'utf8', 'Every resolved parameter of the cell as JSON: `{dataset, strategy, model, train}` with names and params.'),
];

export const STATUS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'status', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: '`ok`, `failed` (the cell threw) or `diverged` (a non-finite loss).' },
  { name: 'error', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: 'Error text when status is not `ok`, else null.' },
  { name: 'decode_note', type: 'utf8', unit: '', direction: 'none', provenance: 'computed', description: "How the strategy's `decode` estimates what its tokens do not carry (rank tokens have no magnitudes, overlapping k-mers can disagree); empty when decode is exact." },
  { name: 'backend', type: 'utf8', unit: '', direction: 'none', provenance: 'measured', description: 'tfjs backend that ran the cell (`tensorflow` with or without GPU, `wasm`, `cpu`).' },
  { name: 'tokbench_version', type: 'utf8', unit: '', direction: 'none', provenance: 'config', description: 'Version of tokbench that wrote the row.' },
];

/** Metrics; null where a metric does not apply (e.g. base error for images) or the cell failed before it. */
export const METRIC_COLUMNS: readonly ColumnSpec[] = [
  metric('reconstruction_mse', 'canonical units²', 'lower', 'computed',
    'Images and expression: mean squared error, in the canonical input space after `decode`, over the input elements the masked test tokens cover and no visible token does (pixel intensities in [0,1]; log1p(counts per 10k)).'),
  metric('reconstruction_base_error', 'fraction of bases', 'lower', 'computed',
    'DNA: fraction of the bases hidden by the masking (covered by masked test tokens and by no visible overlapping token) that the decoded prediction gets wrong.'),
  metric('masked_token_accuracy', 'fraction', 'higher', 'computed', 'Discrete tokens only: top-1 accuracy of the predicted id of masked test tokens.'),
  metric('roundtrip_mse', 'canonical units²', 'lower', 'computed', 'Tokenizer alone: MSE of `decode(encode(x))` against x over all elements of the test samples (images, expression).'),
  metric('roundtrip_base_error', 'fraction of bases', 'lower', 'computed', 'Tokenizer alone: fraction of test bases that `decode(encode(x))` gets wrong (DNA).'),
  metric('accuracy', 'fraction', 'higher', 'computed', 'Test-split classification accuracy with the `classify` protocol.'),
  metric('macro_f1', 'fraction', 'higher', 'computed', 'Test-split macro-averaged F1 (classes absent from both truth and prediction are skipped).'),
  metric('baseline_accuracy', 'fraction', 'higher', 'computed', 'Logistic regression on the raw input (pixels; log1p counts per 10k; one-hot bases) on the same split.'),
  metric('baseline_macro_f1', 'fraction', 'higher', 'computed', 'Macro-F1 of the same baseline.'),
  metric('tokens_mean', 'tokens', 'lower', 'computed', 'Mean tokens per test sample.'),
  metric('tokens_p95', 'tokens', 'lower', 'computed', '95th percentile of tokens per test sample.'),
  metric('tokens_max', 'tokens', 'lower', 'computed', 'Maximum tokens per test sample.'),
  metric('dropped_fraction', 'fraction', 'lower', 'computed', 'Mean over test samples of the fraction of input content (non-zero genes, bases) no token covers (truncation).'),
  metric('vocab_size', 'ids', 'none', 'computed', 'Sum of the vocabulary sizes of the id channels (0 for purely continuous tokens).', 'int32'),
  // float64, exact to 2⁵³: the model params allow more than 2³¹ parameters.
  metric('parameter_count', 'parameters', 'none', 'computed', 'Trainable parameters of encoder, input embeddings and reconstruction head.'),
  metric('attention_macs', 'MACs per sample', 'lower', 'analytic', 'Attention-score and attention-value matmuls of one forward pass, mean over test samples of the per-sample count.'),
  metric('total_macs', 'MACs per sample', 'lower', 'analytic', 'All multiply-accumulates of one encoder forward pass (input projections, attention, MLP), mean over test samples.'),
  metric('pretrain_loss', 'loss', 'lower', 'measured', 'Mean masked-reconstruction loss of the last pre-training epoch (cross-entropy for ids, MSE for values).'),
  metric('train_seconds', 's', 'lower', 'measured', 'Wall time of pre-training plus classification training.'),
  metric('train_tokens_per_second', 'tokens/s', 'higher', 'measured', 'Non-padding tokens processed per second of training.'),
  metric('tokenize_seconds', 's', 'lower', 'measured', 'Wall time to fit the tokenizer and encode both splits.'),
  metric('peak_rss_mb', 'MiB', 'lower', 'measured',
    'Peak resident set size of the process that ran the cell, from its start to the end of the cell: a process-lifetime peak, so it includes cells that ran earlier in the same process; null for rows that never ran.'),
];

export const FIXED_COLUMNS: readonly ColumnSpec[] = [...IDENTITY_COLUMNS, ...STATUS_COLUMNS, ...METRIC_COLUMNS];

/** One result row; axis columns (`dataset.*`, `strategy.*`) are added per sweep beside the fixed ones. */
export type RowValue = string | number | null;
export type ResultRow = Record<string, RowValue>;
