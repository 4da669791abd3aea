// Where a dataset's file paths point: relative paths start at the sweep file's folder, as the config layer promises.
import { resolve } from 'node:path';
import type { DatasetContext } from './types.js';

/** `path` made absolute against `context.baseDir` (the sweep file's folder), or the working folder without a context. */
export function resolveDataPath(path: string, context?: DatasetContext): string {
  return resolve(context?.baseDir ?? '.', path);
}
