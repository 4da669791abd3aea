// `tokbench plan <config>`: every grid cell with its token counts and analytic MACs, without training.
import { availableParallelism } from 'node:os';
import { loadSweep } from '../../config/sweep.js';
import { encoderMacs, layoutInput } from '../../flops.js';
import type { Cell } from '../../grid/cell.js';
import type { Metrics } from '../../evaluators/types.js';
import { count, duration, engineering } from '../../results/format.js';
import { scalar } from '../../results/metrics.js';
import type { MetricName } from '../../results/metrics.js';
import { cellDescription } from '../cell-label.js';
import { defineCommand, type Command } from '../command.js';
import type { RunEstimate, runSeconds, wallSeconds } from '../../runner/estimate.js';
import { reconstructionWidth } from '../../model/encoder.js';
import { budgetText, type Budget, type Spend } from '../../training/budget.js';

interface PlanArgs {
  config: string;
  json: boolean;
  concurrency: number | undefined;
}

interface PlannedCell {
  readonly cell: Cell;
  readonly seeds: readonly number[];
  readonly metrics: Metrics;
  readonly estimate: RunEstimate;
}

/** A metric formatted, or '–' when absent. */
function shown(metrics: Metrics, name: MetricName, format: (v: number) => string): string {
  const v = scalar(metrics[name]);
  return v === null ? '–' : format(v);
}

/** `epochs=2: 120 steps`; `–` for a stage without a budget. */
function steps(budget: Budget, spend: Spend | null): string {
  return spend === null ? '–' : `${budgetText(budget)}: ${count(spend.steps, 'step')}`;
}

