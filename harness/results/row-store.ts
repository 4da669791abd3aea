// The rows/ folder of a results directory: one JSON file per finished (cell, seed) and its predictions
// beside it, each written atomically, so a sweep that dies, resumes or runs in shards keeps exactly what finished.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultRow } from './columns.js';

export const ROWS_FOLDER = 'rows';

/** `cell_id/seed`: one run of a sweep. */
export const runKey = (cellId: string, seed: number) => `${cellId}/${seed}`;

export function rowFile(directory: string, cellId: string, seed: number, suffix: '.json' | '.predictions.arrow' | '.error.txt'): string {
  return join(directory, ROWS_FOLDER, `${cellId}-seed${seed}${suffix}`);
}

/** A run found on disk: its row, and where its predictions and (for a failure) its full error are when it has them. */
export interface StoredRun {
  readonly row: ResultRow;
  readonly predictions: string | null;
  readonly error: string | null;
}

export interface RowStore {
  readonly runs: ReadonlyMap<string, StoredRun>;
  /** Row files that are not a complete row (cut short by a crash before the atomic rename, edited by hand): never trusted. */
  readonly unreadable: readonly string[];
}

function isRow(value: unknown): value is ResultRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { cell_id: cellId, seed, status } = value as Record<string, unknown>;
  return typeof cellId === 'string' && typeof seed === 'number' && typeof status === 'string';
}

/** Every complete row in `directory/rows` (none when the folder does not exist). */
export async function readRowStore(directory: string): Promise<RowStore> {
  const folder = join(directory, ROWS_FOLDER);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: new Map(), unreadable: [] };
    throw error;
  }
  const present = new Set(names);
  const runs = new Map<string, StoredRun>();
  const unreadable: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = join(folder, name);
    let row: unknown;
    try {
      row = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      unreadable.push(path);
      continue;
    }
    if (!isRow(row) || `${row.cell_id}-seed${row.seed}.json` !== name) {
      unreadable.push(path);
      continue;
    }
    const beside = (suffix: string) => {
      const name = `${row.cell_id}-seed${row.seed}${suffix}`;
      return present.has(name) ? join(folder, name) : null;
    };
    runs.set(runKey(row.cell_id as string, row.seed as number), { row, predictions: beside('.predictions.arrow'), error: beside('.error.txt') });
  }
  return { runs, unreadable };
}
