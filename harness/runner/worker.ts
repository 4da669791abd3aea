// A worker process of the pool: selects its own tfjs backend, then runs the cells it is sent.
import type { BackendPreference } from '../backend/select.js';
import type { ResultRow } from '../results/columns.js';
import type { Cell } from '../grid/cell.js';
import type { RowContext } from './cell.js';
import { runCell } from './cell.js';
import { createRowContext } from './context.js';

export type WorkerRequest =
  | { readonly type: 'init'; readonly backend: BackendPreference; readonly sweep: string }
  | { readonly type: 'run'; readonly cell: Cell; readonly seeds: readonly number[] };

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: string }
  | { readonly type: 'row'; readonly row: ResultRow }
  | { readonly type: 'done' };

const reply = (message: WorkerReply) => process.send?.(message);
let context: RowContext | undefined;

process.on('message', async (message: WorkerRequest) => {
  if (message.type === 'init') {
    try {
      context = await createRowContext(message.sweep, message.backend);
      reply({ type: 'ready' });
    } catch (error) {
      reply({ type: 'init-error', error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (context === undefined) throw new Error('worker received a cell before init');
  for (const seed of message.seeds) reply({ type: 'row', row: await runCell(message.cell, seed, context) });
  reply({ type: 'done' });
});

process.on('disconnect', () => process.exit(0));
