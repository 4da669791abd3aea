// BatchMatMul for the wasm backend that runs every product on XNNPACK: tfjs-backend-wasm 4.22 uses XNNPACK
// only for a single untransposed 2-D product and a naive C loop (~1 GFLOP/s) for batched or transposed ones.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function run(kernel: tf.KernelConfig, args: KernelArgs): tf.TensorInfo {
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

/** Copies entry `i` of x ([batch, rows, cols] in memory) into `into`, transposed to [cols, rows] when asked. */
function copyPiece(x: Float32Array, i: number, rows: number, cols: number, transposed: boolean, into: Float32Array): void {
  const offset = i * rows * cols;
  if (!transposed) {
    into.set(x.subarray(offset, offset + rows * cols));
    return;
  }
  // A plain JS loop: about twice as fast here as the backend's Transpose kernel.
  for (let r = 0; r < rows; r++) {
    const from = offset + r * cols;
    for (let c = 0; c < cols; c++) into[c * rows + r] = x[from + c];
  }
}

/**
 * The same products as BatchMatMul, each batch entry multiplied on XNNPACK's fast path: entries are
 * copied (transposed where the product asks) into 2-D tensors of their own. Broadcast batch dimensions,
 * non-float32 inputs and already-fast products go to `original`, the backend's own kernel.
 */
export function createBatchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as BackendWasm;
    const batch = a.shape.slice(0, -2).reduce((n, d) => n * d, 1);
    const batchB = b.shape.slice(0, -2).reduce((n, d) => n * d, 1);
    const alreadyFast = batch === 1 && !transposeA && !transposeB;
    const empty = a.shape.includes(0) || b.shape.includes(0);
    if (alreadyFast || empty || batch !== batchB || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== b.shape.length) {
      return run(original, args);
    }
    const rank = a.shape.length;
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
    const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
    if (k !== kB) throw new Error(`Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} must match.`);
    const out = backend.makeOutput([...a.shape.slice(0, rank - 2), m, n], 'float32');
    const left = backend.makeOutput([1, m, k], 'float32');
    for (let i = 0; i < batch; i++) {
      // XNNPACK caches packed weights per `b` tensor, so every right piece must be a fresh tensor.
      const right = backend.makeOutput([1, k, n], 'float32');
      // Views are taken after every allocation: growing the wasm heap detaches older ones.
      copyPiece(backend.typedArrayFromHeap(a) as Float32Array, i, aRows, aCols, transposeA, backend.typedArrayFromHeap(left) as Float32Array);
      copyPiece(backend.typedArrayFromHeap(b) as Float32Array, i, bRows, bCols, transposeB, backend.typedArrayFromHeap(right) as Float32Array);
      const product = run(original, { inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } });
      (backend.typedArrayFromHeap(out) as Float32Array).set(backend.typedArrayFromHeap(product) as Float32Array, i * m * n);
      backend.disposeData(product.dataId);
      backend.disposeData(right.dataId);
    }
    backend.disposeData(left.dataId);
    return out;
  };
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc };
}
