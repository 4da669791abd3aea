// The output folder of a sweep: checked before anything runs, created only when the sweep really starts,
// owned by one sweep (its manifest's name), and removed again when a refused run made it.
import { constants } from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TokbenchError } from '../errors.js';
import { readManifest, type Manifest } from './manifest.js';
import { ROWS_FOLDER } from './row-store.js';

const unusable = (folder: string, why: string) => new TokbenchError('input', `cannot use the output folder '${folder}': ${why}`, ['out']);

/** The folders from the nearest existing ancestor down to `folder`, which would have to be made. */
async function missingChain(folder: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = resolve(folder);
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw unusable(folder, `'${current}' is not a folder`);
      return { existing: current, missing: missing.reverse() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error instanceof TokbenchError ? error : unusable(folder, (error as Error).message);
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) throw unusable(folder, 'no part of the path exists');
      current = parent;
    }
  }
}

/**
 * Checks, without creating anything, that the folder can hold this sweep's results: it is (or can be made)
 * a writable folder, and holds no other sweep's results unless `overwrite`. Returns whether it must be created,
 * and whether its rows are another sweep's (to be cleared).
 */
export async function checkOutputFolder(folder: string, sweepName: string, overwrite: boolean): Promise<{ create: boolean; otherSweep: boolean }> {
  const { existing, missing } = await missingChain(folder);
  try {
    await access(existing, constants.W_OK);
  } catch {
    throw unusable(folder, `'${existing}' is not writable`);
  }
  if (missing.length > 0) return { create: true, otherSweep: false };
  const manifest = await readManifest(folder);
  if (manifest !== undefined && manifest.name !== sweepName && !overwrite) {
    throw unusable(folder, `it holds the results of sweep '${manifest.name}', not '${sweepName}'; choose another --out, or pass --overwrite to clear its rows`);
  }
  return { create: false, otherSweep: manifest !== undefined && manifest.name !== sweepName };
}

/**
 * Makes the folder one level at a time (Node's recursive mkdir spins forever on paths such as /proc/x),
 * and proves it writable by making its rows folder. With `overwrite`, earlier rows are cleared first.
 */
export async function claimOutputFolder(folder: string, manifest: Manifest, overwrite: boolean): Promise<void> {
  const { missing } = await missingChain(folder);
  try {
    for (const path of missing) await mkdir(path);
    const previous = await readManifest(folder);
    if (overwrite && previous !== undefined && previous.name !== manifest.name) await rm(join(folder, ROWS_FOLDER), { recursive: true, force: true });
    await mkdir(join(folder, ROWS_FOLDER)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } catch (error) {
    throw error instanceof TokbenchError ? error : unusable(folder, (error as Error).message);
  }
}

/** Removes a folder this run made, if nothing but empty folders are in it (a refused run leaves nothing behind). */
export async function removeIfEmpty(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => undefined);
  if (entries === undefined) return;
  for (const entry of entries) {
    const inner = await readdir(join(folder, entry)).catch(() => ['file']);
    if (inner.length > 0) return;
  }
  await rm(folder, { recursive: true, force: true });
}
