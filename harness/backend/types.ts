// Backend contract: which tfjs backend runs the models, and why the others were not chosen.

/** What `--backend` may name; `tensorflow` means tfjs-node-gpu, then tfjs-node. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface BackendAttempt {
  /** The package (or bundled backend) that was tried. */
  readonly candidate: string;
  readonly ok: boolean;
  /** Why it was chosen, or why it was not. */
  readonly reason: string;
}

export interface BackendReport {
  /** The tfjs backend actually active: `tensorflow`, `wasm` or `cpu`. */
  readonly name: string;
  /** The npm package that provides it. */
  readonly package: string;
  /** True only when TensorFlow reports that it really runs on a GPU device. */
  readonly gpu: boolean;
  readonly tfjsVersion: string;
  /** Every candidate tried, in order; the last one with `ok` is the chosen one. */
  readonly tried: readonly BackendAttempt[];
}
