// The one strategy-agnostic transformer encoder: token embedding → pre-LN blocks → final LN, plus the masked-token
// reconstruction head. It reads only the TokenLayout, never which strategy made the tokens.
import * as tf from '@tensorflow/tfjs';
import type { TokenLayout } from '../../strategies/types.js';
import { TokbenchError } from '../errors.js';
import { mlpWidth } from '../flops.js';
import { createRng } from '../random.js';
import { keyPaddingBias } from './attention.js';
import { applyBlock, createBlock } from './block.js';
import type { Block } from './block.js';
import { crossEntropy } from './cross-entropy.js';
import { applyInputEmbedding, createInputEmbedding } from './embedding.js';
import type { InputEmbedding } from './embedding.js';
import type { ModelInput } from './input.js';
import { applyLayerNorm, createLayerNorm } from './layer-norm.js';
import type { LayerNorm } from './layer-norm.js';
import { applyLinear, createLinear } from './linear.js';
import type { Linear } from './linear.js';
import type { ModelParams } from './params.js';
import { ParameterStore } from './parameters.js';

function invalidLayout(message: string): TokbenchError {
  return new TokbenchError('invalid-param', `The token layout ${message}`, ['layout']);
}

function checkLayout(layout: TokenLayout): void {
  if (layout.vocabSizes.length !== layout.idChannels) {
    throw invalidLayout(`must list one vocabulary size per id channel; got ${layout.vocabSizes.length} sizes for ${layout.idChannels} channels instead.`);
  }
  if (!layout.vocabSizes.every((v) => Number.isInteger(v) && v >= 1)) throw invalidLayout(`must have vocabulary sizes ≥ 1; got [${layout.vocabSizes.join(', ')}] instead.`);
  if (layout.target.kind === 'values' && layout.valueDim < 1) throw invalidLayout('must have valueDim ≥ 1 to reconstruct values; got 0 instead.');
  if (layout.target.kind === 'ids' && !(Number.isInteger(layout.target.channel) && layout.target.channel >= 0 && layout.target.channel < layout.idChannels)) {
    throw invalidLayout(`must reconstruct an id channel in [0, ${layout.idChannels}); got ${layout.target.channel} instead.`);
  }
  if (layout.target.kind === 'ids') {
    const vocab = layout.vocabSizes[layout.target.channel];
    const { specials } = layout.target;
    if (!(Number.isInteger(specials) && specials >= 0 && specials < vocab)) {
      throw invalidLayout(`must leave content ids after the specials of its target channel: specials in [0, ${vocab}); got ${specials} instead.`);
    }
  }
  if (!(Number.isInteger(layout.maskSpan) && layout.maskSpan >= 1)) throw invalidLayout(`must have an integer maskSpan ≥ 1; got ${layout.maskSpan} instead.`);
}

/** What the masked rows hold, and (1/0) which of it is a target: content ids, or real values. */
export type ReconstructionTargets = { readonly ids: tf.Tensor1D; readonly weights: tf.Tensor1D } | { readonly values: tf.Tensor2D; readonly weights: tf.Tensor2D };

/** Outputs of the reconstruction head per masked token: the target channel's vocabulary, or the values' width. */
export function reconstructionWidth(layout: TokenLayout): number {
  return layout.target.kind === 'ids' ? layout.vocabSizes[layout.target.channel] : layout.valueDim;
}

export class Encoder {
  readonly layout: TokenLayout;
  readonly params: ModelParams;
  private readonly encoderStore: ParameterStore;
  private readonly headStore: ParameterStore;
  private readonly embedding: InputEmbedding;
  private readonly blocks: readonly Block[];
  private readonly finalNorm: LayerNorm;
  private readonly head: Linear;

  /** Initial weights depend only on `seed` (and the layout and params). */
  constructor(layout: TokenLayout, params: ModelParams, seed: number) {
    checkLayout(layout);
    if (params.dim % params.heads !== 0) {
      throw new TokbenchError('invalid-param', `The 'heads' parameter of the model must divide 'dim' (${params.dim}); got ${params.heads} instead.`, ['model', 'heads']);
    }
    this.layout = layout;
    this.params = params;
    const rng = createRng(seed);
    this.encoderStore = new ParameterStore(rng.fork());
    this.headStore = new ParameterStore(rng.fork());
    const { dim } = params;
    this.embedding = createInputEmbedding(this.encoderStore, layout, dim);
    this.blocks = Array.from({ length: params.depth }, () => createBlock(this.encoderStore, dim, params.heads, mlpWidth(params)));
    this.finalNorm = createLayerNorm(this.encoderStore, dim);
    this.head = createLinear(this.headStore, dim, reconstructionWidth(layout));
  }

  get dim(): number {
    return this.params.dim;
  }

  /** Embeddings, blocks and final norm (including the mask vector, which only pre-training uses). */
  get encoderVariables(): readonly tf.Variable[] {
    return this.encoderStore.variables;
  }

  /** The reconstruction head. */
  get headVariables(): readonly tf.Variable[] {
    return this.headStore.variables;
  }

  /** Scalars in the encoder and the reconstruction head, the parts pre-training trains; classification heads are counted by the classifier. */
  get parameterCount(): number {
    return this.encoderStore.size + this.headStore.size;
  }

  /** Final-normalised hidden states [size·length, dim]; `masked` ([size·length, 1] of 1/0) hides the target content. */
  encode(input: ModelInput, masked?: tf.Tensor2D): tf.Tensor2D {
    const bias = input.padded ? keyPaddingBias(input.valid) : null;
    let x = applyInputEmbedding(this.embedding, this.layout, input, masked);
    for (const block of this.blocks) x = applyBlock(block, x, input.size, bias);
    return applyLayerNorm(this.finalNorm, x);
  }

  /** Mean of each sequence's hidden states over its real tokens: [size, dim] (zeros for an empty sequence). */
  pool(hidden: tf.Tensor2D, input: ModelInput): tf.Tensor2D {
    const perToken = tf.reshape(hidden, [input.size, input.length, this.dim]);
    const summed = tf.sum(tf.mul(perToken, tf.expandDims(input.valid, 2)), 1);
    return tf.div(summed, tf.maximum(tf.sum(input.valid, 1, true), 1));
  }

  /** Head outputs for the given rows of `hidden`: logits over the target vocabulary, or predicted values. */
  reconstruct(hidden: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D {
    return applyLinear(this.head, tf.gather(hidden, rows) as tf.Tensor2D);
  }

  /** Mean cross-entropy over the masked tokens with content targets (not specials), or mean squared error over their real values (not padding). */
  reconstructionLoss(prediction: tf.Tensor2D, targets: ReconstructionTargets): tf.Scalar {
    if ('ids' in targets) return crossEntropy(prediction, targets.ids, targets.weights);
    const squared = tf.mul(tf.squaredDifference(prediction, targets.values), targets.weights);
    return tf.div(tf.sum(squared), tf.maximum(tf.sum(targets.weights), 1));
  }

  dispose(): void {
    this.encoderStore.dispose();
    this.headStore.dispose();
  }
}
