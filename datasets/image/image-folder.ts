// A folder of PNG/JPEG images with one sub-folder per class (the layout of torchvision's ImageFolder), decoded with sharp (libvips).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Sharp, default as SharpFactory } from 'sharp';
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';
import { describeValue } from '../../harness/validation/zod-issues.js';
import { parseBytesOnce } from '../parsed-files.js';
import { resolveDataPath } from '../paths.js';
import { splitParams, splitProblem, splitRows } from '../split-params.js';
import type { CarvedRows } from '../split.js';
import type { DatasetContext, DatasetDefinition, DatasetShape, ImageSample, InfoOf, Split } from '../types.js';

const NAME = 'image-folder';
/** sharp loads libvips (about half a second), so it is imported when a folder is read, not whenever the registry is. */
let sharpModule: Promise<typeof SharpFactory> | undefined;
const loadSharp = () => (sharpModule ??= import('sharp').then((module) => module.default));

/** Images sharp reads at once: libvips decodes on its own threads, so a few in flight keep two cores busy without holding every file open. */
const IN_FLIGHT = 4;

export const imageFolderParams = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      "Folder relative to the sweep file's folder: one sub-folder of PNG/JPEG images per class (class names = sub-folder names, sorted), or exactly `train/` and `test/`, each holding the same class folders (the data's own test split). Hidden files and folders are ignored; EXIF orientation is applied.",
    ),
  channels: z
    .union([z.literal(1), z.literal(3)])
    .default(3)
    .describe(
      '1: grey, by libvips: luminance 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709) of the linearised sRGB values, gamma-encoded again. 3: sRGB (a grey image repeated in each channel). Transparency is flattened onto black first.',
    ),
  size: z
    .int()
    .min(1)
    .max(4096)
    .optional()
    .describe('Resize every image to size × size pixels, stretched to fill (no crop, no padding; the aspect ratio changes), with the Lanczos-3 kernel. Without it every image must have the size of the first.'),
  ...splitParams('images'),
});
export type ImageFolderParams = z.infer<typeof imageFolderParams>;

/** One image as the pipeline decoded it: its size (after the EXIF orientation, and `size` when given) and its 0–255 values, H × W × C. */
interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly levels: Buffer;
}

/** One image file as listed, with its class, decoded. */
interface ImageEntry extends Decoded {
  readonly file: string;
  readonly label: number;
}

/** The images of one side: a class folder layout, its files sorted by class then name. */
interface Side {
  readonly folder: string;
  readonly entries: readonly ImageEntry[];
  readonly labels: Int32Array;
}

const unreadable = (file: string, error: unknown) => new TokbenchError('input', `${file}: found ${sharpFound(error)}; expected a complete PNG or JPEG image`, ['path']);

/**
 * What sharp's error says it found, in our words. The decoders' own lines ("vipspng: libpng read error",
 * "VipsJpeg: premature end of JPEG image") are left out: libvips keeps them in one buffer shared by its threads,
 * so with several images in flight the text varies from run to run ("Warning treated as error due to failOn
 * setting", "Unknown error") and can even come from another file. The file named beside it is always the right one.
 */
function sharpFound(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(raw)) return 'a file that is neither PNG nor JPEG';
  if (/\bis empty\b/i.test(raw)) return 'an empty file';
  return 'data that does not decode, cut short or corrupt';
}

/** A folder's entries that are not hidden, sorted by name (code units), each with whether it is a folder (links followed). */
async function visible(folder: string): Promise<{ name: string; path: string; isFolder: boolean }[]> {
  const cannot = (path: string) => (error: unknown) => {
    throw new TokbenchError('input', `cannot read ${path} (${error instanceof Error ? error.message : String(error)})`, ['path']);
  };
  const names = await readdir(folder).catch(cannot(folder));
  const shown = names.filter((name) => !name.startsWith('.')).sort();
  return Promise.all(shown.map(async (name) => ({ name, path: join(folder, name), isFolder: (await stat(join(folder, name)).catch(cannot(join(folder, name)))).isDirectory() })));
}

