// tokbench's own version and the git commit it runs from, for result provenance.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding tokbench's package.json: one up from harness/ when run from source, two up from dist/harness/ when compiled. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = [dirname(here), dirname(dirname(here))].find((dir) => existsSync(join(dir, 'package.json')));
  if (root === undefined) throw new Error(`tokbench: no package.json one or two folders above ${here}`);
  return root;
}

const root = packageRoot();

export const TOKBENCH_VERSION: string = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

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
