// `tokbench strategies`: every registered tokenization strategy with its modality, description and parameters.
import { MODALITIES, type Modality } from '../../../datasets/types.js';
import { defineCommand, type Command } from '../command.js';
import { listComponents } from '../component-list.js';

export const strategies: Command = defineCommand<{ modality: Modality | undefined; json: boolean }>({
  command: 'strategies',
  describe: 'List the tokenization strategies a sweep can name, with their parameters',
  builder: (yargs) =>
    yargs
      .option('modality', { choices: MODALITIES, describe: 'Only strategies for this modality' })
      .option('json', { type: 'boolean', default: false, describe: "Print each strategy's parameters as JSON Schema" })
      .example('$0 strategies --modality image', 'Image tokenizers and their parameters'),
  async run({ modality, json }, io) {
    // Loaded on demand so other commands start without every strategy module.
    const { strategies: registry } = await import('../../../strategies/registry.js');
    listComponents(Object.values(registry), { modality, json }, io);
  },
});
