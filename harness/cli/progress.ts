// How `run` reports while it works: a live bar on a terminal, one plain line per finished run (and a
// heartbeat while runs are in flight) in CI logs, nothing but the last line with --quiet, JSON events with --json.
import { SingleBar } from 'cli-progress';
import type { ResultRow } from '../results/columns.js';
import { duration } from '../results/format.js';
import { METRIC_NAMES, METRICS } from '../results/metrics.js';
import { axesText } from '../results/summary.js';
import type { CliIo } from './command.js';

export type ProgressMode = 'bar' | 'lines' | 'quiet' | 'json';

/** The counts a sweep ends with. */
export interface SweepTally {
  readonly ok: number;
  readonly failed: number;
  readonly diverged: number;
  /** Runs kept from an earlier run of the same sweep (resume). */
  readonly skipped: number;
  readonly seconds: number;
}

export interface Progress {
  /** `total` runs are about to run. */
  begin(total: number): void;
  started(cellId: string, seed: number): void;
  finished(row: ResultRow, seconds: number): void;
  /** Stops the bar and the heartbeat, then reports the tally. */
  end(tally: SweepTally): void;
}

/** At most this long between two lines of a CI log while runs are in flight. */
export const HEARTBEAT_SECONDS = 30;


/** `ok 7, failed 1, diverged 0, skipped 2 in 3.2 min`: the last line of every mode. */
export function tallyLine(tally: SweepTally): string {
  return `ok ${tally.ok}, failed ${tally.failed}, diverged ${tally.diverged}, skipped ${tally.skipped} in ${duration(tally.seconds)}`;
}

/** One plain line per finished run, with the metrics declared for the progress line. */
export function runLine(row: ResultRow, done: number, total: number, axes: readonly string[], seconds: number): string {
  const where = axesText(row, axes);
  const metrics = METRIC_NAMES.flatMap((name) => {
    const { progress, unit } = METRICS[name];
    const value = row[name];
    if (progress === undefined || typeof value !== 'number') return [];
    return [`${progress.label}=${value.toFixed(progress.digits)}${unit === 's' ? 's' : ''}`];
  });
  const status = row.status === 'ok' ? 'ok' : `${String(row.status).toUpperCase()}: ${row.error}`;
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}] ${row.dataset}/${row.strategy}${where === '–' ? '' : ` ${where}`} seed=${row.seed} cell=${row.cell_id} ${status}${metrics.length ? ` ${metrics.join(' ')}` : ''} (${duration(seconds)})\n`;
}

export function createProgress(mode: ProgressMode, io: CliIo, axes: readonly string[]): Progress {
  const running = new Map<string, number>();
  let done = 0;
  let total = 0;
  const began = Date.now();
  let heartbeat: NodeJS.Timeout | undefined;
  let bar: SingleBar | undefined;
  const key = (cellId: string, seed: number) => `${cellId} seed ${seed}`;
  const stopTimers = () => {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    bar?.stop();
  };

  if (mode === 'json') {
    const event = (name: string, fields: object) => io.out(`${JSON.stringify({ event: name, time: new Date().toISOString(), ...fields })}\n`);
    return {
      begin: (n) => event('begin', { total: n }),
      started: (cellId, seed) => event('start', { cell_id: cellId, seed }),
      finished: (row, seconds) => event('row', { ...row, seconds }),
      end: (tally) => event('end', tally),
    };
  }
  return {
    begin(n) {
      total = n;
      if (mode === 'bar') {
        bar = new SingleBar({ stream: process.stderr, format: '{bar} {value}/{total} runs | {running} running | ETA {left}', hideCursor: true });
        bar.start(n, 0, { running: 0, left: '–' });
      } else if (mode === 'lines' && n > 0) {
        io.err(`[${'0'.padStart(String(n).length)}/${n}] starting\n`);
        heartbeat = setInterval(() => {
          const now = Date.now();
          const inFlight = [...running.entries()].map(([name, since]) => `${name} (${duration((now - since) / 1000)})`);
          io.err(`… ${done}/${total} done after ${duration((now - began) / 1000)}; running: ${inFlight.join(', ') || 'none'}\n`);
        }, HEARTBEAT_SECONDS * 1000);
        heartbeat.unref();
      }
    },
    started(cellId, seed) {
      running.set(key(cellId, seed), Date.now());
      bar?.update(done, { running: running.size });
    },
    finished(row, seconds) {
      running.delete(key(String(row.cell_id), Number(row.seed)));
      done++;
      // Runs finished so far set the pace; before the first there is none to go by.
      const left = duration(((Date.now() - began) / 1000 / done) * (total - done));
      if (bar !== undefined) bar.update(done, { running: running.size, left });
      else if (mode === 'lines') io.err(runLine(row, done, total, axes, seconds));
    },
    end(tally) {
      stopTimers();
      io.err(`${tallyLine(tally)}\n`);
    },
  };
}
