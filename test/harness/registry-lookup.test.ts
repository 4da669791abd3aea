// Tests of registry lookup: the registered definition, or one unknown-name error with a suggestion and the sorted valid names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokbenchError } from '../../harness/errors.js';
import { lookup, tryLookup } from '../../harness/registry-lookup.js';

const registry = Object.freeze({ rank: { id: 1 }, patch: { id: 2 }, kmer: { id: 3 } });

test('a registered name gives its definition', () => {
  assert.equal(lookup(registry, 'strategy', 'patch'), registry.patch);
  assert.deepEqual(tryLookup(registry, 'strategy', 'kmer'), { ok: true, definition: registry.kmer });
});

test('a misspelt name throws unknown-name with the closest name and the valid names sorted', () => {
  assert.throws(
    () => lookup(registry, 'strategy', 'pach', ['strategies', 0, 'name']),
    (error: unknown) => {
      assert.ok(error instanceof TokbenchError);
      assert.equal(error.code, 'unknown-name');
      assert.equal(error.message, "unknown strategy 'pach'; did you mean 'patch'? valid: kmer, patch, rank");
      assert.deepEqual(error.path, ['strategies', 0, 'name']);
      return true;
    },
  );
});

test('tryLookup returns the same error as a value instead of throwing', () => {
  const found = tryLookup(registry, 'dataset', 'rnak');
  assert.equal(found.ok, false);
  assert.equal(!found.ok && found.error.message, "unknown dataset 'rnak'; did you mean 'rank'? valid: kmer, patch, rank");
});

test('a name inherited from Object.prototype is not registered', () => {
  assert.equal(tryLookup(registry, 'strategy', 'constructor').ok, false);
  assert.throws(() => lookup(registry, 'strategy', 'toString'), { code: 'unknown-name' });
});
