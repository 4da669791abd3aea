// Runs cells in separate Node processes: tfjs is single-threaded on wasm, so cores are used by processes,
// and a process that crashes takes only its own cell down.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import type { RowOutcome } from '../results/columns.js';
import type { ProcessSettings } from './context.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Job {
  onRow(outcome: RowOutcome): void;
  resolve(): void;
  reject(error: Error): void;
}

class Worker {
  private readonly child: ChildProcess;
  private job: Job | undefined;
  private readonly ready: Promise<void>;
  exited = false;

  constructor(settings: ProcessSettings) {
    this.child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let started: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // A worker can die before anyone awaits `ready`; run() still sees the rejection when it does.
    this.ready.catch(() => undefined);
    this.child.on('message', (message: WorkerReply) => {
      if (message.type === 'ready') started();
      else if (message.type === 'init-error') {
        // No backend in this process means none in any: the sweep stops instead of failing every cell.
        failed(new TokbenchError('backend', message.error));
        this.stop();
      } else if (message.type === 'row') this.job?.onRow(message.outcome);
      else if (message.type === 'done') {
        const job = this.job;
        this.job = undefined;
        job?.resolve();
      }
    });
    this.child.on('error', (error) => failed(error));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const reason = new Error(`worker process exited (${signal ?? `code ${code}`}) while running this cell`);
      failed(reason);
      this.job?.reject(reason);
      this.job = undefined;
    });
    this.send({ type: 'init', settings });
  }

  private send(message: WorkerRequest): void {
    this.child.send(message);
  }

  /** Runs every seed of one cell in this process, so the cell is tokenized once. */
  async run(cell: Cell, seeds: readonly number[], onRow: (outcome: RowOutcome) => void): Promise<void> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.job = { onRow, resolve, reject };
      this.send({ type: 'run', cell, seeds });
    });
  }

  stop(): void {
    if (!this.exited) this.child.kill();
  }
}

/** At most `size` worker processes; one that died is replaced only when a cell needs it. */
export class WorkerPool {
  private idle: Worker[] = [];
  private waiting: ((worker: Worker) => void)[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly size: number, private readonly settings: ProcessSettings) {}

  private spawn(): Worker {
    const worker = new Worker(this.settings);
    this.all.add(worker);
    return worker;
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    if (worker.exited) {
      this.all.delete(worker);
      const next = this.waiting.shift();
      if (next !== undefined) next(this.spawn());
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) next(worker);
    else this.idle.push(worker);
  }

  /**
   * Rejects if the worker process dies (rows it reported before dying have been passed to `onRow`),
   * or with a `backend` TokbenchError if the worker found no usable backend.
   */
  async run(cell: Cell, seeds: readonly number[], onRow: (outcome: RowOutcome) => void): Promise<void> {
    const worker = await this.acquire();
    try {
      await worker.run(cell, seeds, onRow);
    } finally {
      this.release(worker);
    }
  }

  close(): void {
    for (const worker of this.all) worker.stop();
    this.all.clear();
    this.idle = [];
  }
}
