// The two id channels binned and fixed-order share — gene id, then value bin — and what follows from them alone:
// decoding bins to their training means, what a token covers, and how it reads.
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { TokenLayout, Tokens } from '../types.js';
import { FIRST_GENE, geneIdLabel, geneOfId, SPECIALS } from './gene-vocabulary.js';
import { fromLogNormalised } from '../../datasets/expression/log-normalised.js';

/** Bin b of the value channel has id FIRST_BIN + b, after the same specials as the gene channel. */
export const FIRST_BIN = SPECIALS.length;
export const isSpecialBin = (id: number): boolean => id >= 0 && id < FIRST_BIN;

export interface GeneBinTokens {
  /** Two id channels, gene then bin, no coordinates (the gene id places the value); the bin channel is the target. */
  readonly layout: TokenLayout;
  /** The bin of a bin id; an id outside the vocabulary is an input error naming the strategy. */
  binOfId(id: number): number;
  /** Each token's gene at `meanByBin[its bin]` (log-normalised), in the dataset's kind of values; placed by gene id, never by index. */
  decode(tokens: Tokens, meanByBin: Float64Array): ExpressionSample;
  covers(tokens: Tokens, i: number): Int32Array;
  label(tokens: Tokens, i: number): string;
}

export function geneBinTokens(strategy: string, info: InfoOf['expression'], bins: number): GeneBinTokens {
  function binOfId(id: number): number {
    const b = id - FIRST_BIN;
    if (!(b >= 0 && b < bins)) throw new TokbenchError('input', `${strategy}: found bin id ${id}; expected an id in [${FIRST_BIN}, ${FIRST_BIN + bins})`);
    return b;
  }
  return {
    layout: { idChannels: 2, vocabSizes: [FIRST_GENE + info.genes.length, FIRST_BIN + bins], valueDim: 0, coordDim: 0, target: { kind: 'ids', channel: 1, specials: FIRST_BIN }, maskSpan: 1 },
    binOfId,
    decode(tokens, meanByBin) {
      const estimate = new Float64Array(info.genes.length);
      // Placed by gene id, not by token index, so the visible tokens alone decode what they cover alike.
      for (let t = 0; t < tokens.length; t++) {
        const g = geneOfId(strategy, info, tokens.ids[2 * t]);
        const binId = tokens.ids[2 * t + 1];
        if (g >= 0 && !isSpecialBin(binId)) estimate[g] = meanByBin[binOfId(binId)];
      }
      const present = Int32Array.from(estimate.keys()).filter((g) => estimate[g] > 0);
      return fromLogNormalised(info.values, present, Array.from(present, (g) => estimate[g]));
    },
    covers(tokens, i) {
      const g = geneOfId(strategy, info, tokens.ids[2 * i]);
      return g < 0 ? new Int32Array(0) : Int32Array.of(g);
    },
    label(tokens, i) {
      const binId = tokens.ids[2 * i + 1];
      const bin = isSpecialBin(binId) ? SPECIALS[binId] : `bin${binOfId(binId)}`;
      return `${geneIdLabel(strategy, info, tokens.ids[2 * i])}:${bin}`;
    },
  };
}
