// From the checked records of DNA files to a loaded dataset: class names, the seeded stratified split, then windows, and the shape `describe` reports.
import { splitRows, type SplitSizes } from '../split-params.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, LoadedDataset, SeedParams, Split } from '../types.js';
import { cut, type OnLong, type Records } from './records.js';

export interface AssembleParams extends SeedParams, SplitSizes {
  readonly max_bases?: number;
  readonly on_long: OnLong;
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
  // Without a test file both sides draw from the training file.
  const trainSide = { records: train, labels: labelsOf(train) };
  const testSide = test === undefined ? trainSide : { records: test, labels: labelsOf(test) };
  const rows = splitRows(dataset, 'records', { labels: trainSide.labels, where: train.file }, test && { labels: testSide.labels, where: test.file }, params);
  const sides = {
    train: cutSide(trainSide.records, trainSide.labels, rows.train, params),
    test: cutSide(testSide.records, testSide.labels, rows.test, params),
  };
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
