// Images and labels in IDX files (gzip accepted), the format of MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao et al. 2017).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { parseBytesOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams, splitParams, splitRows } from '../split-params.js';
import type { CarvedRows } from '../split.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, ImageSample, InfoOf, LoadedDataset, Split } from '../types.js';
import { parseIdx, type IdxExpectation } from './idx-format.js';

const NAME = 'idx';
const IMAGES: IdxExpectation = { ranks: [3, 4], layout: 'N×H×W or N×H×W×C' };
const LABELS: IdxExpectation = { ranks: [1], layout: 'N' };

export const idxParams = z
  .strictObject({
    images: z.string().min(1).describe("IDX file of images (gzip accepted), relative to the sweep file's folder: unsigned bytes N×H×W (grey) or N×H×W×C, scaled to [0, 1] by /255."),
    labels: z
      .string()
      .min(1)
      .describe(
        'IDX file of one unsigned-byte label per image (N); label k is class k, so there are max(label) + 1 classes. A class index below the largest that no image has (a stray label) is refused unless `class_names` names every class.',
      ),
    test_images: z.string().min(1).optional().describe("The data's own test images (Fashion-MNIST's t10k file), with `test_labels`; their source rows count from 0 within them. Without them the images of `images` are split."),
    test_labels: z.string().min(1).optional().describe('Labels of `test_images`; given with it.'),
    class_names: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Name of each class, label 0 first; as many names as classes (max(label) + 1). Naming them also keeps classes no image has, which are refused without it. Default: the labels as numbers.',
      ),
    ...splitParams('images'),
  })
  .superRefine((p, ctx) => {
    // Each message follows the config layer's "found <value>; ", at the parameter that is missing.
    if (p.test_images !== undefined && p.test_labels === undefined) {
      ctx.addIssue({ code: 'custom', path: ['test_labels'], message: 'expected the IDX file of labels of test_images, because idx takes the two together' });
    }
    if (p.test_labels !== undefined && p.test_images === undefined) {
      ctx.addIssue({ code: 'custom', path: ['test_images'], message: 'expected the IDX file of the images that test_labels labels, because idx takes the two together' });
    }
    const repeated = p.class_names?.find((name, k) => p.class_names?.indexOf(name) !== k);
    if (repeated !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['class_names'], message: `expected each name once, because a name stands for one class ('${repeated}' repeats)` });
    }
  })
  .superRefine(checkSplitParams(NAME, { param: 'test_images', unit: 'images' }));
export type IdxParams = z.infer<typeof idxParams>;

