// `tokbench run <config>`: checks the sweep against its data, resumes what an earlier run of it left, runs the
// rest (or this machine's shard) in worker processes, and writes the tables from every finished row.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../../config/sweep.js';
import type { Sweep } from '../../config/sweep.js';
import { TokbenchError } from '../../errors.js';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../backend/types.js';
import type { Cell } from '../../grid/cell.js';
import type { RowOutcome } from '../../results/columns.js';
import { count, duration } from '../../results/format.js';
import type { StoredRun } from '../../results/row-store.js';
import type { Shard } from '../../runner/shard.js';
import { defineCommand, type CliIo, type Command, type CommandResult } from '../command.js';
import { createProgress, type ProgressMode } from '../progress.js';

interface RunArgs {
  config: string;
  out: string | undefined;
  backend: BackendPreference;
  concurrency: number | undefined;
  timeout: number | undefined;
  'save-probabilities': boolean;
  'save-tokenizers': boolean;
  force: boolean;
  'retry-failed': boolean;
  overwrite: boolean;
  'fail-fast': boolean;
  shard: string | undefined;
  shards: number | undefined;
  'max-runs': number;
  yes: boolean;
  quiet: boolean;
  json: boolean;
}

const positiveInteger = (name: string, value: number | undefined) => {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new TokbenchError('invalid-param', `The '${name}' option of run must be a positive integer; got ${value} instead.`, [name]);
  }
};

