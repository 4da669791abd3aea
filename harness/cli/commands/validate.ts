// `tokbench validate <config>`: checks a sweep file and reports every problem with file:line:col.
import { MODALITIES } from '../../../datasets/types.js';
import { loadSweep } from '../../config/sweep.js';
import { count } from '../../results/format.js';
import { defineCommand, type Command } from '../command.js';

export const validate: Command = defineCommand<{ config: string }>({
  command: 'validate <config>',
  describe: 'Check a sweep file against its schema and its data (sizes, k against the shortest sequence, patches against the image): report every problem with its line and column, or count its cells',
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .example('$0 validate configs/quickstart.yaml', 'Count the cells of each modality')
      .epilogue('Exit code 2 when the file has problems; 0 when it is valid.'),
  async run({ config }, io) {
    // Loaded on demand: the registries pull in every strategy and dataset module.
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(config, builtinComponents);
    const { preflight } = await import('../../runner/preflight.js');
    await preflight(sweep);
    const seeds = sweep.seeds.length;
    const cells = sweep.cells.length;
    io.out(`${config}: sweep '${sweep.name}' is valid: ${count(cells, 'cell')} × ${count(seeds, 'seed')} = ${count(cells * seeds, 'run')}\n`);
    for (const modality of MODALITIES) {
      const inModality = sweep.cells.filter((cell) => cell.modality === modality).length;
      if (inModality > 0) io.out(`  ${modality.padEnd(12)}${count(inModality, 'cell')}\n`);
    }
  },
});
