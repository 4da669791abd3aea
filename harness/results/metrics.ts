// Every metric a result row can carry, declared once: type, unit, direction, where it applies, how seeds
// combine and where it is shown. Evaluators, the Arrow table, results/README.md, summary.md and the
// progress line all read this list (as lm-evaluation-harness registers a metric with its aggregation).
import type { Modality } from '../../datasets/types.js';
import { MODALITIES } from '../../datasets/types.js';
import { engineering } from './format.js';

/** Arrow type of a metric column; lists hold one value per epoch. */
export type MetricType = 'float64' | 'int32' | 'list<float64>';

/** How a number came about: computed from outputs, counted analytically, or measured on the machine. */
export type Provenance = 'config' | 'computed' | 'analytic' | 'measured';

/** Whether larger values are better, for reports that rank or colour; `none` for descriptive columns. */
export type Direction = 'higher' | 'lower' | 'none';

export interface MetricSpec<Name extends string = string> {
  readonly type: MetricType;
  readonly unit: string;
  readonly direction: Direction;
  readonly provenance: Provenance;
  /** Modalities whose rows can hold a value; null elsewhere. */
  readonly modalities: readonly Modality[];
  /** How the rows of one configuration (its seeds and split seeds) combine in summaries: mean ± sd, or not at all. */
  readonly aggregate: 'mean' | 'none';
  /** Shown in summary.md under `header`; with `reference`, also as a ratio to that metric. */
  readonly summary?: { readonly header: string; readonly format: (value: number) => string; readonly reference?: Name };
  /** Shown on each progress line as `label=value`. */
  readonly progress?: { readonly label: string; readonly digits: number };
  readonly description: string;
}

const precision3 = (v: number) => v.toPrecision(3);
const fixed = (digits: number) => (v: number) => v.toFixed(digits);

/** Checks every `reference` against the declared names, so a misspelt one fails the type check. */
function declare<const T extends Record<string, MetricSpec<Extract<keyof T, string>>>>(metrics: T): T {
  return Object.freeze(metrics);
}

const ALL = MODALITIES;

const SAME_ELEMENTS =
  'every element of every test sample (all pixels and channels; all genes of the panel in log1p(counts per 10k); all bases), the same set for every strategy and parameter of a modality';

/** The four spend columns of a training stage: what it spent against its budget. */
function spendMetrics<const Stage extends 'pretrain' | 'classify'>(stage: Stage, what: string, head: string, nulls: string) {
  const spec = (unit: string, description: string): MetricSpec<never> => ({
    type: 'float64', unit, direction: 'none', provenance: 'analytic', modalities: ALL, aggregate: 'mean',
    description: `${description} ${nulls}`,
  });
  return {
    [`${stage}_flops`]: spec('FLOPs', `Analytic training FLOPs ${what} spent: for each presented sample, 3 (forward and backward) × 2 × the forward MACs of the encoder at the sample's own length (embeddings included, padding not) plus ${head}. Read beside \`${stage}_budget\`.`),
    [`${stage}_tokens`]: spec('tokens', `Real (non-padding) tokens ${what} put through the encoder.`),
    [`${stage}_samples`]: spec('samples', `Sample presentations in ${what} (an epoch presents every training sample with tokens once).`),
    [`${stage}_steps`]: spec('steps', `Optimiser steps of ${what}; the learning-rate schedule is laid out over exactly these.`),
  } as Record<`${Stage}_${'flops' | 'tokens' | 'samples' | 'steps'}`, MetricSpec<never>>;
}

