// What the DNA file readers share about each record: the alphabet check (`on_invalid`) and cutting long sequences (`max_bases`, `on_long`).
import { z } from 'zod';
import { TokbenchError } from '../../harness/errors.js';

/** Parameters every DNA file reader takes about its records, spread into its schema. */
export const recordParams = {
  on_invalid: z
    .enum(['error', 'skip', 'as-n'])
    .default('error')
    .describe(
      'A sequence with a character outside A, C, G, T, N (after upper-casing): `error` stops, naming the file, line or record and position; `skip` drops the record (counted as `skipped`); `as-n` reads each such character as N. An empty sequence is an error, or dropped under `skip`.',
    ),
  max_bases: z.int().min(1).optional().describe('Longest sample in bases; longer sequences are cut as `on_long` says. Default: no limit.'),
  on_long: z
    .enum(['truncate', 'windows'])
    .default('truncate')
    .describe(
      '`truncate` keeps a long sequence\'s first `max_bases` bases; `windows` cuts it into non-overlapping windows of `max_bases` (the last keeps whatever is left) after the split, so all windows of a record stay on its side, each with its label and source row.',
    ),
};

export type OnInvalid = 'error' | 'skip' | 'as-n';
export type OnLong = 'truncate' | 'windows';

/** A zod check of `dataset`'s record parameters: windows need a `max_bases` to cut by. */
export function checkCutParams(dataset: string) {
  return (p: { readonly max_bases?: number; readonly on_long: OnLong }, ctx: z.RefinementCtx): void => {
    if (p.on_long === 'windows' && p.max_bases === undefined) {
      ctx.addIssue({ code: 'custom', path: ['max_bases'], message: `The 'max_bases' parameter of ${dataset} is required with on_long: windows, as the window length` });
    }
  };
}

/** One record as read, before any check. */
export interface RawRecord {
  /** Data row in its file, 0-based, counting records that will be skipped: the sample's `Split.index`. */
  readonly row: number;
  /** Where the record is, for messages: "file line 4" or "file record 'id' (line 7)". */
  readonly where: string;
  readonly sequence: string;
  readonly label: string;
}

/** The records of one file that passed the checks, in file order. */
export interface Records {
  /** The file they came from (resolved), for messages. */
  readonly file: string;
  readonly rows: Int32Array;
  /** Upper case over A, C, G, T, N. */
  readonly sequences: readonly string[];
  readonly labels: readonly string[];
  /** Records dropped under `on_invalid: skip`. */
  readonly skipped: number;
}

const INVALID = /[^ACGTN]/i;

/** Whether `text` reads as a DNA sequence: non-empty, only A, C, G, T, N in either case. */
export function isSequence(text: string): boolean {
  return text.length > 0 && !INVALID.test(text);
}

/**
 * Upper-cases each record's sequence and applies `on_invalid`; an empty label is an error whatever
 * `on_invalid` says (a label is never guessed). `file` and `param` (the parameter that named it) place
 * the errors; a file left with no record is one too.
 */
export function checkRecords(raw: readonly RawRecord[], onInvalid: OnInvalid, file: string, param: string): Records {
  const rows: number[] = [];
  const sequences: string[] = [];
  const labels: string[] = [];
  for (const record of raw) {
    const sequence = checkSequence(record, onInvalid, param);
    if (sequence === undefined) continue;
    if (record.label === '') throw new TokbenchError('input', `${record.where}: the record has an empty label`, [param]);
    rows.push(record.row);
    sequences.push(sequence);
    labels.push(record.label);
  }
  const skipped = raw.length - rows.length;
  if (rows.length === 0) {
    throw new TokbenchError('input', `${file} holds no usable record${skipped > 0 ? ` (all ${skipped} skipped under on_invalid: skip)` : ''}`, [param]);
  }
  return { file, rows: Int32Array.from(rows), sequences, labels, skipped };
}

/** The sequence in upper case, or undefined when `skip` drops it. */
function checkSequence({ sequence, where }: RawRecord, onInvalid: OnInvalid, param: string): string | undefined {
  if (sequence === '') {
    if (onInvalid === 'skip') return undefined;
    throw new TokbenchError('input', `${where}: the sequence is empty (on_invalid: skip drops such records)`, [param]);
  }
  const bad = sequence.search(INVALID);
  if (bad < 0) return sequence.toUpperCase();
  if (onInvalid === 'skip') return undefined;
  // Replacing before upper-casing keeps positions: only ASCII letters are left to upper-case.
  if (onInvalid === 'as-n') return sequence.replace(new RegExp(INVALID, 'gi'), 'N').toUpperCase();
  throw new TokbenchError(
    'input',
    `${where}: the sequence has ${JSON.stringify(sequence[bad])} at position ${bad + 1} (1-based), outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
    [param],
  );
}

/**
 * The samples one sequence gives: itself when it fits in `maxBases` (or there is no limit); else its first
 * `maxBases` bases (`truncate`) or its non-overlapping windows of `maxBases`, the last one whatever is left
 * (`windows`). Why keep a short last window: dropping it would silently lose bases, and a sweep that wants
 * equal lengths can set `max_bases` to divide its records' length.
 */
export function cut(sequence: string, maxBases: number | undefined, onLong: OnLong): string[] {
  if (maxBases === undefined || sequence.length <= maxBases) return [sequence];
  if (onLong === 'truncate') return [sequence.slice(0, maxBases)];
  const windows: string[] = [];
  for (let start = 0; start < sequence.length; start += maxBases) windows.push(sequence.slice(start, start + maxBases));
  return windows;
}
