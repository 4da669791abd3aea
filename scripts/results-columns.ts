// Rewrites the column tables of results/README.md (everything after its "## Columns" section's intro) from the
// declarations; `--check` only reports whether they are current. Run after changing a column or a metric.
import { readFileSync, writeFileSync } from 'node:fs';
import { columnDocs } from '../harness/results/column-docs.js';

const README = new URL('../results/README.md', import.meta.url);
const FIRST_TABLE = '### Identity and configuration';

const text = readFileSync(README, 'utf8');
const start = text.indexOf(FIRST_TABLE);
if (start < 0) throw new Error(`results/README.md has no '${FIRST_TABLE}' heading to replace from`);
const updated = `${text.slice(0, start)}${columnDocs()}\n`;
if (process.argv.includes('--check')) {
  console.log(updated === text ? 'results/README.md is current' : 'results/README.md is out of date: run npx tsx scripts/results-columns.ts');
  process.exitCode = updated === text ? 0 : 1;
} else {
  writeFileSync(README, updated);
}
