// Compact storage of expression matrices: the index width rule, the value column that widens once, index checks before narrow storage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indexArray, indexArrayOf, resized, sameType, storeIndices, ValueColumn, valueArrayOf } from '../../../datasets/expression/compact-arrays.js';

describe('indexArray', () => {
  it('gives uint16 indices up to an axis of 65,536 entries (indices 0 … 65,535), int32 beyond', () => {
    assert.ok(indexArray(0, 2) instanceof Uint16Array);
    assert.ok(indexArray(65_536, 2) instanceof Uint16Array);
    assert.ok(indexArray(65_537, 2) instanceof Int32Array);
    assert.deepEqual(indexArray(70_000, 3), new Int32Array(3));
    assert.deepEqual(indexArrayOf(65_536, [0, 65_535]), Uint16Array.of(0, 65_535));
    assert.deepEqual(indexArrayOf(70_000, [0, 69_999]), Int32Array.of(0, 69_999));
  });
});

describe('sameType and resized', () => {
  it('keep the array type: a uint16 column stays uint16, a float32 one float32', () => {
    assert.deepEqual(sameType(Uint16Array.of(1, 2), 3), new Uint16Array(3));
    assert.deepEqual(sameType(Float32Array.of(1.5), 2), new Float32Array(2));
    assert.deepEqual(resized(Uint16Array.of(1, 2, 3), 5), Uint16Array.of(1, 2, 3, 0, 0));
    assert.deepEqual(resized(Int32Array.of(1, 2, 3), 2), Int32Array.of(1, 2));
  });
});

describe('ValueColumn', () => {
  it('stays uint16 while every value is an integer in [0, 65535], set in any order', () => {
    const column = new ValueColumn(4);
    column.set(3, 65_535);
    column.set(0, 7);
    column.setAll(Float32Array.of(0, 1), 1);
    assert.deepEqual(column.values, Uint16Array.of(7, 0, 1, 65_535));
  });

  it('turns into float32 once, at a count of 70,000, a fraction or a negative value, keeping what it held', () => {
    for (const odd of [70_000, 65_536, 2.5, -1, 0.1]) {
      const column = new ValueColumn(4);
      column.set(2, 9);
      column.set(0, odd);
      column.set(3, 4);
      assert.deepEqual(column.values, Float32Array.of(odd, 0, 9, 4), String(odd));
    }
    const slices = new ValueColumn(4);
    slices.setAll(Float64Array.of(3, 1), 0);
    slices.setAll(Float64Array.of(2, 0.25), 2);
    assert.deepEqual(slices.values, Float32Array.of(3, 1, 2, 0.25));
  });

  it('widens for a double that float32 would round to an integer but uint16 would truncate', () => {
    assert.deepEqual(valueArrayOf([1, 2.9999999999]), Float32Array.of(1, 3));
    assert.deepEqual(valueArrayOf([NaN, 1]), Float32Array.of(NaN, 1));
    assert.deepEqual(valueArrayOf([1, 2, 3]), Uint16Array.of(1, 2, 3));
  });

  it('grows and shrinks keeping its values and its type', () => {
    const column = new ValueColumn(2);
    column.setAll([5, 6], 0);
    column.resize(3);
    column.set(2, 0.5);
    column.resize(4);
    assert.deepEqual(column.values, Float32Array.of(5, 6, 0.5, 0));
    column.resize(1);
    assert.deepEqual(column.values, Float32Array.of(5));
  });
});

describe('storeIndices', () => {
  it('stores a slice of indices in range, and refuses one out of range (which uint16 would wrap) storing nothing', () => {
    const target = new Uint16Array(4);
    assert.equal(storeIndices(target, Int32Array.of(2, 0), 1, 3), -1);
    assert.deepEqual(target, Uint16Array.of(0, 2, 0, 0));
    // 65,538 would wrap to 2, inside the axis.
    assert.equal(storeIndices(target, Float64Array.of(1, 65_538), 2, 3), 1);
    assert.equal(storeIndices(target, Int32Array.of(-1), 3, 3), 0);
    assert.equal(storeIndices(target, Float64Array.of(0.5), 3, 3), 0);
    assert.deepEqual(target, Uint16Array.of(0, 2, 0, 0));
  });
});
