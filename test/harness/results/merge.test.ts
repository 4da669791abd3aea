// Tests of merge: shards of one sweep gathered into one folder, checked against the grid rebuilt from the
// manifest; duplicates, conflicts, foreign, stale and missing runs reported; other sweeps and --out misuse refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep, type Sweep } from '../../../harness/config/sweep.js';
import { canonicalJson } from '../../../harness/grid/canonical-json.js';
import { cellId, type Cell } from '../../../harness/grid/cell.js';
import type { ResultRow, RowValue } from '../../../harness/results/columns.js';
import { readManifest, writeManifest } from '../../../harness/results/manifest.js';
import { differingColumns, mergeResults, type MergeOptions } from '../../../harness/results/merge.js';
import { paramColumnValues } from '../../../harness/results/param-columns.js';
import { axisColumnName, axisValue } from '../../../harness/results/table.js';
import { writeRow } from '../../../harness/results/write.js';
import { scratchDir } from '../cli/spawn.js';

const YAML = [
  'name: merge-demo',
  'version: 1',
  'seeds: [0, 1]',
  'datasets:',
  '  - name: mnist',
  '    params: { train_size: 40, test_size: 20, seed: 0 }',
  'strategies:',
  '  - name: patch',
  '    params: { patch_size: [7, 14] }',
  'model: { dim: 16, depth: 1, heads: 2, mlp_ratio: 2 }',
  'train: { pretrain_epochs: 1, classify_epochs: 1 }',
  '',
].join('\n');

const sweep: Sweep = parseSweep(YAML, 'merge-demo.yaml', builtinComponents);
const [cell7, cell14] = sweep.cells;
const METADATA = { sweepYaml: YAML, tokbenchVersion: '0.2.0', gitCommit: null, nodeVersion: process.version, backend: 'wasm' };

/** A row as the runner writes it for (cell, seed), with the given metric columns. */
function rowFor(cell: Cell, seed: number, columns: Record<string, RowValue> = {}): ResultRow {
  const row: ResultRow = {
    sweep: sweep.name,
    cell_id: cell.id,
    seed,
    config: canonicalJson(cell.explicit),
    config_hash: cell.configHash,
    data_hash: '',
    modality: cell.modality,
    dataset: cell.dataset.name,
    strategy: cell.strategy.name,
    ...paramColumnValues(cell.model, cell.train),
    params_json: JSON.stringify({ dataset: cell.dataset, strategy: cell.strategy, model: cell.model, train: cell.train }),
    decode_note: null,
    backend: 'wasm',
    tokbench_version: '0.2.0',
    status: 'ok',
    error: null,
    accuracy: 0.9,
    train_seconds: 10,
    ...columns,
  };
  for (const [axis, value] of Object.entries(cell.axes)) if (axisColumnName(axis) === axis) row[axis] = axisValue(value);
  return row;
}

/** A results folder of the demo sweep (or of `yaml`) holding these rows, each with two test predictions. */
async function folder(rows: readonly ResultRow[], yaml = YAML): Promise<string> {
  const dir = await scratchDir();
  await writeManifest(dir, { name: /name: (\S+)/.exec(yaml)?.[1] ?? '', sweep_yaml: yaml, config_file: 'merge-demo.yaml', tokbench_version: '0.2.0' });
  for (const row of rows) {
    const predictions = {
      cellId: String(row.cell_id), seed: Number(row.seed), classNames: ['0', '1'], sampleIndex: Int32Array.of(3, 5), window: null, labels: Int32Array.of(0, 1),
      predicted: Int32Array.of(0, 0), tokens: Int32Array.of(16, 16), probabilities: null,
    };
    await writeRow(dir, { row, predictions, errorDetail: null, artifacts: Number(row.seed) === 0 ? { 'state.json': `{"cell":"${row.cell_id}"}` } : null }, METADATA);
  }
  return dir;
}

const options = (dirs: string[], out: string, overwrite = false): MergeOptions => ({
  dirs, out, overwrite, components: builtinComponents, metadata: { tokbenchVersion: '0.2.0', gitCommit: null, nodeVersion: process.version },
});

