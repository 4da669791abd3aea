// Images and labels in IDX files (gzip accepted), the format of MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao et al. 2017).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { parseBytesOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import { checkSplitParams, splitParams, splitRows } from '../split-params.js';
import type { SplitRows } from '../split.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, ImageSample, InfoOf, LoadedDataset, Split } from '../types.js';
import { parseIdx, type IdxExpectation } from './idx-format.js';

const NAME = 'idx';
const IMAGES: IdxExpectation = { ranks: [3, 4], layout: 'N×H×W or N×H×W×C' };
const LABELS: IdxExpectation = { ranks: [1], layout: 'N' };

export const idxParams = z
  .strictObject({
    images: z.string().min(1).describe("IDX file of images (gzip accepted), relative to the sweep file's folder: unsigned bytes N×H×W (grey) or N×H×W×C, scaled to [0, 1] by /255."),
    labels: z.string().min(1).describe('IDX file of one unsigned-byte label per image (N); label k is class k, so there are max(label) + 1 classes.'),
    test_images: z.string().min(1).optional().describe("The data's own test images (Fashion-MNIST's t10k file), with `test_labels`; their source rows count from 0 within them. Without them the images of `images` are split."),
    test_labels: z.string().min(1).optional().describe('Labels of `test_images`; given with it.'),
    class_names: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Name of each class, label 0 first; as many names as classes. Default: the labels as numbers.'),
    ...splitParams('images'),
  })
  .refine((p) => (p.test_images === undefined) === (p.test_labels === undefined), {
    message: "The 'test_images' and 'test_labels' parameters of idx go together; give both or neither",
    path: ['test_labels'],
  })
  .refine((p) => p.class_names === undefined || new Set(p.class_names).size === p.class_names.length, {
    message: "The 'class_names' parameter of idx must not repeat a name",
    path: ['class_names'],
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
  readonly rows: SplitRows;
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
  const classNames = namesOf(params, maxLabel(train.labels, own?.labels) + 1, [train, ...(own === undefined ? [] : [own])]);
  const rows = splitRows(NAME, 'images', { labels: train.labels, where: train.imagesFile }, own && { labels: own.labels, where: own.imagesFile }, params);
  const files = [train.imagesFile, train.labelsFile, ...(own === undefined ? [] : [own.imagesFile, own.labelsFile])];
  return {
    train,
    test: own ?? train,
    rows,
    classNames,
    shape: { info: train.info, trainSize: rows.train.length, testSize: rows.test.length, classes: classNames.length, files },
  };
}

function maxLabel(...labels: (Int32Array | undefined)[]): number {
  let max = 0;
  for (const side of labels) for (const label of side ?? []) max = Math.max(max, label);
  return max;
}

/** `class_names` when it names every class; the labels as numbers without it. */
function namesOf(params: IdxParams, classes: number, sets: readonly IdxSet[]): readonly string[] {
  if (params.class_names === undefined) return Array.from({ length: classes }, (_, k) => String(k));
  if (params.class_names.length !== classes) {
    const where = sets.map((set) => set.labelsFile).join(' and ');
    throw new TokbenchError(
      'invalid-param',
      `The 'class_names' parameter of idx must name each of the ${classes} classes (labels 0 to ${classes - 1} in ${where}); got ${params.class_names.length} name${params.class_names.length === 1 ? '' : 's'} instead.`,
      ['class_names'],
    );
  }
  return params.class_names;
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
    return { modality: 'image', info: shape.info, classNames, train: takeSide(train, rows.train), test: takeSide(test, rows.test) };
  },
};
