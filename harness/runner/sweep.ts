// Runs every (cell, seed) of a sweep, in this process or in a pool of worker processes; a cell's
// failure becomes its row, never the sweep's.
import pLimit from 'p-limit';
import type { BackendPreference } from '../backend/select.js';
import { TokbenchError } from '../errors.js';
import { TOKBENCH_VERSION } from '../version.js';
import type { Sweep } from '../config/sweep.js';
import { failedRow, runCell } from './cell.js';
import type { RowOutcome } from '../results/columns.js';
import { createRowContext } from './context.js';
import { WorkerPool } from './worker-pool.js';

export interface SweepOptions {
  readonly backend: BackendPreference;
  /** Worker processes; 1 runs everything in this process. */
  readonly concurrency: number;
  /** Keep every test sample's class probabilities in the predictions. */
  readonly saveProbabilities?: boolean;
  /** Called as each (cell, seed) finishes, with how many are done out of how many. */
  readonly onRow?: (outcome: RowOutcome, done: number, total: number) => void;
}

/** Outcomes in grid order (cell, then seed), whatever order they finished in. */
export async function runSweep(sweep: Pick<Sweep, 'name' | 'seeds' | 'cells'>, options: SweepOptions): Promise<RowOutcome[]> {
  const total = sweep.cells.length * sweep.seeds.length;
  const outcomes: RowOutcome[] = [];
  const record = (outcome: RowOutcome) => {
    outcomes.push(outcome);
    options.onRow?.(outcome, outcomes.length, total);
  };
  const settings = { sweep: sweep.name, backend: options.backend, saveProbabilities: options.saveProbabilities ?? false };
  if (options.concurrency <= 1) {
    const context = await createRowContext(settings);
    for (const cell of sweep.cells) for (const seed of sweep.seeds) record(await runCell(cell, seed, context));
  } else {
    const pool = new WorkerPool(options.concurrency, settings);
    const limit = pLimit(options.concurrency);
    const crashContext = { ...settings, backend: `${options.backend} (worker died)`, tokbenchVersion: TOKBENCH_VERSION };
    let noBackend: TokbenchError | undefined;
    try {
      await Promise.all(sweep.cells.map((cell) => limit(async () => {
        if (noBackend !== undefined) return;
        const finished = new Set<number>();
        try {
          await pool.run(cell, sweep.seeds, (outcome) => {
            finished.add(outcome.row.seed as number);
            record(outcome);
          });
        } catch (error) {
          // Without a backend no cell can run: stop, as the in-process path does, instead of failing each.
          if (error instanceof TokbenchError && error.code === 'backend') {
            noBackend ??= error;
            return;
          }
          const message = error instanceof Error ? error.message : String(error);
          for (const seed of sweep.seeds) if (!finished.has(seed)) record({ row: failedRow(cell, seed, crashContext, message), predictions: null });
        }
      })));
    } finally {
      pool.close();
    }
    if (noBackend !== undefined) throw noBackend;
  }
  const order = new Map(sweep.cells.map((c, i) => [c.id, i]));
  const position = ({ row }: RowOutcome) => order.get(String(row.cell_id)) ?? 0;
  return outcomes.sort((a, b) => position(a) - position(b) || (a.row.seed as number) - (b.row.seed as number));
}