/** The class folders of `folder` and, for each, its image files (paths); everything else is an error naming it. */
async function classFolders(folder: string): Promise<Map<string, string[]>> {
  const classes = new Map<string, string[]>();
  for (const entry of await visible(folder)) {
    if (!entry.isFolder) throw new TokbenchError('input', `${folder}: found the file ${entry.name}; expected only class folders`, ['path']);
    const files = await visible(entry.path);
    const nested = files.find((file) => file.isFolder);
    if (nested !== undefined) throw new TokbenchError('input', `${entry.path}: found the folder ${nested.name}; expected only PNG or JPEG files`, ['path']);
    if (files.length === 0) throw new TokbenchError('input', `${entry.path}: found no image; expected at least one PNG or JPEG file per class folder (hidden files are ignored)`, ['path']);
    classes.set(entry.name, files.map((file) => file.path));
  }
  if (classes.size < 2) {
    throw new TokbenchError('input', `${folder}: found ${classes.size} class folder${classes.size === 1 ? '' : 's'}; expected at least 2`, ['path']);
  }
  return classes;
}

/**
 * The pipeline every image goes through: EXIF orientation applied, transparency flattened onto black
 * (so a transparent pixel reads as 0, like MNIST's background), resized when `size` is given, then grey or
 * sRGB at 8 bits per channel.
 */
function pipeline(image: Sharp, params: ImageFolderParams): Sharp {
  let out = image.autoOrient().flatten({ background: '#000000' });
  if (params.size !== undefined) out = out.resize(params.size, params.size, { fit: 'fill', kernel: 'lanczos3' });
  return (params.channels === 1 ? out.greyscale() : out.toColourspace('srgb')).raw({ depth: 'uchar' });
}

/**
 * A file's pixels through the pipeline. Every pixel is decoded, not just the header read: a PNG or JPEG cut
 * short or with corrupt data has a readable header, and would otherwise pass `describe` and fail the run.
 * Anything but PNG or JPEG is an error naming the file.
 */
async function decodeBytes(bytes: Buffer, file: string, params: ImageFolderParams): Promise<Decoded> {
  const sharp = await loadSharp();
  // sharp throws some errors (an empty input) as it is called, others when its promise settles.
  const read = async <T>(step: () => Promise<T>) => {
    try {
      return await step();
    } catch (error) {
      throw unreadable(file, error);
    }
  };
  const meta = await read(() => sharp(bytes).metadata());
  if (meta.format !== 'png' && meta.format !== 'jpeg') throw new TokbenchError('input', `${file}: found a ${meta.format} image; expected PNG or JPEG`, ['path']);
  const { data, info } = await read(() => pipeline(sharp(bytes), params).toBuffer({ resolveWithObject: true }));
  return { width: info.width, height: info.height, levels: data };
}

/** The decoded file, once per process while the file is unchanged, so `load` after `describe` decodes nothing again. */
async function decodeOnce(file: string, params: ImageFolderParams): Promise<Decoded> {
  const kind = `${NAME} channels ${params.channels} size ${params.size ?? 'as stored'}`;
  return parseBytesOnce(file, kind, 'path', (bytes) => decodeBytes(bytes, file, params));
}

/** Every file of the classes, decoded, sorted by class then name. */
async function decodeAll(classes: Map<string, string[]>, classNames: readonly string[], params: ImageFolderParams, limit: ReturnType<typeof pLimit>): Promise<ImageEntry[]> {
  const files = classNames.flatMap((name, label) => (classes.get(name) ?? []).map((file) => ({ file, label })));
  return Promise.all(files.map(({ file, label }) => limit(async () => ({ file, label, ...(await decodeOnce(file, params)) }))));
}

function sideOf(folder: string, entries: readonly ImageEntry[]): Side {
  return { folder, entries, labels: Int32Array.from(entries, (entry) => entry.label) };
}

