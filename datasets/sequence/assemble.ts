// From the checked records of DNA files to a loaded dataset: class names, the seeded stratified split, then windows, and the shape `describe` reports.
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { splitByCounts, splitByFraction, splitSeedOf } from '../split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type DatasetDefinition, type DatasetShape, type LoadedDataset, type SeedParams, type Split } from '../types.js';
import { cut, type OnLong, type Records } from './records.js';

const DEFAULT_TEST_FRACTION = 0.3;

/** Split parameters of every DNA file reader, spread into its schema; check them with `checkSplitParams`. */
export const splitParams = {
  test_fraction: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe(`Fraction of records held out for testing, stratified by label (default ${DEFAULT_TEST_FRACTION}); not with \`train_size\`/\`test_size\` or a test file.`),
  train_size: z.int().min(1).optional().describe('Training records (before windows), drawn stratified by label; with `test_size` instead of `test_fraction`. With a test file: records drawn from the training file (default all).'),
  test_size: z.int().min(1).optional().describe('Test records (before windows), drawn stratified by label; for a given split seed the test set does not depend on `train_size`. With a test file: records drawn from it (default all).'),
  seed: z.int().min(0).max(0xffff_ffff).default(0).describe('Fixes which records land in which split (and which are drawn), unless `split_seed` is given; nothing else is random.'),
  [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe('Fixes which records land in which split, overriding `seed`; default: `seed`.'),
};

export interface SplitChoice {
  readonly test_fraction?: number;
  readonly train_size?: number;
  readonly test_size?: number;
  /** The reader's own test file, when it takes one. */
  readonly test_path?: string;
}

export interface AssembleParams extends SeedParams, SplitChoice {
  readonly max_bases?: number;
  readonly on_long: OnLong;
}

/**
 * A zod check of the split parameters of `dataset`: a fraction and sizes exclude each other, a test
 * file excludes the fraction, and without a test file the sizes go in pairs.
 */
export function checkSplitParams(dataset: string) {
  return (p: SplitChoice, ctx: z.RefinementCtx): void => {
    const sized = p.train_size !== undefined || p.test_size !== undefined;
    if (p.test_fraction !== undefined && p.test_path !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['test_fraction'], message: `The 'test_fraction' parameter of ${dataset} does not apply when 'test_path' gives the test records; remove it` });
    } else if (p.test_fraction !== undefined && sized) {
      ctx.addIssue({ code: 'custom', path: ['test_fraction'], message: `The 'test_fraction' parameter of ${dataset} cannot be combined with 'train_size' or 'test_size'; give a fraction or both sizes` });
    } else if (p.test_path === undefined && sized && (p.train_size === undefined || p.test_size === undefined)) {
      const missing = p.train_size === undefined ? 'train_size' : 'test_size';
      ctx.addIssue({ code: 'custom', path: [missing], message: `The 'train_size' and 'test_size' parameters of ${dataset} go together; give '${missing}' too, or neither to hold out 'test_fraction'` });
    }
  };
}

/** The records of the training file and, when it has one, of the test file. */
export interface SourceRecords {
  readonly train: Records;
  readonly test?: Records;
}

/**
 * Class names are the label names sorted: numerically when every one is an integer (so labels 0..9
 * keep their numbers as class indices), by code unit otherwise. The split draws whole records, with the
 * split seed alone (nothing else here is random), and windows are cut after it.
 */