function table(planned: readonly PlannedCell[], machine: Machine): string {
  const header = ['cell', 'modality', 'dataset', 'strategy', 'strategy params and axes', 'seeds', 'tokens mean', 'p95', 'max', 'attention MACs', 'total MACs', 'pretrain', 'classify', 'time per run'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const { cell, seeds, metrics, estimate } of planned) {
    lines.push(`| ${[
      cell.id, cell.modality, cell.dataset.name, cell.strategy.name, cellDescription(cell) || '–', seeds.join(','),
      shown(metrics, 'tokens_mean', (v) => v.toFixed(1)), shown(metrics, 'tokens_p95', (v) => v.toFixed(0)), shown(metrics, 'tokens_max', (v) => v.toFixed(0)),
      shown(metrics, 'attention_macs', engineering), shown(metrics, 'total_macs', engineering),
      steps(cell.train.pretrain_budget, estimate.pretrain), steps(cell.train.classify_budget, estimate.classify), duration(machine.runSeconds(estimate.flops, machine.rate)),
    ].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Token statistics and MACs of a cell whose token count is known without data: every sample alike. */
function analytic(cell: Cell, tokens: number, layout: { valueDim: number; coordDim: number }): Metrics {
  const macs = encoderMacs(cell.model, layoutInput(layout, tokens));
  return { tokens_mean: tokens, tokens_p95: tokens, tokens_max: tokens, attention_macs: macs.scores + macs.weighted, total_macs: macs.total };
}

/** Where the estimate comes from: the matmul rate measured on the backend, and estimate.ts's wall-time model (loaded with tfjs, on demand). */
interface Machine {
  readonly rate: number;
  readonly processes: number;
  readonly backend: string;
  readonly wallSeconds: typeof wallSeconds;
  readonly runSeconds: typeof runSeconds;
}

/** `1.2T training FLOPs, about 3.4 min on 2 processes (backend wasm, matmuls at 30GFLOP/s)`. */
function estimateLine(estimates: readonly RunEstimate[], seeds: number, { rate, processes, backend, wallSeconds }: Machine): string {
  const flops = estimates.reduce((sum, e) => sum + e.flops, 0) * seeds;
  const seconds = wallSeconds(estimates.map((e) => ({ runs: seeds, flopsPerRun: e.flops })), rate, processes);
  return `${engineering(flops)} training FLOPs, about ${duration(seconds)} on ${count(processes, 'process', 'processes')} (backend ${backend}, matmuls at ${engineering(rate)}FLOP/s)`;
}

export const plan: Command = defineCommand<PlanArgs>({
  command: 'plan <config>',
  describe: 'How many runs a sweep has and about how long they take, then every grid cell with its token counts and analytic MACs, without training',
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the cells and their counts as JSON' })
      .option('concurrency', { type: 'number', describe: 'Worker processes the estimate assumes (default: one per core)' })
      .example('$0 plan configs/quickstart.yaml', 'What the quickstart will run and what each cell costs')
      .epilogue(
        'The first line comes at once: runs and an estimated wall time from analytic training FLOPs and a one-second matmul on this machine. ' +
          'Token counts and MACs are over the test split (MACs per sample of one forward pass, averaged over samples); where the count depends on the data (rank), the dataset is loaded and the tokenizer fitted on the training split. Nothing is trained.',
      ),
  async run(args, io) {
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(args.config, builtinComponents);
    const runs = sweep.cells.length * sweep.seeds.length;
    if (!args.json) io.out(`Sweep '${sweep.name}' (${sweep.file}): ${count(sweep.cells.length, 'cell')} × ${count(sweep.seeds.length, 'seed')} = ${count(runs, 'run')}.\n`);
    const { preflight } = await import('../../runner/preflight.js');
    const checked = await preflight(sweep);
    if (!args.json) for (const note of checked.notes) io.out(`Note: ${note}.\n`);
    const { estimateRun, measureMatmulRate, runSeconds, wallSeconds } = await import('../../runner/estimate.js');
    const { selectBackend } = await import('../../backend/select.js');
    const backend = await selectBackend('auto');
    const estimates = sweep.cells.map((cell) => estimateRun(cell, checked.shapeOf(cell)));
    const machine: Machine = { rate: measureMatmulRate(1), processes: args.concurrency ?? availableParallelism(), backend: backend.name, wallSeconds, runSeconds };
    const bounded = estimates.filter((e) => e.tokens !== 'exact').length;
    if (!args.json) {
      const bound = bounded > 0 ? `; ${count(bounded, 'cell')} counted at max_len or a guessed 256 tokens, an upper bound` : '';
      io.out(`Estimated ${estimateLine(estimates, sweep.seeds.length, machine)}${bound}.\n`);
    }
    const { prepareOnce } = await import('../../runner/prepare.js');
    const { tokenCounts } = await import('../../evaluators/tokens.js');
    const { cost } = await import('../../evaluators/cost.js');
    const planned: PlannedCell[] = [];
    for (const [i, cell] of sweep.cells.entries()) {
      const estimate = estimates[i];
      if (estimate.tokens === 'exact') {
        planned.push({ cell, seeds: sweep.seeds, metrics: analytic(cell, estimate.tokensPerSample, estimate.layout), estimate });
        continue;
      }
      const prepared = await prepareOnce(cell, sweep.seeds[0]);
      const context = { ...prepared, model: cell.model, train: cell.train, seed: sweep.seeds[0] };
      const metrics = { ...(await tokenCounts.evaluate(context)), ...(await cost.evaluate(context)) };
      const tokensMean = scalar(metrics.tokens_mean);
      const macsMean = scalar(metrics.total_macs);
      if (tokensMean !== null && macsMean !== null) estimates[i] = estimateRun(cell, checked.shapeOf(cell), { tokensMean, macsMean, headWidth: reconstructionWidth(prepared.strategy.layout) });
      planned.push({ cell, seeds: sweep.seeds, metrics, estimate: estimates[i] });
    }
    if (bounded > 0 && !args.json) io.out(`With the token counts of the encoded test split instead: ${estimateLine(estimates, sweep.seeds.length, machine)}.\n`);
    if (args.json) {
      const json = planned.map(({ cell, seeds, metrics, estimate }) => ({
        ...cell,
        seeds,
        ...metrics,
        estimated_flops_per_run: estimate.flops,
        estimated_seconds_per_run: runSeconds(estimate.flops, machine.rate),
        estimated_pretrain: estimate.pretrain,
        estimated_classify: estimate.classify,
      }));
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    io.out(table(planned, machine));
    io.out(
      '\nTokens and MACs over the test split; MACs are analytic, per sample, one encoder forward pass (MACs = multiply-accumulates; FLOPs = 2 × MACs). ' +
        "Steps: what each budget gives the run over the training split (exact for a fixed token count, else from the mean cost of a test sample); time per run: this machine's estimate, learning-rate trials included.\n",
    );
  },
});
