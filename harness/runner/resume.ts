// Which runs of a sweep still have to run, given the rows already in its output folder.
import type { Cell } from '../grid/cell.js';
import type { RowStore, StoredRun } from '../results/row-store.js';
import { runKey } from '../results/row-store.js';

export interface ResumeOptions {
  /** Re-run everything. */
  readonly force: boolean;
  /** Re-run rows that failed, diverged or timed out. */
  readonly retryFailed: boolean;
}

export interface ResumePlan {
  /** `cell_id/seed` of every run to (re-)run. */
  readonly toRun: ReadonlySet<string>;
  /** Finished rows of this sweep that stand as they are (in the tables, not run again). */
  readonly kept: readonly StoredRun[];
  /** Rows of runs that are not (or no longer) in this sweep: reported and kept out of its tables. */
  readonly foreign: readonly StoredRun[];
  /** Rows whose configuration or data changed since they ran: run again. */
  readonly changed: number;
}

/**
 * A run is kept when a row of the same cell and seed exists with the same fully resolved configuration
 * and the same data, and it is ok (or it failed, unless failures are retried); anything else runs.
 */
export function planResume(cells: readonly Cell[], seeds: readonly number[], store: RowStore, options: ResumeOptions, dataHashes: ReadonlyMap<string, string>, include: (cell: Cell, seed: number) => boolean = () => true): ResumePlan {
  const toRun = new Set<string>();
  const kept: StoredRun[] = [];
  const wanted = new Set<string>();
  let changed = 0;
  for (const cell of cells) {
    for (const seed of seeds) {
      const key = runKey(cell.id, seed);
      wanted.add(key);
      const stored = store.runs.get(key);
      const same = stored !== undefined && stored.row.config_hash === cell.configHash && stored.row.data_hash === (dataHashes.get(cell.id) ?? '');
      if (!include(cell, seed)) {
        // Another shard's run that happens to be here: part of the table, never run by this one.
        if (same) kept.push(stored);
        continue;
      }
      if (stored !== undefined && !same) changed++;
      const done = same && (stored.row.status === 'ok' || !options.retryFailed);
      if (done && !options.force) kept.push(stored);
      else toRun.add(key);
    }
  }
  const foreign = [...store.runs.entries()].filter(([key]) => !wanted.has(key)).map(([, run]) => run);
  return { toRun, kept, foreign, changed };
}
