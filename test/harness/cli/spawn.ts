// Runs the tokbench CLI as a user does (a separate Node process) and writes throwaway sweep files.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node ...args` from the repository root, with `env` added to this process's environment. */
function nodeWith(env: Record<string, string>, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 64 * 2 ** 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

export function node(...args: string[]): Promise<Run> {
  return nodeWith({}, args);
}

export function tokbench(...args: string[]): Promise<Run> {
  return node('--import', 'tsx', 'harness/cli/main.ts', ...args);
}

/** The CLI with environment variables set, as a scheduler sets them. */
export function tokbenchWithEnv(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return nodeWith(env, ['--import', 'tsx', 'harness/cli/main.ts', ...args]);
}

/** A fresh temporary folder. */
export function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tokbench-test-'));
}

export async function sweepFile(lines: string[]): Promise<string> {
  const file = join(await scratchDir(), 'sweep.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}
