// Runs the command line with yargs 18: parses, dispatches to one Command, and returns the exit code.
import yargs, { type Argv } from 'yargs';
import { TokbenchError } from '../errors.js';
import { TOKBENCH_VERSION } from '../version.js';
import type { CliIo, Command, CommandResult } from './command.js';
import { exitCodeOf, exitCodeOfError, formatError } from './exit-code.js';

/** Never exits the process: the caller sets `process.exitCode` from the result. */
export async function runCli(commands: readonly Command[], argv: readonly string[], io: CliIo): Promise<number> {
  let result: CommandResult | void = undefined;
  const parser: Argv = yargs([...argv])
    .scriptName('tokbench')
    .usage('$0 <command> [options]\n\nBenchmark tokenization strategies by training a small transformer for every cell of a sweep.')
    .version(TOKBENCH_VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parse problems with a message; a handler's error arrives as `error`.
      if (message) throw new TokbenchError('invalid-param', `${message}\nRun 'tokbench --help' for the commands and their options.`);
      throw error;
    });
  parser.wrap(Math.min(110, parser.terminalWidth()));
  for (const command of commands) {
    command.register(parser, io, (outcome) => {
      result = outcome;
    });
  }
  try {
    await parser.parseAsync();
    return exitCodeOf(result);
  } catch (error) {
    io.err(formatError(error));
    return exitCodeOfError(error);
  }
}
