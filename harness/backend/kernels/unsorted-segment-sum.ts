// UnsortedSegmentSum for the wasm backend, which lacks it (the gradient of `gather` needs it); follows tf.math.unsorted_segment_sum.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * out[s, ...] = Σ x[i, ...] over every i with segmentIds[i] = s. As in TensorFlow the output has
 * shape [numSegments, ...x.shape after segmentIds' rank]; ids outside [0, numSegments) are dropped,
 * as the cpu backend's masks drop them.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const wasm = backend as BackendWasm;
  const data = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = wasm.makeOutput(outShape, x.dtype);
  const sums = wasm.typedArrayFromHeap(out) as Float32Array | Int32Array;
  sums.fill(0);
  const inner = ids.length === 0 ? 0 : data.length / ids.length;
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) sums[to + j] += data[from + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
