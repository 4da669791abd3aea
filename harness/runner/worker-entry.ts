// Which file a pool's worker process runs and with which Node flags: compiled JavaScript (dist/) forks
// worker.js as it is; TypeScript run through tsx forks worker.ts with tsx loaded.
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** Absolute path of the worker module, beside this one. */
  readonly path: string;
  /** Node flags of the worker process (`fork`'s `execArgv`); empty for compiled JavaScript. */
  readonly execArgv: string[];
}

/**
 * `moduleUrl` is this module's own URL unless a test passes another: one ending in `.js` is compiled
 * JavaScript. tsx is resolved from tokbench's own install, so a worker starts whatever the working directory.
 */
export function workerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const compiled = new URL(moduleUrl).pathname.endsWith('.js');
  if (compiled) return { path: fileURLToPath(new URL('./worker.js', moduleUrl)), execArgv: [] };
  return { path: fileURLToPath(new URL('./worker.ts', moduleUrl)), execArgv: ['--import', import.meta.resolve('tsx')] };
}
