// `tokbench compare <dir> --with <previous>`: what changed between two results folders, beyond seed noise.
import { defineCommand, type Command } from '../command.js';

interface CompareArgs {
  dir: string;
  with: string;
  'strict-cost': boolean;
  json: boolean;
}

export const compare: Command = defineCommand<CompareArgs>({
  command: 'compare <dir>',
  describe: 'Compare a results folder with an earlier one, configuration by configuration; exit 3 when a quality metric got worse',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', demandOption: true, describe: 'Results folder to judge' })
      .option('with', { type: 'string', demandOption: true, describe: 'Earlier results folder to compare against' })
      .option('strict-cost', { type: 'boolean', default: false, describe: 'Costs that got worse (times, memory, MACs) are a regression too' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the comparison as JSON instead of Markdown' })
      .example('$0 compare results/nightly/2025-06-02 --with results/nightly/2025-06-01', "Today's nightly against yesterday's")
      .example('$0 compare results/after --with results/before --strict-cost', 'Fail on slower training too')
      .epilogue(
        'Rows join on their `config` column (the parameters that differ from their defaults), never on cell_id, so a parameter tokbench gains with a ' +
          'default keeps history comparable. For each configuration in both folders and each metric averaged over seeds with a better direction, the ' +
          "95% Welch interval of after − before over the ok rows is computed (a side with one row borrows the other side's sd; with one row on each side " +
          'a change is shown but never flagged, as is a measured cost with no spread over seeds). A change is flagged when the interval excludes 0 on the worse side. Exit code 3 when a quality (computed) ' +
          'metric got worse or runs fail that did not, or a cost got worse with --strict-cost; 2 for an unusable folder; 0 otherwise.',
      ),
  async run(args, io) {
    const { compareRows, formatComparison, readResultRows } = await import('../../results/compare.js');
    const options = { strictCost: args['strict-cost'] };
    const [current, previous] = await Promise.all([readResultRows(args.dir), readResultRows(args.with)]);
    const comparison = compareRows(current, previous, options);
    io.out(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison, { current: args.dir, previous: args.with }, options));
    return { failedCells: 0, regression: comparison.regression };
  },
});
