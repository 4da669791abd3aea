// `tokbench compare <dir> --with <previous>`: what changed between two results folders, beyond seed noise.
import { TokbenchError } from '../../errors.js';
import { defineCommand, type Command } from '../command.js';

interface CompareArgs {
  dir: string;
  with: string;
  'strict-cost': boolean;
  alpha: number;
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
      .option('alpha', { type: 'number', default: 0.05, describe: 'Chance, over all the tests of the comparison together, of flagging a change that is only seed noise (Holm\'s correction)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the comparison as JSON instead of Markdown' })
      .example('$0 compare results/nightly/2025-06-02 --with results/nightly/2025-06-01', "Today's nightly against yesterday's")
      .example('$0 compare results/after --with results/before --strict-cost', 'Fail on slower training too')
      .epilogue(
        'Rows join on their `config` column (the parameters that differ from their defaults), never on cell_id, so a parameter tokbench gains with a ' +
          'default keeps history comparable. For each configuration in both folders and each metric averaged over seeds with a better direction, the ' +
          "change is tested with Welch's t-test over the ok rows (a side with one row borrows the other side's sd; with one row on each side " +
          'a change is shown but never flagged, as is a measured cost with no spread over seeds), and all the tests together are held to --alpha by Holm\'s step-down correction; ' +
          'the 95% interval of each change is shown beside it. Exit code 3 when a quality (computed) metric got worse or runs fail that did not, or a cost got worse with --strict-cost; ' +
          '2 for an unusable folder or two folders with no configuration in common; 0 otherwise.',
      ),
  async run(args, io) {
    const { compareRows, formatComparison, readResultRows } = await import('../../results/compare.js');
    if (!(args.alpha > 0 && args.alpha < 1)) throw new TokbenchError('invalid-param', `The 'alpha' option of compare must be between 0 and 1; got ${args.alpha} instead.`, ['alpha']);
    const options = { strictCost: args['strict-cost'], alpha: args.alpha };
    const [current, previous] = await Promise.all([readResultRows(args.dir), readResultRows(args.with)]);
    const comparison = compareRows(current, previous, options);
    // Nothing in common is a wrong folder (another sweep, a renamed one), not a night without regressions.
    if (comparison.matched === 0) {
      throw new TokbenchError('input', `'${args.dir}' and '${args.with}' have no configuration in common (${comparison.added.length} only in the first, ${comparison.removed.length} only in the second): nothing to compare`, ['with']);
    }
    io.out(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison, { current: args.dir, previous: args.with }, options));
    return { failedCells: 0, regression: comparison.regression };
  },
});
