// Chooses the tfjs backend in one place (after transformers.js' backend choice): tfjs-node-gpu → tfjs-node → wasm → cpu.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TokbenchError, unknownName } from '../errors.js';
import { selfCheck } from './self-check.js';
import { BACKEND_PREFERENCES } from './types.js';
import type { BackendAttempt, BackendPreference, BackendReport } from './types.js';
import { registerWasmKernels } from './wasm-kernels.js';

export type { BackendAttempt, BackendPreference, BackendReport } from './types.js';

const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';
const CPU = '@tensorflow/tfjs-backend-cpu';
/** The packages tried, by npm name. */
export type Candidate = typeof NODE_GPU | typeof NODE_CPU | typeof WASM | typeof CPU;

const ORDER: Readonly<Record<BackendPreference, readonly Candidate[]>> = {
  auto: [NODE_GPU, NODE_CPU, WASM, CPU],
  tensorflow: [NODE_GPU, NODE_CPU],
  wasm: [WASM],
  cpu: [CPU],
};

/** What trying one candidate gave: whether it is now the active backend, and why (not). */
export interface CandidateOutcome {
  readonly ok: boolean;
  readonly reason: string;
  readonly gpu: boolean;
}

/** Loads a candidate package, activates its backend and self-checks it. */
export type TryCandidate = (candidate: Candidate) => Promise<CandidateOutcome>;

const failed = (reason: string): CandidateOutcome => ({ ok: false, reason, gpu: false });

// Both node packages register a backend named 'tensorflow', so at most one may ever be imported.
let nodePackageLoaded: Candidate | undefined;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** Activates a registered backend and runs the self-check on it. */
async function activate(name: string): Promise<string> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    return `backend '${name}' failed to initialise: ${firstLine(error)}`;
  }
  if (!ok) return `backend '${name}' failed to initialise`;
  try {
    return selfCheck();
  } catch (error) {
    return `self-check threw: ${firstLine(error)}`;
  }
}

async function tryNodePackage(candidate: Candidate): Promise<CandidateOutcome> {
  if (nodePackageLoaded !== undefined && nodePackageLoaded !== candidate) {
    return failed(`skipped: ${nodePackageLoaded} already registered the 'tensorflow' backend in this process`);
  }
  if (nodePackageLoaded === undefined) {
    // Through a variable: these are optional dependencies, and a literal name fails tsc when they are absent.
    const specifier: string = candidate;
    try {
      await import(specifier);
    } catch (error) {
      const absent = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      return failed(absent ? 'not installed (npm drops this optional dependency when its install script cannot download libtensorflow)' : `cannot load: ${firstLine(error)}`);
    }
    nodePackageLoaded = candidate;
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return failed(`loaded, but registered its backend with another copy of @tensorflow/tfjs-core than @tensorflow/tfjs ${tf.version_core}`);
  }
  const problem = await activate('tensorflow');
  if (problem !== '') return failed(problem);
  if (candidate === NODE_CPU) return { ok: true, reason: 'self-check passed (libtensorflow on the CPU)', gpu: false };
  const gpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  return gpu
    ? { ok: true, reason: 'self-check passed; TensorFlow runs on a GPU device', gpu }
    : { ok: true, reason: 'self-check passed, but TensorFlow found no usable GPU (needs CUDA 11.2 and cuDNN 8.1) and runs on the CPU', gpu };
}

/** Runs `f`, then removes the process-wide error handlers it added. */
async function withoutNewErrorHandlers<T>(f: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(emitter.listeners(event)));
  try {
    return await f();
  } finally {
    events.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i].has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}

async function tryWasm(): Promise<CandidateOutcome> {
  // Load the .wasm binaries from the installed package itself, wherever the importing code was bundled.
  const entry = createRequire(import.meta.url).resolve(WASM);
  setWasmPaths(path.dirname(entry) + path.sep);
  registerWasmKernels();
  // Emscripten's loader installs handlers that rethrow every uncaught error and unhandled rejection,
  // printing its whole minified source; Node's defaults (and the CLI's own reporting) are kept instead.
  const problem = await withoutNewErrorHandlers(() => activate('wasm'));
  if (problem !== '') return failed(problem);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  return { ok: true, reason: `self-check passed (SIMD ${simd ? 'on' : 'off'}, ${threads} thread${threads === 1 ? '' : 's'})`, gpu: false };
}

async function tryCandidate(candidate: Candidate): Promise<CandidateOutcome> {
  switch (candidate) {
    case NODE_GPU:
    case NODE_CPU:
      return tryNodePackage(candidate);
    case WASM:
      return tryWasm();
    case CPU: {
      const problem = await activate('cpu');
      return problem === '' ? { ok: true, reason: 'self-check passed (pure JavaScript)', gpu: false } : failed(problem);
    }
  }
}

/**
 * Activates the first candidate of `preference` that loads and passes the self-check. `attempt` is replaceable
 * so that tests can stand in for packages this machine may or may not have installed.
 */
export async function selectBackend(preference: BackendPreference, attempt: TryCandidate = tryCandidate): Promise<BackendReport> {
  if (!BACKEND_PREFERENCES.includes(preference)) throw unknownName('backend', String(preference), BACKEND_PREFERENCES, ['backend']);
  // tfjs prints its hints and warnings unless in production mode; library code must stay silent.
  tf.env().set('PROD', true);
  const tried: BackendAttempt[] = [];
  for (const candidate of ORDER[preference]) {
    const outcome = await attempt(candidate);
    tried.push({ candidate, ok: outcome.ok, reason: outcome.reason });
    if (outcome.ok) {
      return { name: tf.getBackend(), package: candidate, gpu: outcome.gpu, tfjsVersion: tf.version_core, tried };
    }
  }
  const reasons = tried.map((t) => `${t.candidate}: ${t.reason}`).join('; ');
  throw new TokbenchError('backend', `no usable tfjs backend for '${preference}': ${reasons}`, ['backend']);
}