const DECLARED = declare({
  reconstruction_error: {
    type: 'float64', unit: 'MSE (images, expression) or fraction of bases (DNA)', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'recon. error', format: precision3, reference: 'reconstruction_fill_reference' },
    progress: { label: 'recon', digits: 4 },
    description: `Masked-token reconstruction over ${SAME_ELEMENTS}: each test sample rebuilt by \`decode\` from its visible tokens, the model's predictions for its masked tokens and decode's estimate for content no token carries (truncated, dropped), pooled over elements. MSE in canonical units for images and expression; the fraction of wrong bases for DNA. The column to compare across strategies, read beside \`reconstruction_fill_reference\` (the visible tokens alone do part of the work) and \`masked_element_fraction\` (a mask that hides less of the input leaves less to get wrong).`,
  },
  reconstruction_reference: {
    type: 'float64', unit: 'as reconstruction_error', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: "`reconstruction_error` of the trivial predictor that ignores the tokens: every element predicted as the training split's mean for that element (per pixel and channel; per gene in log1p(counts per 10k)), or for DNA the training split's most frequent base. The same for every strategy of a dataset.",
  },
  reconstruction_fill_reference: {
    type: 'float64', unit: 'as reconstruction_error', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description:
      "`reconstruction_error` of the predictor that decodes the visible tokens alone (as the strategy decodes; where a lossy visible token overlaps a masked one, as multiscale patches do, what the visible one says) and fills the elements only masked tokens carried with the training mean (most frequent base): what the model's predictions must beat. Below it, the predictions add something; at or above it, the number comes from the visible tokens alone. Same elements as `reconstruction_error`, never depending on the prediction.",
  },
  masked_reconstruction_error: {
    type: 'float64', unit: 'as reconstruction_error', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'masked recon.', format: precision3, reference: 'masked_reconstruction_reference' },
    description: "Reconstruction error over the elements only masked tokens carried (covered by a masked test token and by no visible one): what the model truly had to infer. Its element set depends on the strategy's tokens and the mask, never on the prediction; compare it within one strategy only (see `masked_elements`).",
  },
  masked_reconstruction_reference: {
    type: 'float64', unit: 'as reconstruction_error', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'The training mean of `reconstruction_reference`, scored over the elements of `masked_reconstruction_error`.',
  },
  masked_elements: {
    type: 'float64', unit: 'elements', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Denominator of `masked_reconstruction_error`: canonical elements, summed over test samples, that only masked tokens carried.',
  },
  masked_element_fraction: {
    type: 'float64', unit: 'fraction', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: '`masked_elements` over all canonical elements of the test samples. Masking picks a fraction of tokens, so strategies hide different fractions of the input.',
  },
  masked_token_accuracy: {
    type: 'float64', unit: 'fraction', direction: 'higher', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'masked acc.', format: fixed(3) },
    description: 'Discrete tokens only: top-1 accuracy of the predicted id of masked test tokens whose true id is content, not a special such as [UNK] (predictions are always content ids). Comparable within one strategy only: vocabularies differ. For overlapping k-mers a masked k-mer counts right only when all k letters are, though its visible neighbours spell all but the middle bases of a masked span; `masked_reconstruction_error` scores just those hidden bases after decode\'s vote, so the two can disagree.',
  },
  roundtrip_error: {
    type: 'float64', unit: 'as reconstruction_error', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'roundtrip', format: precision3, reference: 'reconstruction_reference' },
    description: `The tokenizer alone, no model: \`decode(encode(x))\` against x over ${SAME_ELEMENTS}: what decode loses with every token visible and true, read against \`reconstruction_reference\` like \`reconstruction_error\`.`,
  },
  accuracy: {
    type: 'float64', unit: 'fraction', direction: 'higher', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'accuracy', format: fixed(3) },
    progress: { label: 'acc', digits: 3 },
    description: 'Test-split classification accuracy with the `classify` protocol; null with `classify: none`.',
  },
  macro_f1: {
    type: 'float64', unit: 'fraction', direction: 'higher', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'macro-F1', format: fixed(3) },
    description: "Test-split macro-averaged F1 (scikit-learn's `f1_score(average='macro')`: classes absent from both truth and prediction are skipped).",
  },
  majority_accuracy: {
    type: 'float64', unit: 'fraction', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'majority acc.', format: fixed(3) },
    description: "Test accuracy of always predicting the training split's most frequent class (ties to the first class): the floor beside `accuracy`; null with `classify: none`.",
  },
  baseline_accuracy: {
    type: 'float64', unit: 'fraction', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'baseline acc.', format: fixed(3) },
    progress: { label: 'baseline', digits: 3 },
    description: 'Logistic regression on the raw input (pixels; log1p counts per 10k of the 1,000 genes with the highest variance on the training split, all genes of a smaller panel, so the matrix never grows with the panel; for DNA the k-mer spectrum, the frequencies of every 3-, 4-, 5- and 6-mer, position-free) on the same split: the reference beside `accuracy`; null with `classify: none`.',
  },
  baseline_macro_f1: {
    type: 'float64', unit: 'fraction', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Macro-F1 of the same baseline.',
  },
  test_samples: {
    type: 'int32', unit: 'samples', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Test samples every test metric of the row is computed over (the per-sample predictions are in predictions.arrow).',
  },
  bases_per_token: {
    type: 'float64', unit: 'bases/token', direction: 'none', provenance: 'computed', modalities: ['sequence'], aggregate: 'mean',
    summary: { header: 'bases/token', format: fixed(2) },
    description: 'Compression: the bases tokens cover (dropped bases excluded) over the tokens, pooled over test sequences; specials such as [CLS] count as tokens.',
  },
  tokens_mean: {
    type: 'float64', unit: 'tokens', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    summary: { header: 'tokens', format: fixed(1) },
    progress: { label: 'tokens', digits: 1 },
    description: 'Mean tokens per test sample.',
  },
  tokens_p95: {
    type: 'float64', unit: 'tokens', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: '95th percentile of tokens per test sample.',
  },
  tokens_max: {
    type: 'float64', unit: 'tokens', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Maximum tokens per test sample.',
  },
  dropped_fraction: {
    type: 'float64', unit: 'fraction', direction: 'lower', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Mean over test samples of the fraction of input content (non-zero genes, bases) no token covers: truncation at `max_len`, and for `rank` genes without a training median; reconstruction charges it.',
  },
  vocab_size: {
    type: 'int32', unit: 'ids', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Sum of the vocabulary sizes of the id channels after fit, specials included (0 for purely continuous tokens): for a learned vocabulary the size it really reached, below the `strategy.vocab_size` asked for when the training split ran out of pairs (`bpe`) or the fitted patches held fewer distinct ones than codes asked for (`vq`).',
  },
  codebook_usage: {
    type: 'float64', unit: 'fraction', direction: 'none', provenance: 'computed', modalities: ['image'], aggregate: 'mean',
    summary: { header: 'codebook use', format: fixed(2) },
    description:
      "Image tokens with an id target (a codebook, such as `vq`'s): the distinct content ids (specials excluded) of the target id channel in the test split's tokens, over the content ids the vocabulary holds after fit (for `vq` the codes it really fitted, `vocab_size` − 1). Null for continuous tokens, and for DNA and expression rows: their ids (every k-mer, letters, BPE merges, the gene panel) spell the input rather than quantise it, so their use measures the data, not a codebook.",
  },
  codebook_perplexity: {
    type: 'float64', unit: 'codes', direction: 'none', provenance: 'computed', modalities: ['image'], aggregate: 'mean',
    description:
      "exp of the entropy (natural log) of the frequencies of the content ids counted by `codebook_usage`: the number of equally used codes that would have the same entropy, from 1 (one code only) to the codebook's size (every code equally often). Null where `codebook_usage` is.",
  },
  genes_unassigned: {
    type: 'int32', unit: 'genes', direction: 'none', provenance: 'computed', modalities: ['expression'], aggregate: 'mean',
    description:
      "Genes of the panel the fitted tokenizer puts in no token, as it reports them (`Strategy.facts`): for `modules`, genes in no set of its `gene_sets` file, or, with learned modules, genes of zero variance over the training cells the clustering saw (never detected there, or constant); decode gives them their training mean. Null for strategies that report none.",
  },
  // float64, exact to 2⁵³: the model params allow more than 2³¹ parameters.
  parameter_count: {
    type: 'float64', unit: 'parameters', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'mean',
    description: 'Trainable parameters of encoder, input embeddings and reconstruction head.',
  },
  attention_macs: {
    type: 'float64', unit: 'MACs per sample', direction: 'lower', provenance: 'analytic', modalities: ALL, aggregate: 'mean',
    description: 'Attention-score and attention-value matmuls of one forward pass, mean over test samples of the per-sample count.',
  },
  total_macs: {
    type: 'float64', unit: 'MACs per sample', direction: 'lower', provenance: 'analytic', modalities: ALL, aggregate: 'mean',
    summary: { header: 'MACs/sample', format: engineering },
    description: 'All multiply-accumulates of one encoder forward pass (input projections, attention, MLP), mean over test samples.',
  },
  pretrain_loss: {
    type: 'float64', unit: 'loss', direction: 'lower', provenance: 'measured', modalities: ALL, aggregate: 'mean',
    description: "The last entry of `pretrain_losses` (under a budget other than epochs, the last epoch may be a short partial one). Comparable within one strategy only: cross-entropy over different vocabularies, or MSE of different values.",
  },
  pretrain_losses: {
    type: 'list<float64>', unit: 'loss', direction: 'none', provenance: 'measured', modalities: ALL, aggregate: 'none',
    description: "Mean masked-reconstruction loss of each pre-training epoch (cross-entropy for ids, MSE over real values for values; a patch's zero padding is no target).",
  },
  classify_losses: {
    type: 'list<float64>', unit: 'loss', direction: 'none', provenance: 'measured', modalities: ALL, aggregate: 'none',
    description: 'Mean cross-entropy of each fine-tuning epoch; null for `classify: probe` (a convex fit to its optimum) and `classify: none`.',
  },
  ...spendMetrics('pretrain', 'masked-token pre-training', 'the reconstruction head on the `maskCount` masked tokens', 'Never null: an epoch budget reports what its epochs spent.'),
  ...spendMetrics('classify', 'fine-tuning', 'the linear classification head', 'Null for `classify: probe` (a convex fit on one embedding pass, no budget) and `classify: none`.'),
  lr_selected: {
    type: 'float64', unit: 'learning rate', direction: 'none', provenance: 'computed', modalities: ALL, aggregate: 'none',
    description: 'The peak learning rate the run trained with, chosen from `lr_select` by the lowest validation loss after training on `lr_select_fraction` of both budgets (classification cross-entropy on the validation split; the masked-token loss there with `classify: none`); null without `lr_select`, when `lr` applies. The test split never takes part.',
  },
  lr_selection_flops: {
    type: 'float64', unit: 'FLOPs', direction: 'lower', provenance: 'analytic', modalities: ALL, aggregate: 'mean',
    description: "Analytic FLOPs the learning-rate trials spent, outside the run's budgets: each trial's training FLOPs (counted as `pretrain_flops` and `classify_flops` are) plus 2 × forward MACs (the encoder at each sample's length) for every sample a trial embedded: the training split (fine-tuning's statistics pass or the probe's fit) and the validation split it was scored on; null without `lr_select`.",
  },
  train_seconds: {
    type: 'float64', unit: 's', direction: 'lower', provenance: 'measured', modalities: ALL, aggregate: 'mean',
    summary: { header: 'train s', format: fixed(1) },
    progress: { label: 'train', digits: 1 },
    description: 'Wall time of pre-training plus classification training.',
  },
  train_tokens_per_second: {
    type: 'float64', unit: 'tokens/s', direction: 'higher', provenance: 'measured', modalities: ALL, aggregate: 'mean',
    description: 'Non-padding tokens processed per second of training.',
  },
  tokenize_seconds: {
    type: 'float64', unit: 's', direction: 'lower', provenance: 'measured', modalities: ALL, aggregate: 'mean',
    description: 'Wall time to fit the tokenizer and encode every split (train, validation, test).',
  },
  peak_rss_mb: {
    type: 'float64', unit: 'MiB', direction: 'lower', provenance: 'measured', modalities: ALL, aggregate: 'mean',
    description:
      'Peak resident set size of the process that ran the cell, from its start to the end of the cell: a process-lifetime peak, so it includes cells that ran earlier in the same process; null for rows that never ran.',
  },
});

export type MetricName = keyof typeof DECLARED;
/** Every metric by name, each spec seen through the common interface. */
export const METRICS: Readonly<Record<MetricName, MetricSpec<MetricName>>> = DECLARED;
/** In declaration order: the order of the table's metric columns. */
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** A metric's value in one row: a number, a list (one value per epoch), or null where it does not apply. */
export type MetricValue = number | readonly number[] | null;
export type Metrics = Partial<Record<MetricName, MetricValue>>;

/** The value as a number, or null for lists and missing values. */
export function scalar(value: MetricValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}
