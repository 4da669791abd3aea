// Runs cells in separate Node processes: tfjs is single-threaded on wasm, so cores are used by processes,
// and a process that crashes takes only its own cell down.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ResultRow } from '../results/columns.js';
import type { Cell } from '../grid/cell.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Job {
  onRow(row: ResultRow): void;
  resolve(): void;
  reject(error: Error): void;
}

class Worker {
  private readonly child: ChildProcess;
  private job: Job | undefined;
  private ready: Promise<void>;
  exited = false;

  constructor(backendPreference: string, sweep: string, onExit: (worker: Worker) => void) {
    this.child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let started: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.child.on('message', (message: WorkerReply) => {
      if (message.type === 'ready') started();
      else if (message.type === 'init-error') failed(new Error(message.error));
      else if (message.type === 'row') this.job?.onRow(message.row);
      else if (message.type === 'done') {
        const job = this.job;
        this.job = undefined;
        job?.resolve();
      }
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const reason = new Error(`worker process exited (${signal ?? `code ${code}`}) while running this cell`);
      failed(reason);
      this.job?.reject(reason);
      this.job = undefined;
      onExit(this);
    });
    this.send({ type: 'init', backend: backendPreference, sweep });
  }

  private send(message: WorkerRequest): void {
    this.child.send(message);
  }

  /** Runs every seed of one cell in this process, so the cell is tokenized once. */
  async run(cell: Cell, seeds: readonly number[], onRow: (row: ResultRow) => void): Promise<void> {
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

/** A fixed number of worker processes; a crashed one is replaced before the next cell. */
export class WorkerPool {
  private idle: Worker[] = [];
  private waiting: ((worker: Worker) => void)[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly size: number, private readonly backendPreference: string, private readonly sweep: string) {}

  private spawn(): Worker {
    const worker = new Worker(this.backendPreference, this.sweep, (w) => this.all.delete(w));
    this.all.add(worker);
    return worker;
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker.exited ? this.spawn() : worker);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    const usable = worker.exited ? this.spawn() : worker;
    if (next !== undefined) next(usable);
    else this.idle.push(usable);
  }

  /** Rejects if the worker process dies; rows it reported before dying have been passed to `onRow`. */
  async run(cell: Cell, seeds: readonly number[], onRow: (row: ResultRow) => void): Promise<void> {
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
