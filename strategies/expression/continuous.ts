// A cell's non-zero genes, each a gene-id token carrying its log-normalised value as continuous input, as scFoundation / xTrimoGene (Hao et al. 2024; biomap-research/scFoundation model/get_embedding.py, load.py).
import { z } from 'zod';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens } from '../types.js';
import { createDescendingSorter } from './descending-order.js';
import { FIRST_GENE, geneIdLabel, geneOfId } from './gene-vocabulary.js';
import { fromLogNormalised, logNormalisedCell } from '../../datasets/expression/log-normalised.js';
import { acceptValues, refuseProblems } from './values.js';

const params = z.strictObject({
  max_len: z
    .int()
    .min(1)
    .default(2048)
    .describe('Most tokens per cell: a cell with more non-zero genes keeps those with the highest log-normalised values, ties to the lower panel index (scFoundation keeps every non-zero gene).'),
});

export type ContinuousParams = z.infer<typeof params>;

const NAME = 'continuous';
const EMPTY_COORDS = new Float32Array(0);

/** Every kind of values but scaled ones can be brought to log1p of counts per 10k. */
function checkContinuous(info: InfoOf['expression']): ParamProblem[] {
  return acceptValues(
    info,
    ['counts', 'normalised', 'log1p'],
    'continuous feeds the model log1p of counts per 10k, which it computes from counts or normalised values (and takes log1p values as they are), while scaled values are centred per gene and cannot be brought back to it',
  );
}

/**
 * scFoundation feeds its encoder log1p(counts / cell total × 10⁴) of the genes above 0 (`value_labels = x > 0`),
 * gathered in the order of its gene list, each embedded from its value plus an embedding of the gene. The same
 * here, with three differences: the total is the cell's library size (tokbench's canonical space) rather than
 * the sum over the gene list; the two read-depth tokens scFoundation appends (log10 totals) are left out, as the
 * model mean-pools; and `max_len` caps the list. The value reaches the model through the shared linear
 * projection, not scFoundation's learned auto-discretisation, since the model is the same for every strategy.
 */
function createContinuous(p: ContinuousParams, info: InfoOf['expression']): Strategy<'expression'> {
  // The runner checks first; this keeps direct library use from feeding values continuous cannot use.
  refuseProblems(NAME, checkContinuous(info));
  const genes = info.genes.length;
  const sorter = createDescendingSorter(genes);
  /** Panel gene of each key in the sorter, in the cell's (ascending) gene order. */
  const keyGene = new Int32Array(genes);

  return {
    // No coordinates: the gene id is the token's identity, so the order of the tokens tells the model nothing.
    layout: { idChannels: 1, vocabSizes: [FIRST_GENE + genes], valueDim: 1, coordDim: 0, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote:
      'Each token decodes to its value at its gene (to float32 rounding; a predicted value below 0 as 0); the non-zero genes cut by max_len (the lowest values of the cell) and every zero gene decode as 0.',

    /**
     * Tokens in panel order, as scFoundation gathers its non-zero genes. Over max_len, the kept genes are the
     * highest values; the sort is stable over the ascending genes, so of equal values the lower panel index stays.
     */
    encode(cell: ExpressionSample): Tokens {
      const values = logNormalisedCell(NAME, info, cell);
      let nonzero = 0;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === 0) continue;
        sorter.keys[nonzero] = values[i];
        keyGene[nonzero++] = cell.genes[i];
      }
      const length = Math.min(nonzero, p.max_len);
      const kept = nonzero > p.max_len ? sorter.order(nonzero).slice(0, length).sort() : undefined;
      const ids = new Int32Array(length);
      const out = new Float32Array(length);
      for (let t = 0; t < length; t++) {
        const k = kept === undefined ? t : kept[t];
        ids[t] = FIRST_GENE + keyGene[k];
        out[t] = sorter.keys[k];
      }
      const dropped = nonzero === 0 ? 0 : (nonzero - length) / nonzero;
      return { length, ids, values: out, coords: EMPTY_COORDS, extent: [genes], dropped };
    },

    decode(tokens: Tokens): ExpressionSample {
      // Placed by gene id: ids are never predicted (the target is the values), so each gene comes at most once.
      const estimate = new Float64Array(genes);
      for (let t = 0; t < tokens.length; t++) {
        const g = geneOfId(NAME, info, tokens.ids[t]);
        if (g >= 0) estimate[g] = Math.max(0, tokens.values[t]);
      }
      const present = Int32Array.from(estimate.keys()).filter((g) => estimate[g] > 0);
      return fromLogNormalised(info.values, present, Array.from(present, (g) => estimate[g]));
    },

    covers(tokens: Tokens, i: number): Int32Array {
      const g = geneOfId(NAME, info, tokens.ids[i]);
      return g < 0 ? new Int32Array(0) : Int32Array.of(g);
    },

    label: (tokens: Tokens, i: number) => geneIdLabel(NAME, info, tokens.ids[i]),
  };
}

export const continuous = {
  name: NAME,
  modality: 'expression',
  description: 'Non-zero genes as gene-id tokens carrying log1p(counts per 10k) as a continuous value, the highest max_len kept (scFoundation / xTrimoGene, Hao et al. 2024); counts, normalised or log1p values',
  params,
  create: createContinuous,
  check: (_params, info) => checkContinuous(info),
} satisfies StrategyDefinition<'expression', ContinuousParams>;