export function assemble(dataset: string, source: SourceRecords, params: AssembleParams, files: readonly string[]): { data: LoadedDataset<'sequence'>; shape: DatasetShape<'sequence'> } {
  const { train, test } = source;
  const classNames = sortLabels([...new Set([...train.labels, ...(test?.labels ?? [])])]);
  const classOf = new Map(classNames.map((name, c) => [name, c]));
  const labelsOf = (records: Records) => Int32Array.from(records.labels, (name) => classOf.get(name) as number);
  const seed = splitSeedOf(params);
  let sides: { train: Split<'sequence'>; test: Split<'sequence'> };
  if (test === undefined) {
    const labels = labelsOf(train);
    const rows =
      params.train_size !== undefined && params.test_size !== undefined
        ? splitByCounts(labels, params.train_size, params.test_size, seed, dataset)
        : splitByFraction(labels, params.test_fraction ?? DEFAULT_TEST_FRACTION, seed, dataset);
    sides = { train: cutSide(train, labels, rows.train, params), test: cutSide(train, labels, rows.test, params) };
  } else {
    const trainLabels = labelsOf(train);
    const testLabels = labelsOf(test);
    const trainRows = drawn(trainLabels, params.train_size, 'train_size', train.file, seed, dataset);
    const testRows = drawn(testLabels, params.test_size, 'test_size', test.file, seed, dataset);
    sides = { train: cutSide(train, trainLabels, trainRows, params), test: cutSide(test, testLabels, testRows, params) };
  }
  const info = lengthRange([...sides.train.samples, ...sides.test.samples]);
  return {
    data: { modality: 'sequence', info, classNames, ...sides },
    shape: {
      info,
      trainSize: sides.train.samples.length,
      testSize: sides.test.samples.length,
      classes: classNames.length,
      files,
      skipped: train.skipped + (test?.skipped ?? 0),
      cut: params.max_bases === undefined ? 0 : countLonger([train, ...(test === undefined ? [] : [test])], params.max_bases),
    },
  };
}

/** Records longer than `maxBases` among those the reader kept, over every file (before the split draws from them). */
function countLonger(files: readonly Records[], maxBases: number): number {
  let longer = 0;
  for (const { sequences } of files) for (const { length } of sequences) if (length > maxBases) longer++;
  return longer;
}

/** Shortest and longest sample; a loop, since spreading a large array into Math.min overflows the stack. */
function lengthRange(samples: readonly string[]): { minLength: number; maxLength: number } {
  let minLength = Infinity;
  let maxLength = 0;
  for (const { length } of samples) {
    minLength = Math.min(minLength, length);
    maxLength = Math.max(maxLength, length);
  }
  return { minLength, maxLength };
}

function sortLabels(names: string[]): string[] {
  if (!names.every((name) => /^-?\d+$/.test(name))) return names.sort();
  // Code units break ties between spellings of one number ('01' and '1'), so the order never depends on the file's.
  return names.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
}

/** Positions of the records `size` draws from one file, stratified; all of them without a size. */
function drawn(labels: Int32Array, size: number | undefined, param: string, file: string, seed: number, dataset: string): Int32Array {
  if (size === undefined) return Int32Array.from(labels, (_, i) => i);
  if (size > labels.length) {
    throw new TokbenchError('invalid-param', `The '${param}' parameter of ${dataset} must be at most ${labels.length}, the records of ${file}; got ${size} instead.`, [param]);
  }
  return splitByCounts(labels, size, 0, seed, dataset).train;
}

/** One side's samples from the records at `positions`: each record whole, truncated or as its windows. */
function cutSide(records: Records, labels: Int32Array, positions: Int32Array, params: AssembleParams): Split<'sequence'> {
  const samples: string[] = [];
  const sampleLabels: number[] = [];
  const index: number[] = [];
  const window: number[] = [];
  for (const position of positions) {
    cut(records.sequences[position], params.max_bases, params.on_long).forEach((piece, w) => {
      samples.push(piece);
      sampleLabels.push(labels[position]);
      index.push(records.rows[position]);
      window.push(w);
    });
  }
  const split = { samples, labels: Int32Array.from(sampleLabels), index: Int32Array.from(index) };
  return params.on_long === 'windows' ? { ...split, window: Int32Array.from(window) } : split;
}

/** What a DNA file reader builds from its params: the loaded data and the shape `describe` reports, from one parse. */
export type Assembled = ReturnType<typeof assemble>;

/**
 * A DNA file reader's definition: `describe` and `load` both run `build`, whose file parses are cached
 * (parsed-files.ts), so the shape always matches the data.
 */
export function sequenceReader<P extends object>(
  spec: Pick<DatasetDefinition<'sequence', P>, 'name' | 'description' | 'params'>,
  build: (params: P, context?: DatasetContext) => Promise<Assembled>,
): DatasetDefinition<'sequence', P> {
  return {
    ...spec,
    modality: 'sequence',
    describe: async (params, context) => (await build(params, context)).shape,
    load: async (params, context) => (await build(params, context)).data,
  };
}
