// `tokbench env`: which tfjs backend would run, why the others were not chosen, and the versions involved.
import { availableParallelism, cpus, totalmem } from 'node:os';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../backend/types.js';
import { defineCommand, type Command } from '../command.js';

interface EnvArgs {
  backend: BackendPreference;
  json: boolean;
}

export const env: Command = defineCommand<EnvArgs>({
  command: 'env',
  describe: 'Show the tfjs backend chosen (and why the others were not), whether a GPU is used, and versions',
  builder: (yargs) =>
    yargs
      .option('backend', { choices: BACKEND_PREFERENCES, default: 'auto' as BackendPreference, describe: 'Which preference to resolve, as `run --backend`' })
      .option('json', { type: 'boolean', default: false, describe: 'Print as JSON' })
      .example('$0 env', 'What `tokbench run` would use on this machine')
      .example('$0 env --backend tensorflow', 'Why the TensorFlow (tfjs-node-gpu / tfjs-node) backend is or is not available'),
  async run(args, io) {
    const { selectBackend } = await import('../../backend/select.js');
    const { TOKBENCH_VERSION, gitCommit } = await import('../../version.js');
    const backend = await selectBackend(args.backend);
    const facts = {
      tokbench: TOKBENCH_VERSION,
      gitCommit: gitCommit(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      backend,
    };
    if (args.json) {
      io.out(`${JSON.stringify(facts, null, 2)}\n`);
      return;
    }
    io.out(`backend     ${backend.name} (${backend.package})${backend.name === 'tensorflow' ? `, GPU ${backend.gpu ? 'in use' : 'NOT in use'}` : ', no GPU (this backend runs on the CPU)'}\n`);
    io.out(`tfjs        ${backend.tfjsVersion}\n`);
    io.out(`tokbench    ${facts.tokbench}${facts.gitCommit ? ` (${facts.gitCommit})` : ''}\n`);
    io.out(`node        ${facts.node} on ${facts.platform}, ${facts.cores} cores (${facts.cpu}), ${facts.memoryGiB} GiB\n`);
    io.out(`\nCandidates tried with --backend ${args.backend}, in order:\n`);
    for (const attempt of backend.tried) io.out(`  ${attempt.ok ? 'ok ' : 'no '} ${attempt.candidate.padEnd(28)} ${attempt.reason}\n`);
  },
});
