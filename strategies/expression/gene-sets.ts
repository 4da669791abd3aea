// Gene sets from a GMT file (MSigDB's format: name<TAB>description<TAB>gene…, one set per line), matched to a dataset's panel as TOSICA's pathway tokens (Chen et al. 2023) are.
import { parseFileOnceSync } from '../../datasets/parsed-files.js';
import { TokbenchError } from '../../harness/errors.js';

/** The strategy parameter that names the file: the path of every error about it. */
const PARAM = 'gene_sets';

/** One line of the file as written. */
interface WrittenSet {
  readonly name: string;
  readonly genes: readonly string[];
}

/** The sets that name panel genes, with how many did not. */
export interface GeneSets {
  /** Each kept set's name, in file order. */
  readonly names: readonly string[];
  /** Each kept set's panel genes: ascending, distinct indices. A gene named by several sets is in each of them. */
  readonly members: readonly Int32Array[];
  /** Sets of the file naming no gene of the panel, dropped. */
  readonly setsDropped: number;
}

/**
 * Every set of a GMT text. Lines are split on tabs only (gene symbols never hold one); blank lines are skipped,
 * and so are empty gene fields (many GMT files end their lines with a tab). The description is not read. A set
 * name must be given once: two sets under one name would make the module labels ambiguous.
 */
function parseGmt(text: string, file: string): WrittenSet[] {
  const sets: WrittenSet[] = [];
  const lineOf = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const fields = raw.replace(/\r$/, '').split('\t');
    const name = fields[0].trim();
    const fail = (found: string, expected: string) => new TokbenchError('input', `${file} line ${line}: found ${found}; expected ${expected}`, [PARAM]);
    if (fields.length < 2) throw fail('no tab', 'a set name, a description and its genes, separated by tabs (GMT)');
    if (name === '') throw fail('an empty set name', 'a set name, a description and its genes, separated by tabs (GMT)');
    const first = lineOf.get(name);
    if (first !== undefined) throw fail(`set '${name}' again (first on line ${first})`, 'each set name once');
    lineOf.set(name, line);
    sets.push({ name, genes: fields.slice(2).map((gene) => gene.trim()).filter((gene) => gene !== '') });
  });
  return sets;
}

/**
 * The sets matched to `panel` by gene name (exact and case-sensitive: symbols differ in case between species).
 * A set naming no panel gene is dropped and counted (TOSICA also drops sets of four panel genes or fewer; we keep
 * any set with one); a file naming no panel gene at all is an `input` error.
 */
function matchGeneSets(sets: readonly WrittenSet[], panel: readonly string[], file: string): GeneSets {
  const columns = new Map<string, number[]>();
  // A name the panel holds twice (uncommon, but nothing forbids it) matches both genes.
  panel.forEach((gene, g) => columns.set(gene, [...(columns.get(gene) ?? []), g]));
  const names: string[] = [];
  const members: Int32Array[] = [];
  for (const set of sets) {
    const genes = new Set(set.genes.flatMap((gene) => columns.get(gene) ?? []));
    if (genes.size === 0) continue;
    names.push(set.name);
    members.push(Int32Array.from(genes).sort());
  }
  if (names.length === 0) {
    const examples = (genes: readonly string[]) => genes.slice(0, 3).map((gene) => `'${gene}'`).join(', ');
    const named = [...new Set(sets.flatMap((set) => set.genes))];
    throw new TokbenchError(
      'input',
      `${file}: found none of the dataset's ${panel.length} genes among the ${named.length} genes of its ${sets.length} sets${named.length > 0 ? ` (such as ${examples(named)})` : ''}; expected genes by the dataset's gene names (such as ${examples(panel)})`,
      [PARAM],
    );
  }
  return { names, members, setsDropped: sets.length - names.length };
}

/**
 * The GMT file's sets over `panel`, read synchronously (a strategy's `check` and `create` are) and parsed once
 * per process while unchanged, so `check`, before the sweep runs, and `create` share the parse.
 */
export function readGeneSets(file: string, panel: readonly string[]): GeneSets {
  return matchGeneSets(parseFileOnceSync(file, 'gene-sets', PARAM, (text) => parseGmt(text, file)), panel, file);
}
