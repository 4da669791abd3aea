// Runs (cell, seed) runs of a sweep in a pool of worker processes, or in this process; a run's failure,
// timeout or crash becomes its row, never the sweep's, and a stop signal ends it with what finished.
import pLimit from 'p-limit';
import type { BackendPreference } from '../backend/types.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import type { RowOutcome } from '../results/columns.js';
import { TOKBENCH_VERSION } from '../version.js';
import { failedRow, runCell } from './cell.js';
import type { RowContext } from './cell.js';
import { createRowContext } from './context.js';
import type { ProcessSettings } from './context.js';
import { WorkerExit, WorkerPool } from './worker-pool.js';
import type { Job } from './worker.js';

export interface SweepOptions {
  readonly backend: BackendPreference;
  /** Worker processes running cells side by side. */
  readonly concurrency: number;
  /** Run every cell in this process instead (a notebook, a debugger): no timeout and no crash isolation. */
  readonly inProcess?: boolean;
  /** Keep every test sample's class probabilities in the predictions. */
  readonly saveProbabilities?: boolean;
  /** Keep each learned tokenizer's fitted state with its row. */
  readonly saveTokenizers?: boolean;
  /** Seconds one (cell, seed) may take before its worker is killed and the run becomes a failed row. */
  readonly timeoutSeconds?: number;
  /** Only these runs (resume, shards); all when absent. */
  readonly include?: (cell: Cell, seed: number) => boolean;
  /** Content hash of each cell's data files, by cell id (empty when absent). */
  readonly dataHashes?: ReadonlyMap<string, string>;
  /** Aborting stops the sweep: running cells are abandoned, finished rows kept. */
  readonly signal?: AbortSignal;
  readonly onStart?: (cell: Cell, seed: number) => void;
  /** Called as each run finishes, with how many are done out of how many. */
  readonly onRow?: (outcome: RowOutcome, done: number, total: number) => void;
}

export interface SweepSummary {
  /** Outcomes in grid order (cell, then seed), whatever order they finished in. */
  readonly outcomes: RowOutcome[];
  /** Runs asked for; fewer finished when the sweep was stopped. */
  readonly total: number;
  readonly stopped: boolean;
}

const aborted = (options: SweepOptions) => options.signal?.aborted === true;

/** What a run that never reported a row is told: its worker died or was killed for taking too long. */
function lostRunError(exit: WorkerExit, timedOut: boolean, timeoutSeconds: number | undefined): string {
  if (timedOut) return `timed out after ${timeoutSeconds} s (the worker process was killed)`;
  return `the worker process ${exit.message} while running it${exit.message.includes('SIGKILL') ? ' (out of memory, or killed from outside)' : ''}`;
}

export async function runSweep(sweep: { readonly name: string; readonly seeds: readonly number[]; readonly cells: readonly Cell[] }, options: SweepOptions): Promise<SweepSummary> {
  const jobs: Job[] = sweep.cells.flatMap((cell) => {
    const seeds = sweep.seeds.filter((seed) => options.include?.(cell, seed) ?? true);
    return seeds.length > 0 ? [{ cell, seeds, dataHash: options.dataHashes?.get(cell.id) ?? '' }] : [];
  });
  const total = jobs.reduce((n, job) => n + job.seeds.length, 0);
  const outcomes: RowOutcome[] = [];
  const record = (outcome: RowOutcome) => {
    outcomes.push(outcome);
    options.onRow?.(outcome, outcomes.length, total);
  };
  const settings: ProcessSettings = { sweep: sweep.name, backend: options.backend, saveProbabilities: options.saveProbabilities ?? false, saveTokenizers: options.saveTokenizers ?? false };
  const stopped = () => aborted(options);
  if (options.inProcess === true) {
    const context = await createRowContext(settings);
    for (const { cell, seeds, dataHash } of jobs) {
      for (const seed of seeds) {
        if (stopped()) break;
        options.onStart?.(cell, seed);
        record(await runCell(cell, seed, context, dataHash));
      }
    }
  } else {
    await runInPool(jobs, settings, options, record);
  }
  const order = new Map(sweep.cells.map((c, i) => [c.id, i]));
  const position = ({ row }: RowOutcome) => order.get(String(row.cell_id)) ?? 0;
  outcomes.sort((a, b) => position(a) - position(b) || (a.row.seed as number) - (b.row.seed as number));
  return { outcomes, total, stopped: stopped() };
}

async function runInPool(jobs: readonly Job[], settings: ProcessSettings, options: SweepOptions, record: (outcome: RowOutcome) => void): Promise<void> {
  const pool = new WorkerPool(options.concurrency, settings);
  const limit = pLimit(options.concurrency);
  const crashContext: RowContext = { ...settings, backend: `${options.backend} (worker died)`, tokbenchVersion: TOKBENCH_VERSION };
  const stop = () => pool.close();
  options.signal?.addEventListener('abort', stop);
  let noBackend: TokbenchError | undefined;
  // A job whose worker died is run again from its first unstarted seed, in a fresh worker.
  const runJob = async (job: Job): Promise<void> => {
    if (noBackend !== undefined || aborted(options)) return;
    const finished = new Set<number>();
    let running: number | undefined;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let killWorker: () => void = () => undefined;
    const clear = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    try {
      await pool.run(
        job,
        {
          onStart(seed) {
            running = seed;
            options.onStart?.(job.cell, seed);
            if (options.timeoutSeconds === undefined) return;
            clear();
            timer = setTimeout(() => {
              timedOut = true;
              killWorker();
            }, options.timeoutSeconds * 1000);
          },
          onRow(outcome) {
            clear();
            running = undefined;
            finished.add(outcome.row.seed as number);
            record(outcome);
          },
        },
        (kill) => {
          killWorker = kill;
        },
      );
    } catch (error) {
      if (error instanceof TokbenchError && error.code === 'backend') {
        // Without a backend no cell can run: stop, as the in-process path does, instead of failing each.
        noBackend ??= error;
        pool.close();
        return;
      }
      if (!(error instanceof WorkerExit)) throw error;
      if (aborted(options)) return;
      const lost = running ?? job.seeds.find((seed) => !finished.has(seed));
      if (lost !== undefined) {
        const message = lostRunError(error, timedOut, options.timeoutSeconds);
        record({ row: failedRow(job.cell, lost, crashContext, job.dataHash, message), predictions: null, errorDetail: message, artifacts: null });
        finished.add(lost);
      }
      const rest = job.seeds.filter((seed) => !finished.has(seed));
      if (rest.length > 0) await runJob({ ...job, seeds: rest });
    } finally {
      clear();
    }
  };
  try {
    await Promise.all(jobs.map((job) => limit(() => runJob(job))));
  } finally {
    options.signal?.removeEventListener('abort', stop);
    pool.close();
  }
  if (noBackend !== undefined) throw noBackend;
}
