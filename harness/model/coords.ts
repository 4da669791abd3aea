// Sinusoidal features of raw token coordinates (the Transformer's position encoding, applied per coordinate dimension).
import * as tf from '@tensorflow/tfjs';

/** Frequencies per coordinate dimension. */
export const COORD_FREQUENCIES = 16;

/**
 * ω_f = 10000^(−f/(F−1)) for f = 0…F−1: periods from 2π to 2π·10⁴ ≈ 62,832. The fastest one moves
 * adjacent integer coordinates (pixels, ranks, bases) a full radian apart; the slowest keeps
 * coordinates up to tens of thousands (gene ranks, base offsets) unambiguous. Coordinates are used
 * raw, so a pixel offset of 3 and a rank of 3 get the same code; the learned projection tells them
 * apart by coordinate dimension.
 */
export const FREQUENCIES: Float32Array = Float32Array.from({ length: COORD_FREQUENCIES }, (_, f) => 10000 ** (-f / (COORD_FREQUENCIES - 1)));

/** Width of the features of `coordDim` coordinates: a sine and a cosine per frequency and dimension. */
export function coordFeatureWidth(coordDim: number): number {
  return coordDim * 2 * COORD_FREQUENCIES;
}

/** coords: [rows, coordDim] → [rows, coordFeatureWidth(coordDim)], laid out as sin of every (dim, f), then cos. */
export function coordFeatures(coords: tf.Tensor2D): tf.Tensor2D {
  const [rows, coordDim] = coords.shape;
  const angles = tf.mul(tf.reshape(coords, [rows, coordDim, 1]), tf.tensor1d(FREQUENCIES));
  return tf.reshape(tf.concat([tf.sin(angles), tf.cos(angles)], 1), [rows, coordFeatureWidth(coordDim)]);
}