/** The folder's layout, listed and decoded: class names and the images of the training side and, with `train/` + `test/`, of the test side. */
async function scan(root: string, params: ImageFolderParams): Promise<{ classNames: readonly string[]; train: Side; test?: Side }> {
  const limit = pLimit(IN_FLIGHT);
  const top = await visible(root);
  const split = top.length === 2 && top.every((entry) => entry.isFolder) && top[0].name === 'test' && top[1].name === 'train';
  if (!split) {
    const classes = await classFolders(root);
    const classNames = [...classes.keys()];
    return { classNames, train: sideOf(root, await decodeAll(classes, classNames, params, limit)) };
  }
  const trainFolder = join(root, 'train');
  const testFolder = join(root, 'test');
  const trainClasses = await classFolders(trainFolder);
  const testClasses = await classFolders(testFolder);
  const classNames = [...trainClasses.keys()];
  const testNames = [...testClasses.keys()];
  if (testNames.join('/') !== classNames.join('/')) {
    throw new TokbenchError('input', `${testFolder}: found class folders ${testNames.join(', ')}; expected ${classNames.join(', ')} like ${trainFolder}`, ['path']);
  }
  return {
    classNames,
    train: sideOf(trainFolder, await decodeAll(trainClasses, classNames, params, limit)),
    test: sideOf(testFolder, await decodeAll(testClasses, testNames, params, limit)),
  };
}

/** Everything `describe` and `load` share: the sides, the rows each takes and the shape. */
interface Plan {
  readonly train: Side;
  readonly test: Side;
  readonly rows: CarvedRows;
  readonly classNames: readonly string[];
  readonly shape: DatasetShape<'image'>;
}

async function plan(params: ImageFolderParams, context?: DatasetContext): Promise<Plan> {
  const root = resolveDataPath(params.path, context);
  const { classNames, train, test } = await scan(root, params);
  const problem = splitProblem(params, test === undefined ? undefined : `${root} has its own train/ and test/ folders`, NAME);
  if (problem !== undefined) throw new TokbenchError('invalid-param', `found ${describeValue(params[problem.param])}; ${problem.message}`, [problem.param]);
  const all = [...train.entries, ...(test?.entries ?? [])];
  const first = all[0];
  if (params.size === undefined) {
    const other = all.find(({ width, height }) => width !== first.width || height !== first.height);
    if (other !== undefined) {
      throw new TokbenchError(
        'input',
        `${other.file}: found ${other.width} wide × ${other.height} high; expected ${first.width} × ${first.height} like ${first.file}; set 'size' to resize every image`,
        ['path'],
      );
    }
  }
  const info = { height: params.size ?? first.height, width: params.size ?? first.width, channels: params.channels };
  const rows = splitRows(NAME, 'images', { labels: train.labels, where: train.folder }, test && { labels: test.labels, where: test.folder }, params, context);
  return {
    train,
    test: test ?? train,
    rows,
    classNames,
    shape: { info, trainSize: rows.train.length, validationSize: rows.validation.length, testSize: rows.test.length, classes: classNames.length, files: all.map((entry) => entry.file) },
  };
}

/** The chosen images in [0, 1]; `info` is what `describe` promised, which the pipeline gives by construction (channels as asked, size as decoded or resized). */
function takeSide(side: Side, rows: Int32Array, info: InfoOf['image']): Split<'image'> {
  const samples = Array.from(rows, (row): ImageSample => ({ ...info, pixels: Float32Array.from(side.entries[row].levels, (value) => value / 255) }));
  return { samples, labels: Int32Array.from(rows, (row) => side.labels[row]), index: rows };
}

export const imageFolder: DatasetDefinition<'image', ImageFolderParams> = {
  name: NAME,
  modality: 'image',
  description: 'PNG/JPEG images in one folder per class (optionally train/ and test/), decoded with sharp, grey or RGB, optionally resized',
  params: imageFolderParams,
  async describe(params, context) {
    return (await plan(params, context)).shape;
  },
  async load(params, context) {
    const { train, test, rows, classNames, shape } = await plan(params, context);
    return {
      modality: 'image',
      info: shape.info,
      classNames,
      train: takeSide(train, rows.train, shape.info),
      validation: takeSide(train, rows.validation, shape.info),
      test: takeSide(test, rows.test, shape.info),
    };
  },
};