function progressMode(args: RunArgs): ProgressMode {
  if (args.json) return 'json';
  if (args.quiet) return 'quiet';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

/** The runs this machine takes: all of them, or its shard of a partition balanced by estimated cost. */
async function shardFilter(sweep: Sweep, shard: Shard | undefined, costOf: (cell: Cell) => number): Promise<(cell: Cell, seed: number) => boolean> {
  if (shard === undefined) return () => true;
  const { assignShards } = await import('../../runner/shard.js');
  const runs = sweep.cells.flatMap((cell) => sweep.seeds.map((seed) => ({ cell, seed })));
  const assigned = assignShards(runs.map((r) => costOf(r.cell)), shard.count);
  const mine = new Set(runs.filter((_, i) => assigned[i] === shard.index).map((r) => `${r.cell.id}/${r.seed}`));
  return (cell, seed) => mine.has(`${cell.id}/${seed}`);
}


export const run: Command = defineCommand<RunArgs>({
  command: 'run <config>',
  describe: 'Run a sweep: train and evaluate every grid cell for every seed (resuming what already finished), write the result tables',
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .option('out', { type: 'string', describe: 'Output folder (default results/<sweep name>/); it belongs to one sweep' })
      .option('backend', { choices: BACKEND_PREFERENCES, default: 'auto' as BackendPreference, describe: 'tfjs backend; auto tries tfjs-node-gpu, tfjs-node, wasm, cpu' })
      .option('concurrency', { type: 'number', describe: 'Worker processes (default: one per core, at most one per cell)' })
      .option('timeout', { type: 'number', describe: 'Seconds one (cell, seed) may take before its worker is killed and it becomes a failed row; the first seed of a cell in a worker also loads and tokenizes its data (default: the YAML\'s `timeout`, else none)' })
      .option('save-probabilities', { type: 'boolean', default: false, describe: 'Add each test sample\'s class probabilities to predictions.arrow' })
      .option('save-tokenizers', { type: 'boolean', default: false, describe: 'Keep each learned tokenizer\'s fitted state (medians, merges, codebooks) beside its row' })
      .option('force', { type: 'boolean', default: false, describe: 'Re-run every run, even those already finished' })
      .option('retry-failed', { type: 'boolean', default: false, describe: 'Re-run runs that failed, diverged or timed out' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Use an --out folder that holds another sweep\'s results, clearing its rows' })
      .option('fail-fast', { type: 'boolean', default: false, describe: 'Stop at the first run that fails; the tables hold what finished' })
      .option('shard', { type: 'string', describe: 'Run shard i of n (0-based, e.g. 0/4) of a partition balanced by estimated cost; read from Slurm job arrays when absent' })
      .option('shards', { type: 'number', describe: 'Number of shards of a Kubernetes Indexed Job (the shard is JOB_COMPLETION_INDEX)' })
      .option('max-runs', { type: 'number', default: 1000, describe: 'Refuse to start more runs than this without --yes' })
      .option('yes', { type: 'boolean', default: false, describe: 'Start however many runs the sweep has' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print only warnings, the final line and the summary' })
      .option('json', { type: 'boolean', default: false, describe: 'One JSON object per event on stdout (begin, start, row, end), for scripts' })
      .example('$0 run configs/quickstart.yaml', 'The embedded quickstart; run it again to resume')
      .example('$0 run configs/ci-smoke.yaml --out /tmp/smoke --timeout 600', 'Stop any run that takes longer than 10 minutes')
      .example('$0 run configs/nightly.yaml --shard 1/4 --out shard-1', 'The second of four shards; then: tokbench merge shard-* --out all')
      .epilogue(
        'Re-running a sweep into the same folder runs only what has not finished with the same configuration and data. ' +
          'Exit code 0 when every row is ok, 1 when some failed, diverged or timed out (their rows say why), 2 for bad input (nothing is written), 130/143 when stopped by SIGINT/SIGTERM (finished rows kept).',
      ),
  async run(args, io) {
    positiveInteger('concurrency', args.concurrency);
    positiveInteger('shards', args.shards);
    positiveInteger('max-runs', args['max-runs']);
    if (args.quiet && args.json) throw new TokbenchError('invalid-param', 'The --quiet and --json options of run exclude each other; choose one.', ['quiet']);
    if (args.timeout !== undefined && !(args.timeout > 0)) throw new TokbenchError('invalid-param', `The 'timeout' option of run must be a positive number of seconds; got ${args.timeout} instead.`, ['timeout']);
    // Loaded on demand, so `--help` and a bad config answer without loading tfjs and the registries.
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(args.config, builtinComponents);
    const total = sweep.cells.length * sweep.seeds.length;
    // --quiet keeps warnings, the final line and the summary; these lines only say what is going on.
    const info = (text: string) => {
      if (!args.quiet) io.err(text);
    };
    info(`tokbench run: sweep '${sweep.name}': ${count(sweep.cells.length, 'cell')} × ${count(sweep.seeds.length, 'seed')} = ${count(total, 'run')}\n`);
    const { preflight } = await import('../../runner/preflight.js');
    const checked = await preflight(sweep);
    // A warning, not an info line: data left out changes what every number means.
    for (const note of checked.notes) io.err(`tokbench run: ${note}\n`);
    const { parseShard, shardFromEnvironment } = await import('../../runner/shard.js');
    if (args.shard !== undefined && args.shards !== undefined) throw new TokbenchError('invalid-param', 'The --shard and --shards options of run exclude each other: --shard i/n names the shard, --shards N only counts them for a Kubernetes Indexed Job.', ['shards']);
    const shard = args.shard !== undefined ? parseShard(args.shard) : shardFromEnvironment(process.env, args.shards);
    const out = args.out ?? join('results', sweep.name);
    const { checkOutputFolder, claimOutputFolder, removeIfEmpty } = await import('../../results/output-folder.js');
    const folder = await checkOutputFolder(out, sweep.name, args.overwrite);
    const { selectBackend } = await import('../../backend/select.js');
    const backend = await selectBackend(args.backend);
    const { estimateRun, measureMatmulRate, wallSeconds } = await import('../../runner/estimate.js');
    const estimates = new Map(sweep.cells.map((cell) => [cell.id, estimateRun(cell, checked.shapeOf(cell))]));
    const include = await shardFilter(sweep, shard, (cell) => estimates.get(cell.id)?.flops ?? 0);
    const { readRowStore } = await import('../../results/row-store.js');
    const { planResume } = await import('../../runner/resume.js');
    // Rows of the sweep that had the folder before (--overwrite) are cleared, never resumed.
    const store = folder.otherSweep ? { runs: new Map(), unreadable: [] } : await readRowStore(out);
    const resume = planResume(sweep.cells, sweep.seeds, store, { force: args.force, retryFailed: args['retry-failed'] }, checked.dataHashes, include);
    const toRun = resume.toRun.size;
    const concurrency = args.concurrency ?? Math.max(1, Math.min(availableParallelism(), new Set([...resume.toRun].map((k) => k.split('/')[0])).size));
    const jobs = sweep.cells.map((cell) => ({ runs: sweep.seeds.filter((seed) => resume.toRun.has(`${cell.id}/${seed}`)).length, flopsPerRun: estimates.get(cell.id)?.flops ?? 0 }));
    const rate = measureMatmulRate(1);
    const guessed = [...estimates.values()].some((e) => e.tokens !== 'exact');
    info(
      `tokbench run: ${shard !== undefined ? `shard ${shard.index}/${shard.count}${shard.from !== undefined ? ` (from ${shard.from})` : ''}: ` : ''}${toRun} to run${resume.kept.length > 0 ? `, ${resume.kept.length} kept from an earlier run` : ''}` +
        `${resume.changed > 0 ? ` (${resume.changed} re-run: configuration or data changed)` : ''}; ` +
        `~${duration(wallSeconds(jobs, rate, concurrency))}${guessed ? ' (token counts partly bounded by max_len or guessed)' : ''} on ${count(concurrency, 'process', 'processes')}, backend ${backend.name}${backend.gpu ? ' (GPU)' : ''}\n`,
    );
    for (const path of store.unreadable) io.err(`tokbench run: ignoring ${path}: not a complete row (it will run again)\n`);
    if (resume.foreign.length > 0) io.err(`tokbench run: left out of the tables: ${count(resume.foreign.length, 'row')} in ${out}/rows of runs no longer in this sweep\n`);
    if (toRun > args['max-runs'] && !args.yes) {
      throw new TokbenchError('invalid-param', `The sweep would start ${toRun} runs, more than --max-runs ${args['max-runs']}; pass --yes to start them, or --max-runs to raise the limit.`, ['max-runs']);
    }
    const { TOKBENCH_VERSION, gitCommit } = await import('../../version.js');
    const { writeManifest } = await import('../../results/manifest.js');
    await claimOutputFolder(out, { name: sweep.name, sweep_yaml: sweep.yaml, config_file: sweep.file, tokbench_version: TOKBENCH_VERSION }, args.overwrite);
    const metadata = { sweepYaml: sweep.yaml, tokbenchVersion: TOKBENCH_VERSION, gitCommit: gitCommit(), nodeVersion: process.version };
    try {
      await writeManifest(out, { name: sweep.name, sweep_yaml: sweep.yaml, config_file: sweep.file, tokbench_version: TOKBENCH_VERSION });
      return await execute(sweep, args, io, {
        out,
        toRun,
        include: (cell, seed) => resume.toRun.has(`${cell.id}/${seed}`),
        kept: resume.kept,
        dataHashes: checked.dataHashes,
        concurrency,
        backend: backend.name as BackendPreference,
        metadata,
        progress: progressMode(args),
      });
    } catch (error) {
      if (folder.create) await removeIfEmpty(out);
      throw error;
    }
  },
});

interface Execution {
  readonly out: string;
  /** Runs `include` lets through. */
  readonly toRun: number;
  readonly include: (cell: Cell, seed: number) => boolean;
  readonly kept: readonly StoredRun[];
  readonly dataHashes: ReadonlyMap<string, string>;
  readonly concurrency: number;
  readonly backend: BackendPreference;
  readonly metadata: { sweepYaml: string; tokbenchVersion: string; gitCommit: string | null; nodeVersion: string };
  readonly progress: ProgressMode;
}

/** Runs what has to run, saving each row as it finishes; stops cleanly on a signal or (with --fail-fast) a failure. */
async function execute(sweep: Sweep, args: RunArgs, io: CliIo, e: Execution): Promise<CommandResult> {
  const { runSweep } = await import('../../runner/sweep.js');
  const { writeResults, writeRow, sweepAxes } = await import('../../results/write.js');
  const { readRowStore } = await import('../../results/row-store.js');
  const started = Date.now();
  const stop = new AbortController();
  let interrupted: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    interrupted ??= signal;
    stop.abort();
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  const progress = createProgress(e.progress, io, sweepAxes(sweep.cells));
  const startedAt = new Map<string, number>();
  const unsaved: RowOutcome[] = [];
  const saving: Promise<void>[] = [];
  progress.begin(e.toRun);
  let summary;
  try {
    summary = await runSweep(sweep, {
      backend: e.backend,
      concurrency: e.concurrency,
      saveProbabilities: args['save-probabilities'],
      saveTokenizers: args['save-tokenizers'],
      timeoutSeconds: args.timeout ?? sweep.timeout,
      include: e.include,
      dataHashes: e.dataHashes,
      signal: stop.signal,
      onStart(cell, seed) {
        startedAt.set(`${cell.id}/${seed}`, Date.now());
        progress.started(cell.id, seed);
      },
      onRow(outcome) {
        const key = `${outcome.row.cell_id}/${outcome.row.seed}`;
        progress.finished(outcome.row, (Date.now() - (startedAt.get(key) ?? Date.now())) / 1000);
        // A row that cannot be saved (disk full, permissions) stays in this run's tables and is reported.
        saving.push(
          writeRow(e.out, outcome, { ...e.metadata, backend: String(outcome.row.backend) }).catch((error: Error) => {
            unsaved.push(outcome);
            io.err(`tokbench run: could not save the row of cell ${outcome.row.cell_id} seed ${outcome.row.seed}: ${error.message}\n`);
          }),
        );
        if (args['fail-fast'] && outcome.row.status !== 'ok') stop.abort();
      },
    });
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
  await Promise.all(saving);
  // The tables hold every current row of the sweep on disk (this run's and earlier ones'), and rows that could not be saved.
  const { planResume } = await import('../../runner/resume.js');
  const store = await readRowStore(e.out);
  const current = planResume(sweep.cells, sweep.seeds, store, { force: false, retryFailed: false }, e.dataHashes, () => true).kept;
  const saved = new Set(current.map((r) => `${r.row.cell_id}/${r.row.seed}`));
  const runs = [...current, ...unsaved.filter((o) => !saved.has(`${o.row.cell_id}/${o.row.seed}`)).map((o) => ({ row: o.row, predictions: null, error: null }))];
  const order = new Map(sweep.cells.map((c, i) => [c.id, i]));
  runs.sort((a, b) => (order.get(String(a.row.cell_id)) ?? 0) - (order.get(String(b.row.cell_id)) ?? 0) || Number(a.row.seed) - Number(b.row.seed));
  const written = await writeResults(e.out, sweep.name, runs, sweep.cells, e.metadata, args['save-probabilities']);
  const rows = summary.outcomes.map((o) => o.row);
  const status = (s: string) => rows.filter((r) => r.status === s).length;
  // The exit code speaks for the whole table, rows kept from earlier runs included.
  const notOk = runs.filter((r) => r.row.status !== 'ok').map((r) => r.row);
  progress.end({ ok: status('ok'), failed: status('failed'), diverged: status('diverged'), skipped: e.kept.length, seconds: (Date.now() - started) / 1000 });
  if (e.progress !== 'json') io.out(written.summaryText);
  if (!args.quiet) io.err(`Wrote ${written.arrow}, ${written.csv}, ${written.summary}, ${written.predictions}.\n`);
  if (summary.stopped) {
    const left = summary.total - summary.outcomes.length;
    io.err(`Stopped ${interrupted !== undefined ? `by ${interrupted}` : 'at the first failure (--fail-fast)'}: ${left} of ${summary.total} runs did not finish; the tables hold what did. Run the same command again to resume.\n`);
  }
  const badCells = new Set(notOk.map((r) => r.cell_id)).size;
  if (badCells > 0) io.err(`${count(badCells, 'cell')} of the table had runs that did not finish ok (${count(notOk.length, 'row')}); see their 'error' column and ${join(e.out, 'errors.log')}.\n`);
  if (unsaved.length > 0) io.err(`${count(unsaved.length, 'row')} could not be saved to ${join(e.out, 'rows')}: in this run's tables, but a resume will run them again.\n`);
  return { failedCells: badCells + unsaved.length, interrupted };
}
