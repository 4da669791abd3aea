// Identity for the wasm backend that shares the input's buffer (as the cpu backend does) instead of copying it:
// tfjs clones every tensor a gradient saves, and on wasm those copies of [batch, heads, T, T] tensors add up.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Safe because tfjs never writes a tensor's buffer after creating it; the wasm Reshape kernel shares buffers the same way. */
function identity({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity,
};
