// What the encoder reads: a batch of token sequences padded to one length, as plain arrays and as tensors.
import * as tf from '@tensorflow/tfjs';

/** `size` sequences padded to `length`; every array is row-major over (sequence, position). */
export interface PaddedBatch {
  readonly size: number;
  readonly length: number;
  readonly valueDim: number;
  readonly coordDim: number;
  /** One array per id channel, size·length ids (0 at padding). */
  readonly ids: readonly Int32Array[];
  /** size·length·valueDim values (0 at padding). */
  readonly values: Float32Array;
  /** size·length·coordDim coordinates (0 at padding). */
  readonly coords: Float32Array;
  /** size·length: 1 for a real token, 0 for padding. */
  readonly valid: Float32Array;
  /** Number of real (non-padding) tokens. */
  readonly tokens: number;
}

export interface ModelInput {
  readonly size: number;
  readonly length: number;
  readonly ids: readonly tf.Tensor1D[];
  /** [size·length, valueDim], or null when the layout has no values. */
  readonly values: tf.Tensor2D | null;
  /** [size·length, coordDim], or null when the layout has no coordinates. */
  readonly coords: tf.Tensor2D | null;
  /** [size, length] of 1/0. */
  readonly valid: tf.Tensor2D;
  /** Whether any position is padding (else attention needs no mask). */
  readonly padded: boolean;
}

/** Tensors for one batch; the caller disposes them (normally by running inside tf.tidy). */
export function toModelInput(batch: PaddedBatch): ModelInput {
  const rows = batch.size * batch.length;
  return {
    size: batch.size,
    length: batch.length,
    ids: batch.ids.map((ids) => tf.tensor1d(ids, 'int32')),
    values: batch.valueDim > 0 ? tf.tensor2d(batch.values, [rows, batch.valueDim]) : null,
    coords: batch.coordDim > 0 ? tf.tensor2d(batch.coords, [rows, batch.coordDim]) : null,
    valid: tf.tensor2d(batch.valid, [batch.size, batch.length]),
    padded: batch.tokens < rows,
  };
}
