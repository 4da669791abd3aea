// The gene-id channel of expression tokens: <pad> 0, <mask> 1, then gene g of the dataset's panel as 2 + g (Geneformer V1's layout, panel order for its Ensembl order).
import type { InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';

/** The specials that open every channel of these strategies, gene ids and value bins alike. */
export const SPECIALS: readonly string[] = ['<pad>', '<mask>'];
export const FIRST_GENE = SPECIALS.length;

/** Panel index of a gene id; -1 for a special. An id past the panel is an input error naming `strategy`. */
export function geneOfId(strategy: string, info: InfoOf['expression'], id: number): number {
  if (id >= 0 && id < FIRST_GENE) return -1;
  const g = id - FIRST_GENE;
  if (!(g >= 0 && g < info.genes.length)) {
    throw new TokbenchError('input', `${strategy}: found gene id ${id}; expected an id in [0, ${FIRST_GENE + info.genes.length}) for a panel of ${info.genes.length} genes`);
  }
  return g;
}

/** What a gene id reads as: a special's name or the gene's. */
export function geneIdLabel(strategy: string, info: InfoOf['expression'], id: number): string {
  const g = geneOfId(strategy, info, id);
  return g < 0 ? SPECIALS[id] : info.genes[g];
}
