// sweep.json: which sweep a results folder belongs to, so a folder is never shared by two sweeps and
// `merge` can rebuild the grid its rows came from.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokbenchError } from '../errors.js';
import { writeFileAtomic } from './files.js';

export const MANIFEST_FILE = 'sweep.json';

export interface Manifest {
  readonly name: string;
  /** The sweep file's text, verbatim. */
  readonly sweep_yaml: string;
  /** The sweep file's path as it was given, for messages; paths inside it are relative to its folder. */
  readonly config_file: string;
  readonly tokbench_version: string;
}

/** The folder's manifest, or undefined when it has none. */
export async function readManifest(directory: string): Promise<Manifest | undefined> {
  const path = join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value: unknown = JSON.parse(text);
  const m = value as Partial<Manifest>;
  if (typeof m.name !== 'string' || typeof m.sweep_yaml !== 'string' || typeof m.config_file !== 'string' || typeof m.tokbench_version !== 'string') {
    throw new TokbenchError('input', `${path} is not a tokbench sweep manifest (expected name, sweep_yaml, config_file and tokbench_version)`, ['out']);
  }
  return m as Manifest;
}

export function writeManifest(directory: string, manifest: Manifest): Promise<void> {
  return writeFileAtomic(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
