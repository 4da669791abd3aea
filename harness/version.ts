// tokbench's own version and the git commit it runs from, for result provenance.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export const TOKBENCH_VERSION: string = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;

/** HEAD of the checkout tokbench runs from, with `-dirty` when it has uncommitted changes; null outside git. */
export function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty === '' ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}
