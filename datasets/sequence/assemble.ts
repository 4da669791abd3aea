// From the checked records of DNA files to a loaded dataset: class names, the seeded stratified split (validation carved from training), then windows, and the shape `describe` reports.
import { splitRows, type SplitSizes } from '../split-params.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, LoadedDataset, SeedParams, Split } from '../types.js';
import { cut, type CutRules, type Records } from './records.js';

export interface AssembleParams extends SeedParams, SplitSizes, CutRules {}

/** The records of the training file and, when it has one, of the test file. */
export interface SourceRecords {
  readonly train: Records;
  readonly test?: Records;
}

/** What happened to the records one side drew, for the shape's counts. */
interface SideCounts {
  /** Records longer than `max_bases`, truncated or cut into windows. */
  cut: number;
  /** Windows kept from those records (`on_long: windows`). */
  windows: number;
  /** Leftover windows dropped as shorter than `min_bases`. */
  shortWindows: number;
  /** Records with characters read as N, and those characters. */
  readAsN: number;
  charactersAsN: number;
}

/**
 * Class names are the label names sorted: numerically when every one is an integer (so labels 0..9
 * keep their numbers as class indices), by code unit otherwise. The split, and the validation carve of
 * `context.valFraction`, draw whole records, with the split seed alone (nothing else here is random), and
 * windows are cut after them, so all windows of a record stay on its side. The shape counts what changed
 * the records the split drew (cut, read as N) and what each file lost before it (skipped, short).
 */
export function assemble(
  dataset: string,
  source: SourceRecords,
  params: AssembleParams,
  files: readonly string[],
  context: DatasetContext | undefined,
): { data: LoadedDataset<'sequence'>; shape: DatasetShape<'sequence'> } {
  const { train, test } = source;
  const classNames = sortLabels([...new Set([...train.labels, ...(test?.labels ?? [])])]);
  const classOf = new Map(classNames.map((name, c) => [name, c]));
  const labelsOf = (records: Records) => Int32Array.from(records.labels, (name) => classOf.get(name) as number);
  // Without a test file both sides draw from the training file.
  const trainSide = { records: train, labels: labelsOf(train) };
  const testSide = test === undefined ? trainSide : { records: test, labels: labelsOf(test) };
  const rows = splitRows(dataset, 'records', { labels: trainSide.labels, where: train.file }, test && { labels: testSide.labels, where: test.file }, params, context);
  const cutSides = [
    cutSide(trainSide.records, trainSide.labels, rows.train, params),
    cutSide(trainSide.records, trainSide.labels, rows.validation, params),
    cutSide(testSide.records, testSide.labels, rows.test, params),
  ];
  const [cutTrain, cutValidation, cutTest] = cutSides;
  const sides = { train: cutTrain.split, validation: cutValidation.split, test: cutTest.split };
  const counted = (key: keyof SideCounts) => cutSides.reduce((sum, side) => sum + side.counts[key], 0);
  const sources = test === undefined ? [train] : [train, test];
  const info = lengthRange(cutSides.flatMap((side) => side.split.samples));
  return {
    data: { modality: 'sequence', info, classNames, ...sides },
    shape: {
      info,
      trainSize: sides.train.samples.length,
      validationSize: sides.validation.samples.length,
      testSize: sides.test.samples.length,
      classes: classNames.length,
      files,
      records: sources.reduce((sum, records) => sum + records.rows.length, 0),
      skipped: sources.reduce((sum, records) => sum + records.skipped, 0),
      short: sources.reduce((sum, records) => sum + records.short, 0),
      readAsN: counted('readAsN'),
      charactersAsN: counted('charactersAsN'),
      cut: counted('cut'),
      ...(params.on_long === 'windows' ? { windows: counted('windows'), shortWindows: counted('shortWindows') } : {}),
      untrainedClasses: untrained(sides.train.labels, sides.test.labels),
    },
  };
}

/** Classes the test side holds and the training side does not: no classifier can learn them. */
export function untrained(trainLabels: Int32Array, testLabels: Int32Array): number {
  const trained = new Set(trainLabels);
  return new Set([...testLabels].filter((label) => !trained.has(label))).size;
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

/** Label names sorted: numerically when every one is an integer, by code unit otherwise (see `assemble`). */
export function sortLabels(names: string[]): string[] {
  if (!names.every((name) => /^-?\d+$/.test(name))) return names.sort();
  // Code units break ties between spellings of one number ('01' and '1'), so the order never depends on the file's.
  return names.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
}

/**
 * One side's samples from the records at `positions`: each record whole, truncated or as its windows, a
 * leftover window shorter than `min_bases` dropped (records that short were dropped before the split).
 */
function cutSide(records: Records, labels: Int32Array, positions: Int32Array, params: AssembleParams): { split: Split<'sequence'>; counts: SideCounts } {
  const samples: string[] = [];
  const sampleLabels: number[] = [];
  const index: number[] = [];
  const window: number[] = [];
  const counts: SideCounts = { cut: 0, windows: 0, shortWindows: 0, readAsN: 0, charactersAsN: 0 };
  for (const position of positions) {
    const sequence = records.sequences[position];
    const pieces = cut(sequence, params.max_bases, params.on_long);
    const kept = pieces.filter(({ length }) => length >= (params.min_bases ?? 0));
    if (sequence.length > (params.max_bases ?? Infinity)) {
      counts.cut++;
      if (params.on_long === 'windows') counts.windows += kept.length;
    }
    counts.shortWindows += pieces.length - kept.length;
    if (records.readAsN[position] > 0) {
      counts.readAsN++;
      counts.charactersAsN += records.readAsN[position];
    }
    kept.forEach((piece, w) => {
      samples.push(piece);
      sampleLabels.push(labels[position]);
      index.push(records.rows[position]);
      window.push(w);
    });
  }
  const split = { samples, labels: Int32Array.from(sampleLabels), index: Int32Array.from(index) };
  return { split: params.on_long === 'windows' ? { ...split, window: Int32Array.from(window) } : split, counts };
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
