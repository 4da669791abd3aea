// The split parameters every file reader shares (a held-out fraction, or train/test sizes, or the data's own test split) and the rows they choose.
import { z } from 'zod';
import { TokbenchError } from '../harness/errors.js';
import { carveValidation, splitByCounts, splitByFraction, splitSeedOf, valFractionOf, type CarvedRows, type SplitRows } from './split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type SeedParams } from './types.js';

export const DEFAULT_TEST_FRACTION = 0.3;

/** Split parameters of a file reader whose samples are `unit` ('records', 'images'), spread into its schema. */
export function splitParams(unit: string) {
  return {
    test_fraction: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe(`Fraction of ${unit} held out for testing, stratified by label (default ${DEFAULT_TEST_FRACTION}); not with \`train_size\`/\`test_size\` or the data's own test split.`),
    train_size: z.int().min(1).optional().describe(`Training ${unit}, drawn stratified by label; with \`test_size\` instead of \`test_fraction\`. With the data's own test split: ${unit} drawn from the training side (default all).`),
    test_size: z.int().min(1).optional().describe(`Test ${unit}, drawn stratified by label; for a given split seed the test set does not depend on \`train_size\`. With the data's own test split: ${unit} drawn from it (default all).`),
    seed: z.int().min(0).max(0xffff_ffff).default(0).describe(`Fixes which ${unit} land in which split (and which are drawn), unless \`split_seed\` is given; nothing else is random.`),
    [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe(`Fixes which ${unit} land in which split, overriding \`seed\`; default: \`seed\`.`),
  };
}

export interface SplitSizes {
  readonly test_fraction?: number;
  readonly train_size?: number;
  readonly test_size?: number;
}

/** A split parameter that does not fit the others, and why. */
export interface SplitProblem {
  readonly param: keyof SplitSizes;
  /** "expected …, because …": what the param should be, worded to follow the "found <value>; " that the config layer puts before a refinement's message. */
  readonly message: string;
}

/**
 * What is wrong with `p` for `dataset`, if anything: a fraction and sizes exclude each other, the data's own
 * test split excludes the fraction, and without one the sizes go in pairs. `ownTest` says what gives the data's
 * own test split ("'test_path' gives the test records"); undefined when it has none.
 */
export function splitProblem(p: SplitSizes, ownTest: string | undefined, dataset: string): SplitProblem | undefined {
  const sized = p.train_size !== undefined || p.test_size !== undefined;
  if (p.test_fraction !== undefined && ownTest !== undefined) {
    return { param: 'test_fraction', message: `expected no test_fraction for ${dataset}, because ${ownTest}` };
  }
  if (p.test_fraction !== undefined && sized) {
    return { param: 'test_fraction', message: `expected no test_fraction for ${dataset} beside train_size or test_size, because the sizes set the split` };
  }
  if (ownTest === undefined && sized && (p.train_size === undefined || p.test_size === undefined)) {
    const missing = p.train_size === undefined ? 'train_size' : 'test_size';
    return { param: missing, message: `expected a size too, because ${dataset} takes train_size and test_size together (or neither, to hold out test_fraction)` };
  }
  return undefined;
}

/**
 * A zod check of `dataset`'s split parameters. `testFile` names the parameter that gives the data's own
 * test file and what it holds (`{ param: 'test_path', unit: 'records' }`), for a reader that takes one.
 */
export function checkSplitParams(dataset: string, testFile?: { readonly param: string; readonly unit: string }) {
  return (p: SplitSizes & { readonly [param: string]: unknown }, ctx: z.RefinementCtx): void => {
    const ownTest = testFile !== undefined && p[testFile.param] !== undefined ? `'${testFile.param}' gives the test ${testFile.unit}` : undefined;
    const problem = splitProblem(p, ownTest, dataset);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [problem.param], message: problem.message });
  };
}

/** The labels of one side's source, and where they come from (a file or folder), for messages. */
export interface LabelledSource {
  readonly labels: Int32Array;
  readonly where: string;
}

/**
 * Source rows of each side. Without the data's own `test` source the rows of `train` are split, seeded
 * and stratified, by the sizes or else the fraction; with one, each side draws `train_size` / `test_size`
 * of its own source's rows (all without a size). Then `context.valFraction` of the training rows are carved
 * into the validation side (carveValidation). Only the split seed is used.
 */
export function splitRows(
  dataset: string,
  unit: string,
  train: LabelledSource,
  test: LabelledSource | undefined,
  params: SplitSizes & SeedParams,
  context?: Pick<DatasetContext, 'valFraction'>,
): CarvedRows {
  const seed = splitSeedOf(params);
  const rows =
    test === undefined
      ? splitOne(train.labels, params, seed, dataset)
      : { train: drawn(train, params.train_size, 'train_size', unit, seed, dataset), test: drawn(test, params.test_size, 'test_size', unit, seed, dataset) };
  return carveValidation(rows, train.labels, valFractionOf(context), seed, dataset);
}

/** One source's rows split by the sizes, or else the fraction. */
function splitOne(labels: Int32Array, params: SplitSizes, seed: number, dataset: string): SplitRows {
  return params.train_size !== undefined && params.test_size !== undefined
    ? splitByCounts(labels, params.train_size, params.test_size, seed, dataset)
    : splitByFraction(labels, params.test_fraction ?? DEFAULT_TEST_FRACTION, seed, dataset);
}

/** Rows `size` draws from one source, stratified; all of them without a size. */
function drawn(source: LabelledSource, size: number | undefined, param: string, unit: string, seed: number, dataset: string): Int32Array {
  const { labels, where } = source;
  if (size === undefined) return Int32Array.from(labels, (_, i) => i);
  if (size > labels.length) {
    throw new TokbenchError('invalid-param', `The '${param}' parameter of ${dataset} must be at most ${labels.length}, the ${unit} of ${where}; got ${size} instead.`, [param]);
  }
  return splitByCounts(labels, size, 0, seed, dataset).train;
}
