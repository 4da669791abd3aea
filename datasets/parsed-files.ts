// Data files read and parsed once per process while unchanged, so a reader's `describe` and `load` share one parse.
import { stat, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { TokbenchError } from '../harness/errors.js';

interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly parsed: Promise<unknown>;
}

/** By `kind` and absolute path; a changed size or mtime replaces the entry, so edits between sweeps are seen. */
const cache = new Map<string, Entry>();

/**
 * The result of `parse` on `file`'s text. Gzip input (by its magic bytes, whatever the extension) is
 * inflated, a UTF-8 byte order mark dropped. `kind` names the parser, so one file read two ways is cached
 * twice; `param` is the dataset parameter that named the file, the path of any read error. A failed parse
 * is not cached: the next call reports its own error.
 */
export function parseFileOnce<T>(file: string, kind: string, param: string, parse: (text: string) => T): Promise<T> {
  return parseBytesOnce(file, kind, param, (bytes) => {
    const text = bytes.toString('utf8');
    return parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  });
}

/** As `parseFileOnce`, for binary formats: `parse` gets the file's bytes, inflated when gzipped. */
export async function parseBytesOnce<T>(file: string, kind: string, param: string, parse: (bytes: Buffer) => T): Promise<T> {
  const { mtimeMs, size } = await stat(file).catch((error: unknown) => {
    throw unreadable(file, param, error);
  });
  const key = `${kind}\0${file}`;
  const known = cache.get(key);
  if (known !== undefined && known.mtimeMs === mtimeMs && known.size === size) return known.parsed as Promise<T>;
  const parsed = readBytes(file, param).then(parse);
  cache.set(key, { mtimeMs, size, parsed });
  parsed.catch(() => {
    if (cache.get(key)?.parsed === parsed) cache.delete(key);
  });
  return parsed;
}

async function readBytes(file: string, param: string): Promise<Buffer> {
  try {
    const bytes = await readFile(file);
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  } catch (error) {
    throw unreadable(file, param, error);
  }
}

function unreadable(file: string, param: string, error: unknown): TokbenchError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TokbenchError('input', `cannot read data file ${file} (${reason})`, [param]);
}
