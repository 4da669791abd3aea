// Runs cells in separate Node processes: tfjs is single-threaded on wasm, so cores are used by processes,
// and a process that crashes, runs out of memory or is killed for a timeout takes only its own run down.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { TokbenchError } from '../errors.js';
import type { RowOutcome } from '../results/columns.js';
import type { ProcessSettings } from './context.js';
import type { Job, WorkerReply, WorkerRequest } from './worker.js';
import { workerEntry } from './worker-entry.js';

const WORKER = workerEntry();

/** What the pool reports about a job while it runs. */
export interface JobEvents {
  /** A seed of the job started in the worker. */
  onStart(seed: number): void;
  onRow(outcome: RowOutcome): void;
}

/** The worker process ended before finishing its job: how, in words (`was killed by SIGKILL`, `exited with code 1`). */
export class WorkerExit extends Error {
  override readonly name = 'WorkerExit';
}

class Worker {
  private readonly child: ChildProcess;
  private events: JobEvents | undefined;
  private finish: { resolve(): void; reject(error: Error): void } | undefined;
  private readonly ready: Promise<void>;
  exited = false;

  constructor(settings: ProcessSettings, onExit: (worker: Worker) => void) {
    this.child = fork(WORKER.path, [], { execArgv: WORKER.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
        this.kill();
      } else if (message.type === 'start') this.events?.onStart(message.seed);
      else if (message.type === 'row') this.events?.onRow(message.outcome);
      else if (message.type === 'done') {
        const finish = this.finish;
        this.events = undefined;
        this.finish = undefined;
        finish?.resolve();
      }
    });
    this.child.on('error', (error) => failed(error));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const reason = new WorkerExit(signal !== null ? `was killed by ${signal}` : `exited with code ${code}`);
      failed(reason);
      this.finish?.reject(reason);
      this.events = undefined;
      this.finish = undefined;
      onExit(this);
    });
    this.send({ type: 'init', settings });
  }

  private send(message: WorkerRequest): void {
    this.child.send(message);
  }

  /** Runs the job's seeds one after another in this process, so the cell is tokenized once. */
  async run(job: Job, events: JobEvents): Promise<void> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.events = events;
      this.finish = { resolve, reject };
      this.send({ type: 'run', job });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** At most `size` worker processes; one that died (busy or idle) is replaced only when a job needs it. */
export class WorkerPool {
  private idle: Worker[] = [];
  private waiting: { resolve(worker: Worker): void; reject(error: Error): void }[] = [];
  private readonly all = new Set<Worker>();
  private closed = false;

  constructor(private readonly size: number, private readonly settings: ProcessSettings) {}

  private spawn(): Worker {
    const worker = new Worker(this.settings, (dead) => this.forget(dead));
    this.all.add(worker);
    return worker;
  }

  /** A dead worker leaves the pool at once, so no job is ever sent to it while it sits idle. */
  private forget(worker: Worker): void {
    this.all.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      if (!worker.exited) this.idle.push(worker);
      return;
    }
    next.resolve(worker.exited ? this.spawn() : worker);
  }

  /**
   * Runs a job in a worker; `kill` ends that worker (a timeout). Rejects with WorkerExit if the worker dies
   * (rows it reported first have reached `onRow`), or with a `backend` TokbenchError if it found no backend.
   */
  async run(job: Job, events: JobEvents, kill: (stop: () => void) => void): Promise<void> {
    if (this.closed) throw new WorkerExit('the pool was closed');
    const worker = await this.acquire();
    kill(() => worker.kill());
    try {
      await worker.run(job, events);
    } finally {
      this.release(worker);
    }
  }

  /** Kills every worker; jobs waiting for one are rejected, running ones end with WorkerExit. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting) waiter.reject(new WorkerExit('the sweep was stopped'));
    this.waiting = [];
    for (const worker of this.all) worker.kill();
    this.all.clear();
    this.idle = [];
  }
}
