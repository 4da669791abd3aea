import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { resolveDataPath } from '../../datasets/paths.js';

describe('resolveDataPath', () => {
  it('starts a relative path at the sweep file\'s folder', () => {
    assert.equal(resolveDataPath('data/train.csv', { baseDir: '/sweeps/dna' }), '/sweeps/dna/data/train.csv');
    assert.equal(resolveDataPath('../shared/x.fa', { baseDir: '/sweeps/dna' }), '/sweeps/shared/x.fa');
  });

  it('keeps an absolute path whatever the folder', () => {
    assert.equal(resolveDataPath('/data/x.fa', { baseDir: '/sweeps/dna' }), '/data/x.fa');
  });

  it('starts at the working folder without a context', () => {
    assert.equal(resolveDataPath('x.csv'), resolve(process.cwd(), 'x.csv'));
  });
});
