// FASTA text to records (Pearson & Lipman 1988; NCBI's format description): a '>' header line, then any number of sequence lines.
import { TokbenchError } from '../../harness/errors.js';

export interface FastaRecord {
  /** The header's first whitespace-separated word, as NCBI and samtools read it; the description after it is not kept. */
  readonly id: string;
  /** Sequence lines joined, whitespace removed, case kept. */
  readonly sequence: string;
  /** Line of the header, 1-based. */
  readonly line: number;
  /**
   * Where the sequence's bases sit in the file, so a message can name a base's line and column: one
   * (file line, 1-based column, index in `sequence` of its first base) triple per run of bases between
   * whitespace, in order.
   */
  readonly runs: Int32Array;
}

/**
 * Records in file order. Blank lines and ';' comment lines are ignored; a sequence line before the first
 * header is an error naming its line (the file is likely not FASTA). Written by hand: the format is a
 * dozen lines of rules, and the npm FASTA parsers are unmaintained or stream-only.
 */
export function parseFasta(text: string, file: string, param: string): FastaRecord[] {
  const records: FastaRecord[] = [];
  let open: { id: string; line: number; parts: string[]; runs: number[]; length: number } | undefined;
  const close = () => {
    if (open !== undefined) records.push({ id: open.id, sequence: open.parts.join(''), line: open.line, runs: Int32Array.from(open.runs) });
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('>')) {
      close();
      const id = line.slice(1).trim().split(/\s+/, 1)[0];
      if (id === '') throw new TokbenchError('input', `${file} line ${i + 1}: a record header without an id`, [param]);
      open = { id, line: i + 1, parts: [], runs: [], length: 0 };
    } else if (line !== '' && !line.startsWith(';')) {
      if (open === undefined) throw new TokbenchError('input', `${file} line ${i + 1}: sequence before the first '>' header; is this a FASTA file?`, [param]);
      for (const run of raw.matchAll(/\S+/g)) {
        open.runs.push(i + 1, run.index + 1, open.length);
        open.parts.push(run[0]);
        open.length += run[0].length;
      }
    }
  });
  close();
  return records;
}

/** File line and 1-based column of base `position` (0-based) of the record's sequence. */
export function basePlace(record: Pick<FastaRecord, 'runs'>, position: number): { line: number; column: number } {
  const { runs } = record;
  // The last run starting at or before `position`, by binary search over the runs' start indices.
  let lo = 0;
  let hi = runs.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid * 3 + 2] <= position) lo = mid;
    else hi = mid - 1;
  }
  return { line: runs[lo * 3], column: runs[lo * 3 + 1] + position - runs[lo * 3 + 2] };
}
