// The JS kernels tokbench adds to the tfjs wasm backend for training: one it lacks, two it runs too slowly.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createBatchMatMulConfig } from './kernels/batch-mat-mul.js';
import { identityConfig } from './kernels/identity.js';
import { unsortedSegmentSumConfig } from './kernels/unsorted-segment-sum.js';

let batchMatMulConfig: tf.KernelConfig | undefined;

/** Registers `config` in place of the backend's own kernel of that name, if any. */
function replace(config: tf.KernelConfig): void {
  // Unregister first: registering over a kernel prints a warning.
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** Registers the kernels once; safe to call again. */
export function registerWasmKernels(): void {
  if (tf.getKernel(tf.UnsortedSegmentSum, 'wasm') !== unsortedSegmentSumConfig) replace(unsortedSegmentSumConfig);
  if (tf.getKernel(tf.Identity, 'wasm') !== identityConfig) replace(identityConfig);
  const current = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (current === undefined || current === batchMatMulConfig) return;
  batchMatMulConfig = createBatchMatMulConfig(current);
  replace(batchMatMulConfig);
}
