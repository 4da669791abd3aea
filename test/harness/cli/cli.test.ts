// Tests of the command pattern and the one mapping from outcomes and errors to exit codes and stderr text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../harness/cli/cli.js';
import { defineCommand, type CliIo, type CommandResult } from '../../../harness/cli/command.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeOfError, formatError } from '../../../harness/cli/exit-code.js';
import { ConfigError } from '../../../harness/validation/problems.js';
import { TokbenchError } from '../../../harness/errors.js';

function buffers(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

/** A command whose outcome the test chooses: a count of failed cells, or an error to throw. */
const fake = defineCommand<{ failed: number; throw: string | undefined }>({
  command: 'fake',
  describe: 'test command',
  builder: (yargs) => yargs.option('failed', { type: 'number', default: 0 }).option('throw', { type: 'string', choices: ['config', 'backend', 'not-fitted', 'crash'] }),
  async run(args, io): Promise<CommandResult> {
    io.out(`ran with ${args.failed}\n`);
    if (args.throw === 'config') throw new TokbenchError('unknown-name', "unknown backend 'gpu'");
    if (args.throw === 'backend') throw new TokbenchError('backend', 'no usable tfjs backend');
    if (args.throw === 'not-fitted') throw new TokbenchError('not-fitted', 'rank must be fitted before encode');
    if (args.throw === 'crash') throw new RangeError('boom');
    return { failedCells: args.failed };
  },
});

test('success is 0 and failed cells are 1', async () => {
  const ok = buffers();
  assert.equal(await runCli([fake], ['fake'], ok), EXIT_OK);
  assert.equal(ok.stdout, 'ran with 0\n');
  const failed = buffers();
  assert.equal(await runCli([fake], ['fake', '--failed', '3'], failed), EXIT_FAILED);
  assert.equal(failed.stderr, '');
});

test('usage errors (a backend that cannot run included) are 2, other tokbench errors and crashes are 1, each on stderr', async () => {
  const usage = buffers();
  assert.equal(await runCli([fake], ['fake', '--throw', 'config'], usage), EXIT_USAGE);
  assert.equal(usage.stderr, "tokbench: unknown backend 'gpu'\n");
  const backend = buffers();
  assert.equal(await runCli([fake], ['fake', '--throw', 'backend'], backend), EXIT_USAGE);
  assert.equal(backend.stderr, 'tokbench: no usable tfjs backend\n');
  const internal = buffers();
  assert.equal(await runCli([fake], ['fake', '--throw', 'not-fitted'], internal), EXIT_FAILED);
  assert.equal(internal.stderr, 'tokbench: rank must be fitted before encode\n');
  const crash = buffers();
  assert.equal(await runCli([fake], ['fake', '--throw', 'crash'], crash), EXIT_FAILED);
  assert.match(crash.stderr, /^tokbench: unexpected error\nRangeError: boom\n {4}at /);
});

test('a command line yargs rejects is a usage error', async () => {
  const io = buffers();
  assert.equal(await runCli([fake], ['fake', '--nope'], io), EXIT_USAGE);
  assert.equal(io.stderr, "tokbench: Unknown argument: nope\nRun 'tokbench --help' for the commands and their options.\n");
  assert.equal(io.stdout, '');
});

test('config errors print one line per problem and a count', () => {
  const error = new ConfigError([
    { code: 'config', path: ['version'], message: 'found 2; expected 1', location: { file: 'a.yaml', line: 2, col: 10 } },
    { code: 'invalid-param', path: ['train', 'lr'], message: 'found 2; expected at most 1', location: { file: 'a.yaml', line: 9, col: 14 } },
  ]);
  assert.equal(exitCodeOfError(error), EXIT_USAGE);
  assert.equal(formatError(error), 'a.yaml:2:10: version: found 2; expected 1\na.yaml:9:14: train.lr: found 2; expected at most 1\n2 problems found; nothing was run.\n');
});
