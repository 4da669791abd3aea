// A worker process of the pool: selects its own tfjs backend, then runs the cells it is sent.
import type { Cell } from '../grid/cell.js';
import type { RowOutcome } from '../results/columns.js';
import type { RowContext } from './cell.js';
import { runCell } from './cell.js';
import { createRowContext } from './context.js';
import type { ProcessSettings } from './context.js';

export type WorkerRequest =
  | { readonly type: 'init'; readonly settings: ProcessSettings }
  | { readonly type: 'run'; readonly cell: Cell; readonly seeds: readonly number[] };

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: string }
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
  if (context === undefined) throw new Error('worker received a cell before init');
  for (const seed of message.seeds) reply({ type: 'row', outcome: await runCell(message.cell, seed, context) });
  reply({ type: 'done' });
});

process.on('disconnect', () => process.exit(0));
