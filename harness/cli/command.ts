// The command-module pattern of the CLI: one file per command, each exporting one Command (after yargs' command modules).
import type { ArgumentsCamelCase, Argv } from 'yargs';

/** Where a command writes; the CLI passes the process's streams, tests may pass buffers. */
export interface CliIo {
  /** The command's output (tables, JSON), one call per chunk of text ending in a newline. */
  out(text: string): void;
  /** Progress and diagnostics. */
  err(text: string): void;
}

export interface CommandResult {
  /** Cells that failed (rows with an error status), or runs missing from a merge; any makes the exit code 1. */
  readonly failedCells: number;
  /** The signal that stopped the command early (exit 128 + its number). */
  readonly interrupted?: 'SIGINT' | 'SIGTERM';
  /** A quality metric got worse beyond its seed interval (`compare`): exit 3, so CI can alert. */
  readonly regression?: boolean;
}

/** What a command file declares; `A` are its arguments as declared (kebab-case option names). */
export interface CommandSpec<A> {
  /** yargs command syntax: `validate <config>`. */
  readonly command: string;
  readonly describe: string;
  /** Declares the options, positionals and examples; yargs builds `--help` from them. */
  readonly builder: (yargs: Argv) => Argv<A>;
  /** Does the work; throws TokbenchError for bad input and never exits the process. */
  readonly run: (args: ArgumentsCamelCase<A>, io: CliIo) => Promise<CommandResult | void>;
}

/** A command with its argument type sealed inside, so commands of any arguments share one list. */
export interface Command {
  readonly command: string;
  /** Adds the command to `parser`; its handler hands `run`'s result to `done`. */
  register(parser: Argv, io: CliIo, done: (result: CommandResult | void) => void): Argv;
}

export function defineCommand<A>(spec: CommandSpec<A>): Command {
  return {
    command: spec.command,
    register: (parser, io, done) =>
      parser.command(spec.command, spec.describe, spec.builder, async (args) => {
        done(await spec.run(args, io));
      }),
  };
}