/** One pair of image and label files, checked against each other. */
interface IdxSet {
  readonly imagesFile: string;
  readonly labelsFile: string;
  readonly info: InfoOf['image'];
  /** Every image's bytes, row-major H × W × C, one image after another. */
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

async function readIdx(path: string, param: string, expected: IdxExpectation, context?: DatasetContext) {
  const file = resolveDataPath(path, context);
  // Cached per expected layout, so a file read once as labels is checked again when named as images.
  return { file, array: await parseBytesOnce(file, `idx ${expected.layout}`, param, (bytes) => parseIdx(bytes, file, param, expected)) };
}

/** `names` are the parameters that gave the two paths, the paths of any error. */
async function readSet(imagesPath: string, labelsPath: string, names: { images: string; labels: string }, context?: DatasetContext): Promise<IdxSet> {
  const images = await readIdx(imagesPath, names.images, IMAGES, context);
  const labels = await readIdx(labelsPath, names.labels, LABELS, context);
  const [count, height, width, channels = 1] = images.array.dims;
  if (channels !== 1 && channels !== 3) {
    throw new TokbenchError('input', `${images.file} has images of ${channels} channels: found sizes ${images.array.dims.join('×')} (N×H×W×C); expected C = 1 (grey) or 3 (RGB)`, [names.images]);
  }
  if (labels.array.dims[0] !== count) {
    throw new TokbenchError('input', `${labels.file} does not match its images: found ${labels.array.dims[0]} labels; expected ${count}, one per image of ${images.file}`, [names.labels]);
  }
  return {
    imagesFile: images.file,
    labelsFile: labels.file,
    info: { height, width, channels },
    pixels: images.array.data,
    labels: Int32Array.from(labels.array.data),
  };
}

/** The files read, the class names and the rows each side takes: everything `describe` and `load` share. */
interface Plan {
  readonly train: IdxSet;
  /** The test side's source: the own test files, or the training files again. */
  readonly test: IdxSet;
  readonly rows: CarvedRows;
  readonly classNames: readonly string[];
  readonly shape: DatasetShape<'image'>;
}

async function plan(params: IdxParams, context?: DatasetContext): Promise<Plan> {
  const train = await readSet(params.images, params.labels, { images: 'images', labels: 'labels' }, context);
  const own = params.test_images !== undefined && params.test_labels !== undefined ? await readSet(params.test_images, params.test_labels, { images: 'test_images', labels: 'test_labels' }, context) : undefined;
  if (own !== undefined && (own.info.height !== train.info.height || own.info.width !== train.info.width || own.info.channels !== train.info.channels)) {
    const size = ({ height, width, channels }: InfoOf['image']) => `${height}×${width}×${channels}`;
    throw new TokbenchError('input', `${own.imagesFile} does not match the training images: found images of ${size(own.info)}; expected ${size(train.info)} like ${train.imagesFile}`, ['test_images']);
  }
  const sets = own === undefined ? [{ set: train, param: 'labels' }] : [{ set: train, param: 'labels' }, { set: own, param: 'test_labels' }];
  const classNames = namesOf(params, sets);
  const rows = splitRows(NAME, 'images', { labels: train.labels, where: train.imagesFile }, own && { labels: own.labels, where: own.imagesFile }, params, context);
  const files = [train.imagesFile, train.labelsFile, ...(own === undefined ? [] : [own.imagesFile, own.labelsFile])];
  return {
    train,
    test: own ?? train,
    rows,
    classNames,
    shape: { info: train.info, trainSize: rows.train.length, validationSize: rows.validation.length, testSize: rows.test.length, classes: classNames.length, files },
  };
}

/** The labels files of the training side and, when given, of the own test side, with the parameter that named each. */
interface LabelSource {
  readonly set: IdxSet;
  readonly param: string;
}

/**
 * The class names: `class_names` when it names each of the max(label) + 1 classes, the labels as numbers
 * without it. Labels are class indices, so one stray label (200 among 0–2) would make every index below it a
 * class; without `class_names` a class index below the largest that no image in the files has is refused,
 * at the first label past it. With `class_names` the user has named every class, so an empty one is kept
 * as asked.
 */
function namesOf(params: IdxParams, sources: readonly LabelSource[]): readonly string[] {
  const seen = new Uint8Array(256);
  for (const { set } of sources) for (const label of set.labels) seen[label] = 1;
  const classes = seen.lastIndexOf(1) + 1;
  const where = sources.map(({ set }) => set.labelsFile).join(' and ');
  if (params.class_names !== undefined) {
    if (params.class_names.length === classes) return params.class_names;
    const given = params.class_names.length;
    throw new TokbenchError(
      'invalid-param',
      `found ${given} name${given === 1 ? '' : 's'} in class_names; expected ${classes}, one per class index 0 to ${classes - 1} of the labels in ${where}`,
      ['class_names'],
    );
  }
  const firstEmpty = seen.subarray(0, classes).indexOf(0);
  if (firstEmpty !== -1) {
    const empty = Array.from({ length: classes }, (_, k) => k).filter((k) => seen[k] === 0);
    for (const { set, param } of sources) {
      const row = set.labels.findIndex((label) => label > firstEmpty);
      if (row === -1) continue;
      throw new TokbenchError(
        'input',
        `${set.labelsFile}: found label ${set.labels[row]} at row ${row} (from 0), but no image${sources.length > 1 ? ` in ${where}` : ''} has label ${runs(empty)} (${empty.length} empty class${empty.length === 1 ? '' : 'es'}); ` +
          `expected every class index from 0 to ${classes - 1} to have an image, or class_names naming all ${classes} classes to keep the empty ones`,
        [param],
      );
    }
  }
  return Array.from({ length: classes }, (_, k) => String(k));
}

/** Ascending integers as runs: 1, 3–5, 9. */
function runs(values: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    out.push(j === i ? String(values[i]) : `${values[i]}–${values[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** One side's samples: the chosen images scaled to [0, 1], as views into one buffer per side. */
function takeSide(set: IdxSet, rows: Int32Array): Split<'image'> {
  const { height, width, channels } = set.info;
  const size = height * width * channels;
  const pixels = new Float32Array(rows.length * size);
  rows.forEach((row, i) => {
    for (let k = 0; k < size; k++) pixels[i * size + k] = set.pixels[row * size + k] / 255;
  });
  const samples = Array.from(rows, (_, i): ImageSample => ({ height, width, channels, pixels: pixels.subarray(i * size, (i + 1) * size) }));
  return { samples, labels: Int32Array.from(rows, (row) => set.labels[row]), index: rows };
}

export const idx: DatasetDefinition<'image', IdxParams> = {
  name: NAME,
  modality: 'image',
  description: 'Images and labels from IDX files (MNIST, Fashion-MNIST; gzip accepted), split by their own test files or a seeded stratified split',
  params: idxParams,
  async describe(params, context) {
    return (await plan(params, context)).shape;
  },
  async load(params, context): Promise<LoadedDataset<'image'>> {
    const { train, test, rows, classNames, shape } = await plan(params, context);
    return { modality: 'image', info: shape.info, classNames, train: takeSide(train, rows.train), validation: takeSide(train, rows.validation), test: takeSide(test, rows.test) };
  },
};
