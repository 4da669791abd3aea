// Data files read and parsed once per process while unchanged, so a reader's `describe` and `load` share one parse.
import { readFileSync, statSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { TokbenchError } from '../harness/errors.js';

interface Entry {
  /** What the inputs looked like when the value was made (sizes and mtimes). */
  readonly stamp: string;
  readonly value: Promise<unknown>;
}

/** By key; an entry whose stamp no longer matches is replaced, so edits between sweeps are seen. */
const cache = new Map<string, Entry>();

/**
 * `make()` once per `key` while `stamp` (the inputs' sizes and mtimes) stays the same. A failed value is not
 * kept: the next call reports its own error. Readers of one file go through `parseFileOnce`; a reader of several
 * (the expression pipeline) keys and stamps them itself.
 */
export function onceWhileUnchanged<T>(key: string, stamp: string, make: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known !== undefined && known.stamp === stamp) return known.value as Promise<T>;
  const value = make();
  cache.set(key, { stamp, value });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

/**
 * The result of `parse` on `file`'s text. Gzip input (by its magic bytes, whatever the extension) is
 * inflated, a UTF-8 byte order mark dropped. `kind` names the parser, so one file read two ways is cached
 * twice; `param` is the dataset parameter that named the file, the path of any read error. A failed parse
 * is not cached: the next call reports its own error.
 */
export function parseFileOnce<T>(file: string, kind: string, param: string, parse: (text: string) => T): Promise<T> {
  return parseBytesOnce(file, kind, param, (bytes) => parse(textOf(bytes)));
}

/** As `parseFileOnce`, for binary formats: `parse` gets the file's bytes, inflated when gzipped. */
export async function parseBytesOnce<T>(file: string, kind: string, param: string, parse: (bytes: Buffer) => T): Promise<T> {
  const { mtimeMs, size } = await stat(file).catch((error: unknown) => {
    throw unreadable(file, param, error);
  });
  return onceWhileUnchanged(`${kind}\0${file}`, `${size}:${mtimeMs}`, () => readBytes(file, param).then(parse));
}

async function readBytes(file: string, param: string): Promise<Buffer> {
  try {
    return inflate(await readFile(file));
  } catch (error) {
    throw unreadable(file, param, error);
  }
}

interface SyncEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly parsed: unknown;
}

/** As `cache`, for `parseFileOnceSync`. */
const syncCache = new Map<string, SyncEntry>();

/**
 * As `parseFileOnce`, but synchronous, for code that must answer before anything loads and cannot wait: a
 * strategy's `check` and `create` reading a file its params name share one parse this way.
 */
export function parseFileOnceSync<T>(file: string, kind: string, param: string, parse: (text: string) => T): T {
  const { mtimeMs, size } = readSync(file, param, (path) => statSync(path));
  const key = `${kind}\0${file}`;
  const known = syncCache.get(key);
  if (known !== undefined && known.mtimeMs === mtimeMs && known.size === size) return known.parsed as T;
  const parsed = parse(textOf(readSync(file, param, (path) => inflate(readFileSync(path)))));
  syncCache.set(key, { mtimeMs, size, parsed });
  return parsed;
}

/** `read(file)`, a failure reported as the unreadable file named by `param`. */
function readSync<T>(file: string, param: string, read: (file: string) => T): T {
  try {
    return read(file);
  } catch (error) {
    throw unreadable(file, param, error);
  }
}

/** Gzip input (by its magic bytes, whatever the extension) inflated. */
function inflate(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** UTF-8 text without a byte order mark. */
function textOf(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function unreadable(file: string, param: string, error: unknown): TokbenchError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TokbenchError('input', `cannot read data file ${file} (${reason})`, [param]);
}
