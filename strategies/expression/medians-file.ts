// Gene medians from a gene<TAB>median file, standing in for medians fitted on the training split as Geneformer's `gene_median_file` (geneformer/tokenizer.py, TranscriptomeTokenizer) holds its corpus's.
import { parseTable } from '../../datasets/csv-table.js';
import { parseFileOnceSync } from '../../datasets/parsed-files.js';
import { TokbenchError } from '../../harness/errors.js';

/** The strategy parameter that names the file: the path of every error about it. */
const PARAM = 'medians';

/** A decimal number, or one of Python's `float()` words (`nan`, `inf`), so a first line holding those is read as data and refused, never taken for a header. */
const NUMBER = /^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|nan|inf|infinity)$/i;

/**
 * Median by gene name. Parsed by csv-parse (`parseTable`: tab-separated when the first line holds a tab), so
 * every line must have the first line's field count, which must be two. A first line whose second field is not
 * a number is a header, whatever it says. Each median must be a positive finite number (Geneformer divides by
 * it), and each gene appear once.
 */
function parseMedians(text: string, file: string): ReadonlyMap<string, number> {
  const { rows, lines } = parseTable(text, file, PARAM);
  const fail = (row: number, found: string, expected: string) => new TokbenchError('input', `${file} line ${lines[row]}: found ${found}; expected ${expected}`, [PARAM]);
  if (rows.length > 0 && rows[0].length !== 2) throw fail(0, `${rows[0].length} field${rows[0].length === 1 ? '' : 's'}`, '2, gene<TAB>median');
  const first = rows.length > 0 && !NUMBER.test(rows[0][1].trim()) ? 1 : 0;
  const medians = new Map<string, number>();
  const rowOf = new Map<string, number>();
  for (let row = first; row < rows.length; row++) {
    const gene = rows[row][0].trim();
    const field = rows[row][1].trim();
    const median = Number(field);
    if (gene === '') throw fail(row, 'an empty gene name', 'gene<TAB>median');
    if (!(NUMBER.test(field) && median > 0 && median < Infinity)) throw fail(row, `median '${field}' for gene '${gene}'`, 'a positive finite number');
    const earlier = rowOf.get(gene);
    if (earlier !== undefined) throw fail(row, `gene '${gene}' again (first on line ${lines[earlier]})`, 'each gene once');
    medians.set(gene, median);
    rowOf.set(gene, row);
  }
  if (medians.size === 0) throw new TokbenchError('input', `${file}: found no gene<TAB>median line; expected one line per gene`, [PARAM]);
  return medians;
}

/**
 * Each panel gene's median from `file`, by name (exact and case-sensitive), and 0 for a gene the file does not
 * name: rank drops those genes, as Geneformer drops genes outside its dictionary. Read synchronously and parsed
 * once per process while the file is unchanged, so `check` and `create` share the parse. A file naming no gene of
 * the panel is an `input` error.
 */
export function panelMedians(file: string, panel: readonly string[]): Float64Array {
  const byGene = parseFileOnceSync(file, 'medians', PARAM, (text) => parseMedians(text, file));
  const medians = Float64Array.from(panel, (gene) => byGene.get(gene) ?? 0);
  if (medians.some((median) => median > 0)) return medians;
  const examples = (names: Iterable<string>) => Array.from(names).slice(0, 3).map((gene) => `'${gene}'`).join(', ');
  throw new TokbenchError(
    'input',
    `${file}: found none of the dataset's ${panel.length} genes among its ${byGene.size} (such as ${examples(byGene.keys())}); expected genes by the dataset's gene names (such as ${examples(panel)})`,
    [PARAM],
  );
}