describe('mergeResults', () => {
  test('gathers the runs of two shards; reports duplicates, conflicts, foreign, stale and missing runs', async () => {
    const a = await folder([
      rowFor(cell7, 0),
      rowFor(cell7, 1, { accuracy: 0.8 }),
      rowFor(cell14, 0, { config_hash: 'ffffffffffffffff' }), // stale: another resolved configuration
      { ...rowFor(cell14, 0), cell_id: 'abcdefabcdef', config: '{}' }, // foreign: not a cell of the grid
    ]);
    const b = await folder([
      rowFor(cell7, 0, { train_seconds: 99, backend: 'tensorflow' }), // duplicate: measured columns only
      rowFor(cell7, 1, { accuracy: 0.7 }), // conflict: the first folder's is kept
      rowFor(cell14, 0, { status: 'failed', error: 'boom', accuracy: null }),
    ]);
    const out = join(await scratchDir(), 'merged');
    const report = await mergeResults(options([a, b], out));
    assert.equal(report.kept, 3);
    assert.equal(report.notOk, 1);
    assert.equal(report.duplicates, 1);
    assert.deepEqual(report.conflicts.map((c) => [c.cell.id, c.seed, c.kept, c.other, c.columns]), [[cell7.id, 1, a, b, ['accuracy']]]);
    assert.deepEqual(report.stale, [{ dir: a, cellId: cell14.id, seed: 0 }]);
    assert.deepEqual(report.foreign, [{ dir: a, cellId: 'abcdefabcdef', seed: 0 }]);
    assert.deepEqual(report.missing.map((m) => [m.cell.id, m.seed]), [[cell14.id, 1]]);

    // Each kept run's row, its predictions and (seed 0, from run --save-tokenizers) its fitted tokenizer.
    const files = (await readdir(join(out, 'rows'))).sort();
    assert.deepEqual(files, [cell7, cell7, cell14].flatMap((cell, i) => {
      const seed = i === 1 ? 1 : 0;
      const run = `${cell.id}-seed${seed}`;
      return [`${run}.json`, `${run}.predictions.arrow`, ...(seed === 0 ? [`${run}.tokenizer`] : [])];
    }).sort());
    assert.equal(await readFile(join(out, 'rows', `${cell14.id}-seed0.tokenizer`, 'state.json'), 'utf8'), `{"cell":"${cell14.id}"}`);
    const kept = JSON.parse(await readFile(join(out, 'rows', `${cell7.id}-seed1.json`), 'utf8')) as ResultRow;
    assert.equal(kept.accuracy, 0.8);
    assert.deepEqual(await readManifest(out), await readManifest(a));
    const table = tableFromIPC(await readFile(join(out, 'results.arrow')));
    assert.deepEqual(table.getChild('cell_id')?.toArray(), [cell7.id, cell7.id, cell14.id]);
    assert.equal(table.schema.metadata.get('tokbench.sweep_yaml'), YAML);
    const predictions = tableFromIPC(await readFile(join(out, 'predictions.arrow')));
    assert.equal(predictions.numRows, 6);
    assert.match(await readFile(join(out, 'summary.md'), 'utf8'), /^# merge-demo\n/);
  });

  test('a row written before budgets (epoch columns, the shorthand in its config) is foreign; the table has budget columns only', async () => {
    // tokbench 0.2.0 kept `pretrain_epochs: 1` in the cell's config, so the cell had another id.
    const oldConfig = { ...cell7.explicit, train: { classify_epochs: 1, pretrain_epochs: 1 } };
    const old: ResultRow = { ...rowFor(cell7, 0), cell_id: cellId(oldConfig), config: canonicalJson(oldConfig), config_hash: '0123456789abcdef', pretrain_epochs: 1, classify_epochs: 1 };
    delete old.pretrain_budget;
    delete old.classify_budget;
    assert.notEqual(old.cell_id, cell7.id);
    const a = await folder([old, rowFor(cell7, 1)]);
    const report = await mergeResults(options([a], join(await scratchDir(), 'merged')));
    assert.deepEqual(report.foreign, [{ dir: a, cellId: old.cell_id, seed: 0 }]);
    assert.equal(report.kept, 1);
    const table = tableFromIPC(await readFile(join(report.out, 'results.arrow')));
    const names = table.schema.fields.map((f) => f.name);
    assert.ok(!names.includes('pretrain_epochs') && !names.includes('classify_epochs'));
    assert.deepEqual(table.getChild('pretrain_budget')?.toArray(), ['epochs=1']);
    assert.deepEqual(table.getChild('classify_budget')?.toArray(), ['epochs=1']);
  });

  test('refuses folders of another sweep configuration, naming them', async () => {
    const a = await folder([rowFor(cell7, 0)]);
    const other = await folder([], YAML.replace('patch_size: [7, 14]', 'patch_size: [4, 7]'));
    const renamed = await folder([], YAML.replace('merge-demo', 'another'));
    const out = join(await scratchDir(), 'merged');
    await assert.rejects(mergeResults(options([a, other, renamed], out)), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'input');
      assert.equal(
        error.message,
        `cannot merge rows from a different sweep configuration: '${other}' (sweep 'merge-demo' with a different YAML), '${renamed}' (sweep 'another') differ from '${a}' (sweep 'merge-demo'); merge only folders of one sweep file, unchanged`,
      );
      return true;
    });
    await assert.rejects(mergeResults(options([a, await scratchDir()], out)), /no sweep manifest \(sweep\.json\) in/);
  });

  test('refuses an --out that is one of the inputs, or that holds rows already unless overwriting', async () => {
    const a = await folder([rowFor(cell7, 0)]);
    const b = await folder([rowFor(cell7, 1)]);
    await assert.rejects(mergeResults(options([a, b], `${b}/`)), /it is one of the folders being merged/);
    const out = await folder([rowFor(cell14, 1)]);
    await assert.rejects(mergeResults(options([a, b], out)), /already holds 2 file\(s\) in rows\//);
    const report = await mergeResults(options([a, b], out, true));
    assert.equal(report.kept, 2);
    assert.deepEqual((await readdir(join(out, 'rows'))).filter((f) => f.endsWith('.json')).sort(), [`${cell7.id}-seed0.json`, `${cell7.id}-seed1.json`]);
  });

  test('differingColumns ignores measured columns only', () => {
    const row = rowFor(cell7, 0);
    assert.deepEqual(differingColumns(row, { ...row, train_seconds: 1, peak_rss_mb: 2, backend: 'cpu', pretrain_losses: [1] }), []);
    assert.deepEqual(differingColumns(row, { ...row, tokbench_version: '0.3.0', reconstruction_error: 0.1 }), ['reconstruction_error', 'tokbench_version']);
  });
});
