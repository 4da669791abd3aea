import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Tokens, TokenLayout } from '../../../strategies/types.js';
import { selectBackend } from '../../../harness/backend/select.js';
import { TokbenchError } from '../../../harness/errors.js';
import { Encoder } from '../../../harness/model/encoder.js';
import { toModelInput } from '../../../harness/model/input.js';
import type { ModelParams } from '../../../harness/model/params.js';
import { padBatch } from '../../../harness/training/batching.js';

await selectBackend('wasm');

const layout: TokenLayout = { idChannels: 2, vocabSizes: [10, 7], valueDim: 3, coordDim: 2, target: { kind: 'ids', channel: 1, specials: 0 }, maskSpan: 1 };
const params: ModelParams = { dim: 8, depth: 1, heads: 2, mlp_ratio: 2 };

function tokens(length: number, offset: number): Tokens {
  return {
    length,
    ids: Int32Array.from({ length: length * 2 }, (_, i) => (i % 2 === 0 ? (i + offset) % 10 : (i * 3 + offset) % 7)),
    values: Float32Array.from({ length: length * 3 }, (_, i) => Math.sin(i + offset)),
    coords: Float32Array.from({ length: length * 2 }, (_, i) => (i % 2 === 0 ? i * 4 : 300 + offset)),
    extent: [length],
    dropped: 0,
  };
}

function pooled(encoder: Encoder, samples: readonly Tokens[], masked?: number[]): number[] {
  const batch = padBatch(samples, samples.map((_, i) => i), encoder.layout);
  return tf.tidy(() => {
    const input = toModelInput(batch);
    const flags = masked === undefined ? undefined : tf.tensor2d(Float32Array.from({ length: batch.size * batch.length }, (_, r) => (masked.includes(r) ? 1 : 0)), [batch.size * batch.length, 1]);
    return Array.from(encoder.pool(encoder.encode(input, flags), input).dataSync());
  });
}

const close = (a: number[], b: number[], tolerance = 1e-5) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < tolerance, `${i}: ${v} vs ${b[i]}`));
};

test('counts the parameters of the encoder and the reconstruction head', () => {
  const encoder = new Encoder(layout, params, 1);
  // Embeddings 10·8 + 7·8, values 3·8 + 8, coords (2·2·16)·8 + 8, mask 8; block: 2 norms 2·16, qkv 8·24 + 24,
  // out 8·8 + 8, MLP 8·16 + 16 and 16·8 + 8; final norm 16; head 8·7 + 7.
  assert.equal(encoder.parameterCount, 136 + 32 + 520 + 8 + (32 + 216 + 72 + 144 + 136) + 16 + 63);
  encoder.dispose();
});

test('appending padding leaves the pooled embedding unchanged', () => {
  const encoder = new Encoder(layout, params, 2);
  const short = tokens(3, 1);
  const alone = pooled(encoder, [short]);
  const withLonger = pooled(encoder, [short, tokens(6, 2)]);
  close(withLonger.slice(0, 8), alone);
  encoder.dispose();
});

test('a masked token hides its target channel but not its other channel', () => {
  const encoder = new Encoder(layout, params, 3);
  const sample = tokens(4, 0);
  const changed = (index: number, value: number): Tokens => {
    const ids = sample.ids.slice();
    ids[index] = value;
    return { ...sample, ids };
  };
  // Token 2's target id (channel 1) is ids[5]; its other id (channel 0) is ids[4].
  const base = pooled(encoder, [sample], [2]);
  close(pooled(encoder, [changed(5, (sample.ids[5] + 1) % 7)], [2]), base, 1e-6);
  assert.ok(Math.max(...pooled(encoder, [changed(4, (sample.ids[4] + 1) % 10)], [2]).map((v, i) => Math.abs(v - base[i]))) > 1e-4);
  assert.ok(Math.max(...pooled(encoder, [changed(5, (sample.ids[5] + 1) % 7)]).map((v, i) => Math.abs(v - pooled(encoder, [sample])[i]))) > 1e-4);
  encoder.dispose();
});

test('a masked token hides its values when the values are the target', () => {
  const valuesLayout: TokenLayout = { ...layout, target: { kind: 'values' } };
  const encoder = new Encoder(valuesLayout, params, 4);
  const sample = tokens(3, 5);
  const values = sample.values.slice();
  values[3] += 2; // token 1
  close(pooled(encoder, [{ ...sample, values }], [1]), pooled(encoder, [sample], [1]), 1e-6);
  encoder.dispose();
});

test('the seed alone fixes the initial weights', () => {
  const read = (e: Encoder) => [...e.encoderVariables, ...e.headVariables].flatMap((v) => Array.from(v.dataSync()));
  const [a, b, c] = [new Encoder(layout, params, 9), new Encoder(layout, params, 9), new Encoder(layout, params, 10)];
  assert.deepEqual(read(a), read(b));
  assert.notDeepEqual(read(a), read(c));
  for (const e of [a, b, c]) e.dispose();
});

test('dispose frees every variable', () => {
  const before = tf.memory().numTensors;
  new Encoder(layout, params, 1).dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('rejects layouts and params it cannot model, naming the problem', () => {
  const bad: [TokenLayout, RegExp][] = [
    [{ ...layout, vocabSizes: [10] }, /one vocabulary size per id channel; got 1 sizes for 2 channels/],
    [{ ...layout, target: { kind: 'ids', channel: 2, specials: 0 } }, /must reconstruct an id channel in \[0, 2\); got 2/],
    [{ ...layout, valueDim: 0, target: { kind: 'values' } }, /valueDim ≥ 1 to reconstruct values/],
    [{ ...layout, maskSpan: 0 }, /maskSpan ≥ 1; got 0/],
  ];
  for (const [l, message] of bad) {
    assert.throws(() => new Encoder(l, params, 1), (e: unknown) => e instanceof TokbenchError && e.code === 'invalid-param' && message.test(e.message));
  }
  assert.throws(() => new Encoder(layout, { ...params, heads: 3 }, 1), /The 'heads' parameter of the model must divide 'dim' \(8\); got 3 instead\./);
});
