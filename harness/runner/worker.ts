// A worker process of the pool: selects its own tfjs backend, then runs the jobs it is sent.
import type { Cell } from '../grid/cell.js';
import type { RowOutcome } from '../results/columns.js';
import type { RowContext } from './cell.js';
import { runCell } from './cell.js';
import { createRowContext } from './context.js';
import type { ProcessSettings } from './context.js';

/** Seeds of one cell, run one after another in one process so the cell is tokenized once. */
export interface Job {
  readonly cell: Cell;
  readonly seeds: readonly number[];
  /** Content hash of the data files the cell's dataset reads, recorded in every row. */
  readonly dataHash: string;
}

export type WorkerRequest = { readonly type: 'init'; readonly settings: ProcessSettings } | { readonly type: 'run'; readonly job: Job };

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: string }
  | { readonly type: 'start'; readonly seed: number }
  | { readonly type: 'row'; readonly outcome: RowOutcome }
  | { readonly type: 'done' };

const reply = (message: WorkerReply) => process.send?.(message);
let context: RowContext | undefined;

process.on('message', async (message: WorkerRequest) => {
  if (message.type === 'init') {
    try {
      context = await createRowContext(message.settings);
      reply({ type: 'ready' });
    } catch (error) {
      reply({ type: 'init-error', error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (context === undefined) throw new Error('worker received a job before init');
  const { cell, seeds, dataHash } = message.job;
  for (const seed of seeds) {
    reply({ type: 'start', seed });
    reply({ type: 'row', outcome: await runCell(cell, seed, context, dataHash) });
  }
  reply({ type: 'done' });
});

process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group: the parent decides what stops, and kills its workers.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
