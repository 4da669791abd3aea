// `tokbench plan <config>`: every grid cell with its token counts and analytic MACs, without training.
import { loadSweep } from '../../config/sweep.js';
import type { Cell } from '../../grid/cell.js';
import type { Metrics } from '../../evaluators/types.js';
import { count, engineering } from '../../results/format.js';
import { scalar } from '../../results/metrics.js';
import type { MetricName } from '../../results/metrics.js';
import { defineCommand, type Command } from '../command.js';

interface PlanArgs {
  config: string;
  json: boolean;
}

interface PlannedCell {
  readonly cell: Cell;
  readonly seeds: readonly number[];
  readonly metrics: Metrics;
}

const compact = (params: Readonly<Record<string, unknown>>) => Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');

/** A metric formatted, or '–' when absent. */
function shown(metrics: Metrics, name: MetricName, format: (v: number) => string): string {
  const v = scalar(metrics[name]);
  return v === null ? '–' : format(v);
}

function table(planned: readonly PlannedCell[]): string {
  const header = ['cell', 'modality', 'dataset', 'strategy', 'strategy params', 'other axes', 'seeds', 'tokens mean', 'p95', 'max', 'attention MACs', 'total MACs'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const { cell, seeds, metrics } of planned) {
    const otherAxes = Object.entries(cell.axes).filter(([k]) => !k.startsWith('strategy.')).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    lines.push(`| ${[
      cell.id, cell.modality, cell.dataset.name, cell.strategy.name, compact(cell.strategy.params), otherAxes || '–', seeds.join(','),
      shown(metrics, 'tokens_mean', (v) => v.toFixed(1)), shown(metrics, 'tokens_p95', (v) => v.toFixed(0)), shown(metrics, 'tokens_max', (v) => v.toFixed(0)),
      shown(metrics, 'attention_macs', engineering), shown(metrics, 'total_macs', engineering),
    ].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export const plan: Command = defineCommand<PlanArgs>({
  command: 'plan <config>',
  describe: 'List every grid cell (id, dataset, strategy, params, seeds) with its token counts and analytic MACs, without training',
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the cells and their counts as JSON' })
      .example('$0 plan configs/quickstart.yaml', 'What the quickstart will run and what each cell costs')
      .epilogue('Token counts and MACs are over the test split (MACs per sample of one forward pass, averaged over samples). Datasets are loaded and tokenizers fitted on the training split; nothing is trained.'),
  async run(args, io) {
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(args.config, builtinComponents);
    const { prepareOnce } = await import('../../runner/prepare.js');
    const { tokenCounts } = await import('../../evaluators/tokens.js');
    const { cost } = await import('../../evaluators/cost.js');
    const planned: PlannedCell[] = [];
    for (const cell of sweep.cells) {
      const prepared = await prepareOnce(cell.dataset, cell.strategy);
      const context = { ...prepared, model: cell.model, train: cell.train, seed: sweep.seeds[0] };
      planned.push({ cell, seeds: sweep.seeds, metrics: { ...(await tokenCounts.evaluate(context)), ...(await cost.evaluate(context)) } });
    }
    if (args.json) {
      io.out(`${JSON.stringify(planned.map(({ cell, seeds, metrics }) => ({ ...cell, seeds, ...metrics })), null, 2)}\n`);
      return;
    }
    io.out(`Sweep '${sweep.name}' (${sweep.file}): ${count(sweep.cells.length, 'cell')} × ${count(sweep.seeds.length, 'seed')} = ${count(sweep.cells.length * sweep.seeds.length, 'run')}. Cells pair datasets and strategies of the same modality only.\n\n`);
    io.out(table(planned));
    io.out('\nTokens and MACs over the test split; MACs are analytic, per sample, one encoder forward pass (MACs = multiply-accumulates; FLOPs = 2 × MACs).\n');
  },
});
