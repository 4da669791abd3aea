// Strategy (tokenizer) contract, after Hugging Face `tokenizers` and scikit-learn's fit/transform.
import type { z } from 'zod';
import type { DatasetContext, DatasetInfo, Modality, SampleOf } from '../datasets/types.js';
import type { Rng } from '../harness/random.js';
import type { MetricName } from '../harness/results/metrics.js';

/** The tokens of one sample, row-major; `length` varies per sample for adaptive strategies. */
export interface Tokens {
  readonly length: number;
  /** length × idChannels discrete ids, one column per channel, each with its own vocabulary. */
  readonly ids: Int32Array;
  /** length × valueDim continuous content. */
  readonly values: Float32Array;
  /**
   * length × valueDim: 1 where a value is content, 0 where it is padding (the zeros of a patch past the
   * image's edge), so padding is never a reconstruction target; absent when every value is content.
   */
  readonly realValues?: Uint8Array;
  /** length × coordDim: where each token sits (pixel row/col/size, rank position, base offset). */
  readonly coords: Float32Array;
  /** Canonical shape of the source sample ([H, W, C], [genes], [bases]) so `decode` can rebuild it. */
  readonly extent: readonly number[];
  /** Fraction of the sample's content (non-zero genes, bases, pixels) that no token covers. */
  readonly dropped: number;
}

/**
 * What the masked-reconstruction head predicts: the continuous values, or one id channel, whose ids below
 * `specials` are special tokens (padding, mask, unknown): a prediction never answers with one, and
 * masked-token accuracy scores content targets only.
 */
export type ReconstructionTarget = { readonly kind: 'values' } | { readonly kind: 'ids'; readonly channel: number; readonly specials: number };

/** Everything the model needs to know about the tokens; it never learns the strategy's name. */
export interface TokenLayout {
  readonly idChannels: number;
  /** Vocabulary size of each id channel. */
  readonly vocabSizes: readonly number[];
  readonly valueDim: number;
  readonly coordDim: number;
  readonly target: ReconstructionTarget;
  /** Masking picks spans of this many consecutive tokens (k for overlapping k-mers), else 1. */
  readonly maskSpan: number;
}

export interface Strategy<M extends Modality = Modality> {
  readonly layout: TokenLayout;
  /**
   * Learns state (medians, codebooks, merges) from the training split only; absent when stateless. Every
   * random choice (a subsample, an initialisation) must come from `random`: it is drawn from the run's seed
   * when the definition is `seeded`, and from one fixed stream otherwise, so fitting is reproducible either way.
   */
  fit?(train: readonly SampleOf[M][], random: Rng): void;
  /**
   * Tokenizes one sample; throws a `not-fitted` TokbenchError if the strategy must be fitted first. Every
   * random choice (scGPT's tie spreading, a sample of genes) must come from `random`, which the harness
   * derives from (the run's seed, the sample's source row) alone, so a sample's tokens never depend on
   * which samples were encoded before it. A strategy that draws from it must be `seeded`, and throws an
   * `invalid-param` TokbenchError when called without one (see `requireRandom`).
   */
  encode(sample: SampleOf[M], random?: Rng): Tokens;
  /**
   * Rebuilds a sample in the canonical input space from (possibly predicted) tokens; lossy is fine. Reads
   * where each token sits from its coords, never from its index, so a subset of the tokens (the visible
   * ones, which the fill reference decodes alone) rebuilds what those tokens cover as the whole list does.
   */
  decode(tokens: Tokens): SampleOf[M];
  /** Canonical element indices (flat pixel/channel index, gene index, base offset) token i stands for. */
  covers(tokens: Tokens, i: number): ArrayLike<number>;
  /** Human-readable name of token i: `patch(r,c,s)`, a gene symbol, a k-mer. */
  label(tokens: Tokens, i: number): string;
  /** How decode estimates what the tokens do not carry; empty when decode is exact. */
  readonly decodeNote: string;
  /**
   * A learned tokenizer's fitted state as files (file name → text), for `--save-tokenizers`; throws
   * a `not-fitted` TokbenchError before `fit`. Absent when stateless.
   */
  artifacts?(): Readonly<Record<string, string>>;
  /**
   * Numbers a fitted tokenizer reports about itself (genes it put in no token), copied into its result rows
   * under declared metric names; throws a `not-fitted` TokbenchError before `fit`. Absent when it reports none.
   */
  facts?(): Readonly<Partial<Record<MetricName, number>>>;
}

/** Why a strategy's params do not suit a dataset, found before anything loads or trains. */
export interface ParamProblem {
  /** Relative to the strategy's params, e.g. ['patch_size']; empty when no single param is at fault. */
  readonly path: readonly (string | number)[];
  /** "found …; expected …", worded as the config layer words its problems. */
  readonly message: string;
}

/** Where a strategy's relative paths (a medians file, gene sets) start: the folder of the YAML file that names them. */
export type StrategyContext = DatasetContext;

export interface StrategyDefinition<M extends Modality = Modality, P extends object = object> {
  /** Registry and YAML name; equals the file name. */
  readonly name: string;
  readonly modality: M;
  /** One line: what the tokens are and which paper or tool the rules follow. */
  readonly description: string;
  /** Parameters with defaults; every parameter may become a sweep axis. */
  readonly params: z.ZodType<P>;
  /** Builds a tokenizer for data described by `info` from validated parameters; relative paths start at `context.baseDir` (see `resolveDataPath`). */
  create(params: P, info: DatasetInfo<M>, context?: StrategyContext): Strategy<M>;
  /** Files the params name (a medians table, gene sets), resolved from `context.baseDir`, so their content joins every row's data hash; absent when none. */
  files?(params: P, context?: StrategyContext): readonly string[];
  /** Every problem with these validated params for data described by `info` (files they name included), so a sweep can be rejected before it runs; absent when any pairing works. */
  check?(params: P, info: DatasetInfo<M>, context?: StrategyContext): readonly ParamProblem[];
  /**
   * Tokens per sample when that is known without data (cost estimates); undefined when it depends on
   * each sample. Assumes `check` found no problem; absent when never known.
   */
  tokensPerSample?(params: P, info: DatasetInfo<M>): number | undefined;
  /**
   * True when the tokens depend on the run's seed (a fit that draws from `random`): each (cell, seed) is
   * then fitted and encoded on its own, so seed repeats also measure the tokenizer's own variance. Absent
   * or false: one tokenization per cell, shared by its seeds.
   */
  readonly seeded?: boolean;
}
