// `tokbench run <config>`: runs a sweep and writes results.arrow, results.csv and summary.md.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../../config/sweep.js';
import { TokbenchError } from '../../errors.js';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../backend/types.js';
import type { ResultRow } from '../../results/columns.js';
import { count } from '../../results/format.js';
import { METRIC_NAMES, METRICS } from '../../results/metrics.js';
import { axesText } from '../../results/summary.js';
import { defineCommand, type Command } from '../command.js';

interface RunArgs {
  config: string;
  out: string | undefined;
  backend: BackendPreference;
  concurrency: number | undefined;
  'save-probabilities': boolean;
}

/** One plain line per finished row, with the metrics declared for it: readable in a terminal and in a CI log alike. */
function progressLine(row: ResultRow, done: number, total: number, axes: readonly string[]): string {
  const where = axesText(row, axes);
  const metrics = METRIC_NAMES.flatMap((name) => {
    const { progress, unit } = METRICS[name];
    const value = row[name];
    if (progress === undefined || typeof value !== 'number') return [];
    return [`${progress.label}=${value.toFixed(progress.digits)}${unit === 's' ? 's' : ''}`];
  });
  const status = row.status === 'ok' ? 'ok' : `${String(row.status).toUpperCase()}: ${row.error}`;
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}] ${row.dataset}/${row.strategy}${where === '–' ? '' : ` ${where}`} seed=${row.seed} cell=${row.cell_id} ${status}${metrics.length ? ` ${metrics.join(' ')}` : ''}\n`;
}

/** Fails before any training when the output folder cannot be made or written to. */
async function checkWritable(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new TokbenchError('input', `cannot write the output folder '${folder}': ${(error as Error).message}`, ['out']);
  }
}

export const run: Command = defineCommand<RunArgs>({
  command: 'run <config>',
  describe: 'Run a sweep: train and evaluate every grid cell for every seed, write the result table',
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .option('out', { type: 'string', describe: 'Output folder (default results/<sweep name>/)' })
      .option('backend', { choices: BACKEND_PREFERENCES, default: 'auto' as BackendPreference, describe: 'tfjs backend; auto tries tfjs-node-gpu, tfjs-node, wasm, cpu' })
      .option('concurrency', { type: 'number', describe: 'Worker processes (default: one per core, at most one per cell); 1 runs in this process' })
      .option('save-probabilities', { type: 'boolean', default: false, describe: 'Add each test sample\'s class probabilities to predictions.arrow' })
      .example('$0 run configs/quickstart.yaml', 'The embedded quickstart: all three modalities, two seeds')
      .example('$0 run configs/ci-smoke.yaml --out /tmp/smoke --concurrency 1', 'A tiny sweep in this process')
      .epilogue('Exit code 0 when every row is ok, 1 when some cells failed or diverged (their rows say why), 2 for a bad config (nothing is written).'),
  async run(args, io) {
    if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1)) {
      throw new TokbenchError('invalid-param', `The 'concurrency' option of run must be a positive integer; got ${args.concurrency} instead.`);
    }
    // Loaded on demand, so `--help` and a bad config answer without loading tfjs and the registries.
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(args.config, builtinComponents);
    const { runSweep } = await import('../../runner/sweep.js');
    const { sweepAxes, writeResults, writeRow } = await import('../../results/write.js');
    const { TOKBENCH_VERSION, gitCommit } = await import('../../version.js');
    const concurrency = args.concurrency ?? Math.max(1, Math.min(availableParallelism(), sweep.cells.length));
    const out = args.out ?? join('results', sweep.name);
    const total = sweep.cells.length * sweep.seeds.length;
    io.err(`tokbench run: sweep '${sweep.name}': ${count(sweep.cells.length, 'cell')} × ${count(sweep.seeds.length, 'seed')} = ${count(total, 'run')}, ${count(concurrency, 'process', 'processes')}, backend ${args.backend}\n`);
    const started = Date.now();
    await checkWritable(out);
    const axes = sweepAxes(sweep.cells);
    const metadata = { sweepYaml: sweep.yaml, tokbenchVersion: TOKBENCH_VERSION, gitCommit: gitCommit(), nodeVersion: process.version };
    const saving: Promise<void>[] = [];
    const outcomes = await runSweep(sweep, {
      backend: args.backend,
      concurrency,
      saveProbabilities: args['save-probabilities'],
      onRow: (outcome, done, n) => {
        io.err(progressLine(outcome.row, done, n, axes));
        saving.push(writeRow(out, outcome, { ...metadata, backend: String(outcome.row.backend) }));
      },
    });
    await Promise.all(saving);
    const written = await writeResults(out, sweep.name, outcomes, sweep.cells, metadata, args['save-probabilities']);
    io.out(written.summaryText);
    io.err(`\nWrote ${written.arrow}, ${written.csv}, ${written.summary}, ${written.predictions} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    const rows = outcomes.map((o) => o.row);
    const bad = rows.filter((r) => r.status !== 'ok');
    const badCells = new Set(bad.map((r) => r.cell_id)).size;
    if (bad.length > 0) io.err(`${badCells} of ${sweep.cells.length} cells had rows that did not finish ok (${bad.length} of ${rows.length} rows failed or diverged); see their 'error' column.\n`);
    return { failedCells: badCells };
  },
});
