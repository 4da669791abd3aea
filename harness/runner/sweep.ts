// Runs every (cell, seed) of a sweep, in this process or in a pool of worker processes; a cell's
// failure becomes its row, never the sweep's.
import pLimit from 'p-limit';
import type { BackendPreference } from '../backend/select.js';
import { TokbenchError } from '../errors.js';
import type { ResultRow } from '../results/columns.js';
import { TOKBENCH_VERSION } from '../version.js';
import type { Sweep } from '../config/sweep.js';
import { failedRow, runCell } from './cell.js';
import { createRowContext } from './context.js';
import { WorkerPool } from './worker-pool.js';

export interface SweepOptions {
  readonly backend: BackendPreference;
  /** Worker processes; 1 runs everything in this process. */
  readonly concurrency: number;
  /** Called as each row finishes, with how many rows are done out of how many. */
  readonly onRow?: (row: ResultRow, done: number, total: number) => void;
}

/** Rows in grid order (cell, then seed), whatever order they finished in. */
export async function runSweep(sweep: Pick<Sweep, 'name' | 'seeds' | 'cells'>, options: SweepOptions): Promise<ResultRow[]> {
  const total = sweep.cells.length * sweep.seeds.length;
  const rows: ResultRow[] = [];
  const record = (row: ResultRow) => {
    rows.push(row);
    options.onRow?.(row, rows.length, total);
  };
  if (options.concurrency <= 1) {
    const context = await createRowContext(sweep.name, options.backend);
    for (const cell of sweep.cells) for (const seed of sweep.seeds) record(await runCell(cell, seed, context));
  } else {
    const pool = new WorkerPool(options.concurrency, options.backend, sweep.name);
    const limit = pLimit(options.concurrency);
    const crashContext = { sweep: sweep.name, backend: `${options.backend} (worker died)`, tokbenchVersion: TOKBENCH_VERSION };
    let noBackend: TokbenchError | undefined;
    try {
      await Promise.all(sweep.cells.map((cell) => limit(async () => {
        if (noBackend !== undefined) return;
        const finished = new Set<number>();
        try {
          await pool.run(cell, sweep.seeds, (row) => {
            finished.add(row.seed as number);
            record(row);
          });
        } catch (error) {
          // Without a backend no cell can run: stop, as the in-process path does, instead of failing each.
          if (error instanceof TokbenchError && error.code === 'backend') {
            noBackend ??= error;
            return;
          }
          const message = error instanceof Error ? error.message : String(error);
          for (const seed of sweep.seeds) if (!finished.has(seed)) record(failedRow(cell, seed, crashContext, message));
        }
      })));
    } finally {
      pool.close();
    }
    if (noBackend !== undefined) throw noBackend;
  }
  const order = new Map(sweep.cells.map((c, i) => [c.id, i]));
  return rows.sort((a, b) => (order.get(String(a.cell_id)) ?? 0) - (order.get(String(b.cell_id)) ?? 0) || (a.seed as number) - (b.seed as number));
}
