// Preflight on expression sources: an unlabelled source cannot be classified, dropped cells and genes are announced,
// and files a strategy's params name (a medians table) join the rows' data hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { preflight } from '../../../harness/runner/preflight.js';
import { ConfigError, formatProblem } from '../../../harness/validation/problems.js';

const folder = mkdtempSync(join(tmpdir(), 'tokbench-preflight-'));
const file = join(folder, 'sweep.yaml');
// Six cells of three genes; c5 has no counts, C is detected in one cell only.
writeFileSync(join(folder, 'cells.csv'), ['cell,A,B,C,type', 'c0,3,1,0,x', 'c1,2,0,0,x', 'c2,4,2,0,y', 'c3,1,5,0,y', 'c4,0,3,7,x', 'c5,0,0,0,y'].join('\n'));
writeFileSync(join(folder, 'medians.tsv'), 'A\t1\nB\t2\nC\t3\n');
writeFileSync(join(folder, 'unlabelled.csv'), ['cell,A,B', 'c0,3,1', 'c1,2,1', 'c2,4,2', 'c3,1,5', 'c4,1,3'].join('\n'));

const sweep = (dataset: string, train = '{ pretrain_epochs: 1, classify_epochs: 1 }', strategy = '{ name: rank }') =>
  parseSweep(
    ['name: expression', 'version: 1', 'seeds: [0]', `datasets: [${dataset}]`, `strategies: [${strategy}]`, 'model: { dim: 16, depth: 1, heads: 2 }', `train: ${train}`].join('\n'),
    file,
    builtinComponents,
  );

test('an unlabelled source is refused for classification at its place in the file, and allowed without it', async () => {
  const unlabelled = '{ name: expression-csv, params: { path: unlabelled.csv, train_size: 3, test_size: 2 } }';
  const error: unknown = await preflight(sweep(unlabelled)).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  assert.deepEqual(error.problems.map(formatProblem), [
    `${file}:4:12: datasets[0]: dataset 'expression-csv' has no labels, so it cannot be classified (train.classify is 'finetune'); set train.classify: none for a reconstruction-only run, or name a label column (label_column, with labels: FILE for 10x folders)`,
  ]);
  await preflight(sweep(unlabelled, '{ pretrain_epochs: 1, classify: none }'));
  // tokenize needs no labels.
  await preflight(sweep(unlabelled), { training: false });
});

test('what the file holds, cells with no counts and genes filtered out are announced', async () => {
  const checked = await preflight(sweep('{ name: expression-csv, params: { path: cells.csv, label_column: type, min_cells: 2, train_size: 3, test_size: 2 } }'));
  assert.deepEqual(checked.notes, [
    `dataset 'expression-csv' (datasets[0]): ${join(folder, 'cells.csv')} holds counts values (min 0, max 7)`,
    "dataset 'expression-csv' (datasets[0]): 1 cell(s) with no counts dropped; 1 gene(s) detected in fewer than min_cells cells dropped",
  ]);
});

test("a medians table joins the data hash, which changes with the table's content", async () => {
  const dataset = '{ name: expression-csv, params: { path: cells.csv, label_column: type, train_size: 3, test_size: 2 } }';
  const hashOf = async (strategy: string) => {
    const parsed = sweep(dataset, undefined, strategy);
    return (await preflight(parsed)).dataHashes.get(parsed.cells[0].id);
  };
  const plain = await hashOf('{ name: rank }');
  const withMedians = await hashOf('{ name: rank, params: { medians: medians.tsv } }');
  assert.match(plain ?? '', /^[0-9a-f]{16}$/);
  assert.notEqual(withMedians, plain);
  writeFileSync(join(folder, 'medians.tsv'), 'A\t1\nB\t2\nC\t4\n');
  const edited = await hashOf('{ name: rank, params: { medians: medians.tsv } }');
  assert.notEqual(edited, withMedians);
  assert.equal(await hashOf('{ name: rank }'), plain);
});
