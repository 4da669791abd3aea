// The tokbench command line: the list of commands, one module each; cli.ts alone turns outcomes into exit codes.
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';
import type { CliIo, Command } from './command.js';
import { compare } from './commands/compare.js';
import { datasets } from './commands/datasets.js';
import { env } from './commands/env.js';
import { flops } from './commands/flops.js';
import { merge } from './commands/merge.js';
import { plan } from './commands/plan.js';
import { run } from './commands/run.js';
import { strategies } from './commands/strategies.js';
import { tokenize } from './commands/tokenize.js';
import { validate } from './commands/validate.js';

const commands: readonly Command[] = [run, merge, compare, plan, validate, tokenize, flops, strategies, datasets, env];

const io: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

process.exitCode = await runCli(commands, hideBin(process.argv), io);
