// What the DNA file readers share about each record: the alphabet check (`on_invalid`), the shortest sample (`min_bases`) and cutting long sequences (`max_bases`, `on_long`).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';

/** Parameters every DNA file reader takes about its records, spread into its schema. */
export const recordParams = {
  on_invalid: z
    .enum(['error', 'skip', 'as-n'])
    .default('error')
    .describe(
      'A sequence with a character outside A, C, G, T, N (after upper-casing): `error` stops, naming the file, line and position; `skip` drops the record (counted as skipped); `as-n` reads each such character as N (the records and characters are counted). An empty sequence is an error, or dropped under `skip`.',
    ),
  min_bases: z
    .int()
    .min(1)
    .optional()
    .describe(
      'Shortest sample in bases: samples shorter than it (records, or the leftover last window of `on_long: windows`) are dropped and counted, records before the split and windows after it, so a 1-base tail never becomes a sample. At most `max_bases`. Default: no limit.',
    ),
  max_bases: z.int().min(1).optional().describe('Longest sample in bases; longer sequences are cut as `on_long` says. Default: no limit.'),
  on_long: z
    .enum(['truncate', 'windows'])
    .default('truncate')
    .describe(
      '`truncate` keeps a long sequence\'s first `max_bases` bases; `windows` cuts it into non-overlapping windows of `max_bases` (the last keeps whatever is left, unless shorter than `min_bases`) after the split, so all windows of a record stay on its side, each with its label and source row.',
    ),
};

export type OnInvalid = 'error' | 'skip' | 'as-n';
export type OnLong = 'truncate' | 'windows';

/** The record parameters that decide which records are kept. */
export interface RecordRules {
  readonly on_invalid: OnInvalid;
  readonly min_bases?: number;
}

/** The record parameters that decide how a kept record becomes samples. */
export interface CutRules {
  readonly min_bases?: number;
  readonly max_bases?: number;
  readonly on_long: OnLong;
}

/** A zod check of the record parameters: windows need a `max_bases` to cut by, and `min_bases` above it would drop every cut sample. */
export function checkCutParams(p: CutRules, ctx: z.RefinementCtx): void {
  if (p.on_long === 'windows' && p.max_bases === undefined) {
    ctx.addIssue({ code: 'custom', path: ['max_bases'], message: 'expected the window length in bases, which on_long: windows needs' });
  }
  if (p.min_bases !== undefined && p.max_bases !== undefined && p.min_bases > p.max_bases) {
    ctx.addIssue({ code: 'custom', path: ['min_bases'], message: `expected at most max_bases (${p.max_bases}), as every cut sample would be shorter` });
  }
}

/** One record as read, before any check. */
export interface RawRecord {
  /** Data row in its file, 0-based, counting records that will be dropped: the sample's `Split.index`. */
  readonly row: number;
  /** Where the record is, for messages: "file line 4" or "file record 'id' (line 7)". */
  readonly where: string;
  readonly sequence: string;
  readonly label: string;
  /**
   * Where the base at 0-based `position` is, for messages ("file line 9, column 3 (record 'id', base 70)");
   * without it a message gives `where` and the position in the sequence.
   */
  readonly baseAt?: (position: number) => string;
}

/** The records of one file that passed the checks, in file order. */
export interface Records {
  /** The file they came from (resolved), for messages. */
  readonly file: string;
  readonly rows: Int32Array;
  /** Upper case over A, C, G, T, N. */
  readonly sequences: readonly string[];
  readonly labels: readonly string[];
  /** Characters of each record read as N under `on_invalid: as-n` (0 for most). */
  readonly readAsN: Int32Array;
  /** Records dropped under `on_invalid: skip`. */
  readonly skipped: number;
  /** Records dropped as shorter than `min_bases`. */
  readonly short: number;
}

const INVALID = /[^ACGTN]/i;
const INVALID_ALL = /[^ACGTN]/gi;

/**
 * Upper-cases each record's sequence, applies `on_invalid` and drops records shorter than `min_bases`; an
 * empty label is an error whatever `on_invalid` says (a label is never guessed). `file` and `param` (the
 * parameter that named it) place the errors; a file left with no record is one too.
 */
export function checkRecords(raw: readonly RawRecord[], rules: RecordRules, file: string, param: string): Records {
  const rows: number[] = [];
  const sequences: string[] = [];
  const labels: string[] = [];
  const readAsN: number[] = [];
  let skipped = 0;
  let short = 0;
  for (const record of raw) {
    const checked = checkSequence(record, rules.on_invalid, param);
    if (checked === undefined) {
      skipped++;
      continue;
    }
    if (record.label === '') throw new TokbenchError('input', `${record.where}: the record has an empty label`, [param]);
    if (checked.sequence.length < (rules.min_bases ?? 0)) {
      short++;
      continue;
    }
    rows.push(record.row);
    sequences.push(checked.sequence);
    labels.push(record.label);
    readAsN.push(checked.readAsN);
  }
  if (rows.length === 0) {
    const why = [...(skipped > 0 ? [`${skipped} skipped under on_invalid: skip`] : []), ...(short > 0 ? [`${short} shorter than min_bases`] : [])];
    throw new TokbenchError('input', `${file} holds no usable record${why.length > 0 ? ` (${why.join(', ')})` : ''}`, [param]);
  }
  return { file, rows: Int32Array.from(rows), sequences, labels, readAsN: Int32Array.from(readAsN), skipped, short };
}

/** The sequence in upper case and how many of its characters were read as N, or undefined when `skip` drops it. */
function checkSequence({ sequence, where, baseAt }: RawRecord, onInvalid: OnInvalid, param: string): { sequence: string; readAsN: number } | undefined {
  if (sequence === '') {
    if (onInvalid === 'skip') return undefined;
    throw new TokbenchError('input', `${where}: the sequence is empty (on_invalid: skip drops such records)`, [param]);
  }
  const bad = sequence.search(INVALID);
  if (bad < 0) return { sequence: sequence.toUpperCase(), readAsN: 0 };
  if (onInvalid === 'skip') return undefined;
  if (onInvalid === 'as-n') {
    let readAsN = 0;
    // Replacing before upper-casing keeps positions: only ASCII letters are left to upper-case.
    const replaced = sequence.replace(INVALID_ALL, () => {
      readAsN++;
      return 'N';
    });
    return { sequence: replaced.toUpperCase(), readAsN };
  }
  const found = JSON.stringify(sequence[bad]);
  const place = baseAt === undefined ? `${where}: the sequence has ${found} at position ${bad + 1} (1-based)` : `${baseAt(bad)}: the sequence has ${found}`;
  throw new TokbenchError('input', `${place}, outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`, [param]);
}

/**
 * The samples one sequence gives: itself when it fits in `maxBases` (or there is no limit); else its first
 * `maxBases` bases (`truncate`) or its non-overlapping windows of `maxBases`, the last one whatever is left
 * (`windows`). Why keep a short last window here: dropping it would silently lose bases; a sweep that wants
 * no short tail sets `min_bases`, and the reader drops and counts such windows.
 */
export function cut(sequence: string, maxBases: number | undefined, onLong: OnLong): string[] {
  if (maxBases === undefined || sequence.length <= maxBases) return [sequence];
  if (onLong === 'truncate') return [sequence.slice(0, maxBases)];
  const windows: string[] = [];
  for (let start = 0; start < sequence.length; start += maxBases) windows.push(sequence.slice(start, start + maxBases));
  return windows;
}
