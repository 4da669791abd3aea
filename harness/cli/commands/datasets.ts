// `tokbench datasets`: every registered dataset with its modality, description and parameters.
import { MODALITIES, type Modality } from '../../../datasets/types.js';
import { defineCommand, type Command } from '../command.js';
import { listComponents } from '../component-list.js';

export const datasets: Command = defineCommand<{ modality: Modality | undefined; json: boolean }>({
  command: 'datasets',
  describe: 'List the datasets a sweep can name, with their parameters',
  builder: (yargs) =>
    yargs
      .option('modality', { choices: MODALITIES, describe: 'Only datasets of this modality' })
      .option('json', { type: 'boolean', default: false, describe: "Print each dataset's parameters as JSON Schema" })
      .example('$0 datasets --modality sequence', 'DNA datasets and their parameters'),
  async run({ modality, json }, io) {
    // Loaded on demand so other commands start without every dataset module.
    const { datasets: registry } = await import('../../../datasets/registry.js');
    listComponents(Object.values(registry), { modality, json }, io);
  },
});
