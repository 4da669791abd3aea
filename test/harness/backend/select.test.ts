import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import type { Candidate, CandidateOutcome, TryCandidate } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';

const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';
const CPU = '@tensorflow/tfjs-backend-cpu';

/**
 * Stands in for the packages: each candidate gives its scripted outcome (unscripted ones fail the test), and the
 * one that succeeds activates the always-registered cpu backend, so the report's name is read from a real tfjs.
 */
function scripted(outcomes: Partial<Record<Candidate, CandidateOutcome>>): { attempt: TryCandidate; calls: Candidate[] } {
  const calls: Candidate[] = [];
  const attempt: TryCandidate = async (candidate) => {
    calls.push(candidate);
    const outcome = outcomes[candidate];
    assert.ok(outcome !== undefined, `${candidate} was tried`);
    if (outcome.ok) await tf.setBackend('cpu');
    return outcome;
  };
  return { attempt, calls };
}

const fails = (reason: string): CandidateOutcome => ({ ok: false, reason, gpu: false });
const passes = (reason: string, gpu = false): CandidateOutcome => ({ ok: true, reason, gpu });

// First, so that this is where the wasm module is really initialised (later selections reuse it).
test('wasm and cpu, the bundled backends, can be chosen by name one after the other', async () => {
  const handlers = () => [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
  const before = handlers();
  const wasm = await selectBackend('wasm');
  // Emscripten's rethrowing error handlers are removed again.
  assert.deepEqual(handlers(), before);
  assert.deepEqual([wasm.name, wasm.package, wasm.gpu, tf.getBackend()], ['wasm', WASM, false, 'wasm']);
  assert.equal(wasm.tfjsVersion, tf.version_core);
  assert.equal(wasm.tried.length, 1);
  assert.match(wasm.tried[0].reason, /^self-check passed \(SIMD (on|off), \d+ threads?\)$/);
  const cpu = await selectBackend('cpu');
  assert.deepEqual([cpu.name, cpu.package, tf.getBackend()], ['cpu', CPU, 'cpu']);
  assert.deepEqual(cpu.tried, [{ candidate: CPU, ok: true, reason: 'self-check passed (pure JavaScript)' }]);
  assert.equal(tf.env().get('PROD'), true);
});

test('auto takes the first candidate that loads and passes its self-check, and records why the earlier ones did not', async () => {
  const { attempt, calls } = scripted({
    [NODE_GPU]: fails('not installed'),
    [NODE_CPU]: fails('self-check computed [0] instead of [17]'),
    [WASM]: passes('self-check passed'),
  });
  const report = await selectBackend('auto', attempt);
  // The cpu candidate is never tried once wasm has passed.
  assert.deepEqual(calls, [NODE_GPU, NODE_CPU, WASM]);
  assert.deepEqual(report, {
    name: 'cpu',
    package: WASM,
    gpu: false,
    tfjsVersion: tf.version_core,
    tried: [
      { candidate: NODE_GPU, ok: false, reason: 'not installed' },
      { candidate: NODE_CPU, ok: false, reason: 'self-check computed [0] instead of [17]' },
      { candidate: WASM, ok: true, reason: 'self-check passed' },
    ],
  });
});

test('auto prefers tfjs-node-gpu, and reports the GPU only when the candidate says it runs on one', async () => {
  const onGpu = scripted({ [NODE_GPU]: passes('on a GPU', true) });
  const report = await selectBackend('auto', onGpu.attempt);
  assert.deepEqual(onGpu.calls, [NODE_GPU]);
  assert.deepEqual([report.package, report.gpu], [NODE_GPU, true]);
  const cpuOnly = scripted({ [NODE_GPU]: passes('no usable GPU') });
  assert.equal((await selectBackend('auto', cpuOnly.attempt)).gpu, false);
});

test('auto falls through to the pure-JavaScript backend last', async () => {
  const { attempt, calls } = scripted({ [NODE_GPU]: fails('a'), [NODE_CPU]: fails('b'), [WASM]: fails('c'), [CPU]: passes('d') });
  const report = await selectBackend('auto', attempt);
  assert.deepEqual(calls, [NODE_GPU, NODE_CPU, WASM, CPU]);
  assert.deepEqual([report.package, report.tried.map((t) => t.ok)], [CPU, [false, false, false, true]]);
});

test('a named backend never falls back to another one: it is a backend error listing every reason in order', async () => {
  const tensorflow = scripted({ [NODE_GPU]: fails('not installed'), [NODE_CPU]: fails('cannot load: libtensorflow.so.2') });
  await assert.rejects(selectBackend('tensorflow', tensorflow.attempt), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'backend');
    assert.deepEqual(error.path, ['backend']);
    assert.equal(error.message, `no usable tfjs backend for 'tensorflow': ${NODE_GPU}: not installed; ${NODE_CPU}: cannot load: libtensorflow.so.2`);
    return true;
  });
  assert.deepEqual(tensorflow.calls, [NODE_GPU, NODE_CPU]);
  const wasm = scripted({ [WASM]: fails("backend 'wasm' failed to initialise") });
  await assert.rejects(selectBackend('wasm', wasm.attempt), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'backend');
    assert.equal(error.message, `no usable tfjs backend for 'wasm': ${WASM}: backend 'wasm' failed to initialise`);
    return true;
  });
  assert.deepEqual(wasm.calls, [WASM]);
});

// With the real packages, whichever this machine has: wasm is bundled, so auto always ends on a backend that works.
test('auto with the real packages ends on the first candidate that passed, after failures only', async () => {
  const report = await selectBackend('auto');
  assert.deepEqual(report.tried.map((t) => t.candidate), [NODE_GPU, NODE_CPU, WASM, CPU].slice(0, report.tried.length));
  assert.deepEqual(report.tried.map((t) => t.ok), [...report.tried.slice(1).map(() => false), true]);
  assert.ok(report.tried.every((t) => t.reason !== ''));
  assert.equal(report.package, report.tried.at(-1)?.candidate);
  assert.equal(report.name, tf.getBackend());
  const names: Record<string, string> = { [NODE_GPU]: 'tensorflow', [NODE_CPU]: 'tensorflow', [WASM]: 'wasm', [CPU]: 'cpu' };
  assert.equal(report.name, names[report.package]);
});

test('an unknown backend name lists the valid ones', async () => {
  await assert.rejects(selectBackend('gpu' as never), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'unknown-name');
    assert.equal(error.message, "unknown backend 'gpu'; did you mean 'cpu'? valid: auto, cpu, tensorflow, wasm");
    return true;
  });
});
