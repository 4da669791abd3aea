// SHA-256 of the data files a result row depends on, streamed with node:crypto, so a row names the exact data it saw.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TokbenchError } from './errors.js';

interface CachedDigest {
  readonly size: number;
  readonly mtimeMs: number;
  readonly digest: string;
}

/** Each file's hex digest, valid while its size and modification time stay the same. */
const cache = new Map<string, CachedDigest>();

/**
 * 16 hex digits of the SHA-256 over each file's own SHA-256 (hex, then '\n'), taken in sorted path
 * order; '' for no files. A file that cannot be read throws an `input` TokbenchError naming it.
 */
export async function hashFiles(files: readonly string[]): Promise<string> {
  if (files.length === 0) return '';
  const combined = createHash('sha256');
  // Paths only order the digests and are not hashed, so the same data installed elsewhere hashes the same.
  for (const file of [...files].sort()) combined.update(`${await fileDigest(file)}\n`);
  return combined.digest('hex').slice(0, 16);
}

async function fileDigest(file: string): Promise<string> {
  try {
    const { size, mtimeMs } = await stat(file);
    const known = cache.get(file);
    if (known !== undefined && known.size === size && known.mtimeMs === mtimeMs) return known.digest;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk);
    const digest = hash.digest('hex');
    cache.set(file, { size, mtimeMs, digest });
    return digest;
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new TokbenchError('input', `cannot read data file ${file} to hash it (${reason})`, ['data', file]);
  }
}
