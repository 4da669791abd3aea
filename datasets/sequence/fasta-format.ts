// FASTA text to records (Pearson & Lipman 1988; NCBI's format description): a '>' header line, then any number of sequence lines.
import { TokbenchError } from '../../harness/errors.js';

export interface FastaRecord {
  /** The header's first whitespace-separated word, as NCBI and samtools read it. */
  readonly id: string;
  /** The header line after '>', trimmed. */
  readonly header: string;
  /** Sequence lines joined, whitespace removed, case kept. */
  readonly sequence: string;
  /** Line of the header, 1-based. */
  readonly line: number;
}

/**
 * Records in file order. Blank lines and ';' comment lines are ignored; a sequence line before the first
 * header is an error naming its line (the file is likely not FASTA). Written by hand: the format is a
 * dozen lines of rules, and the npm FASTA parsers are unmaintained or stream-only.
 */
export function parseFasta(text: string, file: string, param: string): FastaRecord[] {
  const records: FastaRecord[] = [];
  let open: { id: string; header: string; line: number; parts: string[] } | undefined;
  const close = () => {
    if (open !== undefined) records.push({ id: open.id, header: open.header, sequence: open.parts.join(''), line: open.line });
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('>')) {
      close();
      const header = line.slice(1).trim();
      const id = header.split(/\s+/, 1)[0];
      if (id === '') throw new TokbenchError('input', `${file} line ${i + 1}: a record header without an id`, [param]);
      open = { id, header, line: i + 1, parts: [] };
    } else if (line !== '' && !line.startsWith(';')) {
      if (open === undefined) throw new TokbenchError('input', `${file} line ${i + 1}: sequence before the first '>' header; is this a FASTA file?`, [param]);
      open.parts.push(line.replace(/\s+/g, ''));
    }
  });
  close();
  return records;
}
