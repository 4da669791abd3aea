import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { columnDocs } from '../../../harness/results/column-docs.js';
import { FIXED_COLUMNS } from '../../../harness/results/columns.js';

test('results/README.md documents every column exactly as declared (regenerate with scripts/results-columns.ts)', () => {
  const readme = readFileSync(new URL('../../../results/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(columnDocs()), 'the column tables in results/README.md are out of date');
  for (const column of FIXED_COLUMNS) assert.match(readme, new RegExp(`\\| \`${column.name}\` \\| ${column.type} \\|`));
});

test('column names are unique', () => {
  const names = FIXED_COLUMNS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});
