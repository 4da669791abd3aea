// Tests of locating fields in YAML source: keys, values, aliases, missing fields and hostile files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml, type YamlSource } from '../../../harness/config/yaml-source.js';
import type { FieldPath } from '../../../harness/validation/problems.js';

function source(text: string): YamlSource {
  const parsed = parseYaml(text, 'f.yaml');
  assert.ok(parsed.ok);
  return parsed.source;
}

const at = (s: YamlSource, path: FieldPath, atKey = false) => {
  const { line, col } = s.locate({ code: 'config', path, message: '', atKey }).location;
  return `${line}:${col}`;
};

test('values, keys and list items are located where they are written', () => {
  const s = source('a:\n  b: [10, 20]\n  c:\n    - x: 1\n');
  assert.deepEqual(s.data, { a: { b: [10, 20], c: [{ x: 1 }] } });
  assert.equal(at(s, ['a', 'b']), '2:6');
  assert.equal(at(s, ['a', 'b', 1]), '2:11');
  assert.equal(at(s, ['a', 'b'], true), '2:3');
  assert.equal(at(s, ['a', 'c', 0, 'x']), '4:10');
});

test('a missing field points at the nearest enclosing node; an empty value just after its key', () => {
  const s = source('a:\n  b: 1\nc:\nd: { e }\n');
  assert.equal(at(s, ['a', 'missing']), '2:3');
  assert.equal(at(s, ['a', 'b', 'deeper']), '2:6');
  assert.equal(at(s, ['c']), '3:3');
  assert.equal(at(s, ['d', 'e']), '4:6');
});

test('a path through an alias is located at the anchored node', () => {
  const s = source('base: &m { dim: 32 }\nmodel: *m\n');
  assert.equal(at(s, ['model', 'dim']), '1:17');
});

test('an alias bomb is rejected as invalid YAML rather than expanded', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 8; i++) lines.push(`b${i}: &b${i} [${Array(10).fill(i === 0 ? '*a' : `*b${i - 1}`).join(', ')}]`);
  const parsed = parseYaml(lines.join('\n'), 'f.yaml');
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems, [
    {
      code: 'config',
      path: [],
      message: 'invalid YAML: Excessive alias count indicates a resource exhaustion attack',
      location: { file: 'f.yaml', line: 1, col: 1 },
    },
  ]);
});
