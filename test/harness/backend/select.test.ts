import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';

// On this machine the node packages cannot install (no libtensorflow download), so auto falls through to wasm.
test('auto picks wasm and records why both node packages were not chosen', async () => {
  const handlers = () => [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
  const before = handlers();
  const report = await selectBackend('auto');
  // Emscripten's rethrowing error handlers are removed again.
  assert.deepEqual(handlers(), before);
  assert.equal(report.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(report.package, '@tensorflow/tfjs-backend-wasm');
  assert.equal(report.gpu, false);
  assert.equal(report.tfjsVersion, '4.22.0');
  assert.deepEqual(
    report.tried.map((t) => [t.candidate, t.ok]),
    [
      ['@tensorflow/tfjs-node-gpu', false],
      ['@tensorflow/tfjs-node', false],
      ['@tensorflow/tfjs-backend-wasm', true],
    ],
  );
  assert.match(report.tried[0].reason, /^not installed/);
  assert.match(report.tried[1].reason, /^not installed/);
  assert.match(report.tried[2].reason, /^self-check passed \(SIMD on, 1 thread\)$/);
});

test('cpu and wasm can be chosen by name, one after the other', async () => {
  const cpu = await selectBackend('cpu');
  assert.deepEqual([cpu.name, cpu.package, tf.getBackend()], ['cpu', '@tensorflow/tfjs-backend-cpu', 'cpu']);
  assert.deepEqual(cpu.tried, [{ candidate: '@tensorflow/tfjs-backend-cpu', ok: true, reason: 'self-check passed (pure JavaScript)' }]);
  const wasm = await selectBackend('wasm');
  assert.deepEqual([wasm.name, tf.getBackend(), wasm.tried.length], ['wasm', 'wasm', 1]);
});

test('tensorflow means tfjs-node-gpu then tfjs-node, and fails with both reasons when neither loads', async () => {
  await assert.rejects(selectBackend('tensorflow'), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'backend');
    assert.match(error.message, /^no usable tfjs backend for 'tensorflow': @tensorflow\/tfjs-node-gpu: not installed.*; @tensorflow\/tfjs-node: not installed/);
    return true;
  });
});

test('an unknown backend name lists the valid ones', async () => {
  await assert.rejects(selectBackend('gpu' as never), (error: unknown) => {
    assert.ok(error instanceof TokbenchError);
    assert.equal(error.code, 'unknown-name');
    assert.equal(error.message, "unknown backend 'gpu'; did you mean 'cpu'? valid: auto, cpu, tensorflow, wasm");
    return true;
  });
});
