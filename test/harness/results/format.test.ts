// Number formats of the summary and plan tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, duration, engineering } from '../../../harness/results/format.js';

test('engineering: three significant digits and an SI suffix chosen after rounding', () => {
  assert.equal(engineering(1_500_000), '1.50M');
  assert.equal(engineering(234_000), '234k');
  assert.equal(engineering(999_600), '1.00M');
  assert.equal(engineering(999.6), '1.00k');
  assert.equal(engineering(12.345), '12.3');
  assert.equal(engineering(-2.5e12), '-2.50T');
  assert.equal(engineering(0), '0.00');
});

test('count and duration', () => {
  assert.deepEqual([count(1, 'cell'), count(2, 'cell'), count(2, 'process', 'processes')], ['1 cell', '2 cells', '2 processes']);
  assert.deepEqual([duration(4.5), duration(600), duration(5400)], ['4.5 s', '10.0 min', '1.5 h']);
});
