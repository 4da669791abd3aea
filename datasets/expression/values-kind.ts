// What an expression source's values are (counts, normalised, log1p, scaled): checked finite, detected from the values or taken from `values`, and refused when the data contradicts it.
import { TokbenchError } from '../../harness/errors.js';
import type { ExpressionValues } from '../types.js';
import type { CellMatrix } from './cell-matrix.js';

/**
 * Largest value read as log1p rather than normalised. log1p of counts per 10,000 never exceeds
 * log1p(10⁴) ≈ 9.2 and of counts per million log1p(10⁶) ≈ 13.8, while normalised values reach the
 * hundreds or thousands in any cell with a dominant gene; 20 leaves room above both.
 */
export const LOG1P_MAX = 20;

/** The `values` parameter: a kind, or `auto` to detect it. */
export type ValuesChoice = ExpressionValues | 'auto';

/** A stored value, by its cell (matrix row) and gene (column). */
interface Position {
  readonly cell: number;
  readonly gene: number;
  readonly value: number;
}

/** What the stored values look like over the whole matrix, before any cell or gene is dropped. */
interface Survey {
  readonly min: number;
  readonly max: number;
  readonly firstNegative?: Position;
  readonly firstNonInteger?: Position;
}

/** The kind of the values and the sentence `info.valuesSource` carries. */
export interface ValuesKind {
  readonly kind: ExpressionValues;
  readonly source: string;
}

/** "cell 'AAAC-1' (the 4th cell of the source, counting from 1)", for messages. */
export function cellAt(matrix: CellMatrix, cell: number): string {
  return `cell '${matrix.cells[cell]}' (cell ${cell + 1} of the source, counting from 1)`;
}

/** "cell 'AAAC-1' (cell 4 of the source, counting from 1) and gene 'CD3E'", for messages. */
function cellAndGene(matrix: CellMatrix, cell: number, gene: number): string {
  return `${cellAt(matrix, cell)} and gene '${matrix.genes[gene]}'`;
}

/** Min, max and the first negative and non-integer values; throws at the first non-finite one. */
function survey(matrix: CellMatrix, dataset: string): Survey {
  const { indptr, indices, data } = matrix;
  let min = Infinity;
  let max = -Infinity;
  let firstNegative: Position | undefined;
  let firstNonInteger: Position | undefined;
  for (let cell = 0; cell + 1 < indptr.length; cell++) {
    for (let k = indptr[cell]; k < indptr[cell + 1]; k++) {
      const value = data[k];
      if (!Number.isFinite(value)) {
        throw new TokbenchError('input', `${dataset}: found ${value} for ${cellAndGene(matrix, cell, indices[k])} in ${matrix.origin}; expected finite values`, ['path']);
      }
      min = Math.min(min, value);
      max = Math.max(max, value);
      if (value < 0 && firstNegative === undefined) firstNegative = { cell, gene: indices[k], value };
      if (!Number.isInteger(value) && firstNonInteger === undefined) firstNonInteger = { cell, gene: indices[k], value };
    }
  }
  // Cells × genes beyond the stored values are zeros, and count towards the range.
  const size = indptr[indptr.length - 1];
  const zeros = size === 0 || size < (indptr.length - 1) * matrix.genes.length;
  return { min: zeros ? Math.min(min, 0) : min, max: zeros ? Math.max(max, 0) : max, firstNegative, firstNonInteger };
}

/** The kind the values themselves suggest: see the `values` parameter's description. */
function detect({ max, firstNegative, firstNonInteger }: Survey): ExpressionValues {
  if (firstNegative !== undefined) return 'scaled';
  if (firstNonInteger === undefined) return 'counts';
  return max <= LOG1P_MAX ? 'log1p' : 'normalised';
}

/** Three significant digits, so a message shows the range without float noise. */
function short(value: number): number {
  return Number(value.toPrecision(3));
}

/** A stored (float32) value as written: its 7 significant digits, without float64 noise such as 0.10000000149. */
function stored(value: number): number {
  return Number(value.toPrecision(7));
}

/**
 * Checks that every stored value is finite and returns the kind of the values: `choice` when given (refused
 * when the data contradicts it: `counts` on non-integers, any non-`scaled` kind on negative values), otherwise
 * the detected one. The source sentence says where the values come from, what they hold and which other layers
 * the source offers, so a strategy that refuses them can say what to choose instead.
 */
export function valuesKind(matrix: CellMatrix, choice: ValuesChoice, dataset: string): ValuesKind {
  const found = survey(matrix, dataset);
  const detected = detect(found);
  const looks = `${matrix.origin} looks like ${detected} values (min ${short(found.min)}, max ${short(found.max)})`;
  const refuse = (at: Position, what: string, expected: string) =>
    new TokbenchError('input', `The 'values' parameter of ${dataset} says ${choice}: found ${stored(at.value)} for ${cellAndGene(matrix, at.cell, at.gene)}, ${what}; expected ${expected} (${looks})`, ['values']);
  if (choice !== 'auto' && choice !== 'scaled' && found.firstNegative !== undefined) {
    throw refuse(found.firstNegative, 'a negative value', `${choice} values, which are never negative; only scaled values go below zero`);
  }
  if (choice === 'counts' && found.firstNonInteger !== undefined) throw refuse(found.firstNonInteger, 'not an integer', 'integer counts');
  const kind = choice === 'auto' ? detected : choice;
  const how = choice === 'auto' ? '' : `, as 'values' says`;
  const others = matrix.otherLayers.length > 0 ? `; the file also has: ${matrix.otherLayers.join(', ')}` : '';
  // Where the first negative is, so a refusal of scaled data can be checked against the file.
  const first = found.firstNegative;
  const negative = first === undefined ? '' : `; first negative ${stored(first.value)} at cell '${matrix.cells[first.cell]}', gene '${matrix.genes[first.gene]}'`;
  return { kind, source: `${matrix.origin} holds ${kind} values (min ${short(found.min)}, max ${short(found.max)}${negative}${how})${others}` };
}
