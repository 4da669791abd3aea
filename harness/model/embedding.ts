// Input embedding: Σ over id channels of embed_c(ids_c) + project(values) + project(sinusoid(coords)), with
// the reconstruction target's part replaced by one learned mask vector at masked tokens (BERT's [MASK]).
import * as tf from '@tensorflow/tfjs';
import type { TokenLayout } from '../../strategies/types.js';
import { coordFeatures, coordFeatureWidth } from './coords.js';
import type { ModelInput } from './input.js';
import { applyLinear, createLinear } from './linear.js';
import type { Linear } from './linear.js';
import { EMBEDDING_STD } from './parameters.js';
import type { ParameterStore } from './parameters.js';

export interface InputEmbedding {
  /** [vocabSizes[c], dim] per id channel. */
  readonly tables: readonly tf.Variable[];
  readonly values: Linear | null;
  readonly coords: Linear | null;
  /** [dim]: what a masked token shows in place of its target content. */
  readonly mask: tf.Variable;
}

export function createInputEmbedding(store: ParameterStore, layout: TokenLayout, dim: number): InputEmbedding {
  return {
    tables: layout.vocabSizes.map((vocab) => store.normal([vocab, dim], EMBEDDING_STD)),
    values: layout.valueDim > 0 ? createLinear(store, layout.valueDim, dim) : null,
    coords: layout.coordDim > 0 ? createLinear(store, coordFeatureWidth(layout.coordDim), dim) : null,
    mask: store.normal([dim], EMBEDDING_STD),
  };
}

/**
 * [size·length, dim]. `masked` ([size·length, 1] of 1/0) hides the target part (the ids of the target
 * channel, or the values) of the marked tokens; the other channels and the coordinates stay visible.
 */
export function applyInputEmbedding(embedding: InputEmbedding, layout: TokenLayout, input: ModelInput, masked?: tf.Tensor2D): tf.Tensor2D {
  const targetChannel = layout.target.kind === 'ids' ? layout.target.channel : -1;
  const visible: tf.Tensor2D[] = [];
  let target: tf.Tensor2D | undefined;
  embedding.tables.forEach((table, c) => {
    const part = tf.gather(table, input.ids[c]) as tf.Tensor2D;
    if (c === targetChannel) target = part;
    else visible.push(part);
  });
  if (embedding.values !== null && input.values !== null) {
    const part = applyLinear(embedding.values, input.values);
    if (layout.target.kind === 'values') target = part;
    else visible.push(part);
  }
  if (embedding.coords !== null && input.coords !== null) visible.push(applyLinear(embedding.coords, coordFeatures(input.coords)));
  if (target !== undefined) {
    visible.push(masked === undefined ? target : tf.add(tf.mul(target, tf.sub(1, masked)), tf.mul(masked, embedding.mask)));
  }
  return (visible.length === 1 ? visible[0] : tf.addN(visible)) as tf.Tensor2D;
}
