// The merge and compare commands as a user runs them: shards merged (exit 1 while runs are missing, 2 for
// folders of another sweep), then the merged folder compared with an earlier one (exit 3 on a regression).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { parseSweep } from '../../../harness/config/sweep.js';
import { canonicalJson } from '../../../harness/grid/canonical-json.js';
import { writeManifest } from '../../../harness/results/manifest.js';
import { writeRow } from '../../../harness/results/write.js';
import { scratchDir, tokbench } from './spawn.js';

const YAML = [
  'name: cli-merge',
  'version: 1',
  'seeds: [0, 1, 2]',
  'datasets:',
  '  - name: synthetic-dna',
  '    params: { n: 60, length: 40 }',
  'strategies:',
  '  - name: kmer',
  '    params: { k: [3, 4] }',
  '',
].join('\n');

const sweep = parseSweep(YAML, 'cli-merge.yaml', builtinComponents);

/** A results folder with the runs `pick` chooses, accuracy `accuracy(seed)` each. */
async function folder(yaml: string, pick: (run: number) => boolean, accuracy: (seed: number) => number): Promise<string> {
  const dir = await scratchDir();
  await writeManifest(dir, { name: sweep.name, sweep_yaml: yaml, config_file: 'cli-merge.yaml', tokbench_version: '0.2.0' });
  let run = 0;
  for (const cell of sweep.cells) {
    for (const seed of sweep.seeds) {
      if (!pick(run++)) continue;
      const row = {
        sweep: sweep.name, cell_id: cell.id, seed, config: canonicalJson(cell.explicit), config_hash: cell.configHash, data_hash: '', modality: cell.modality,
        dataset: cell.dataset.name, strategy: cell.strategy.name, params_json: JSON.stringify({ dataset: cell.dataset, strategy: cell.strategy, model: cell.model, train: cell.train }),
        'strategy.k': cell.strategy.params.k as number, backend: 'wasm', tokbench_version: '0.2.0', status: 'ok', error: null, accuracy: accuracy(seed), train_seconds: 10,
      };
      await writeRow(dir, { row, predictions: null, errorDetail: null, artifacts: null }, { sweepYaml: yaml, tokbenchVersion: '0.2.0', gitCommit: null, nodeVersion: process.version, backend: 'wasm' });
    }
  }
  return dir;
}

test('merge: exit 1 listing the missing runs, 0 once every run is there, 2 for a folder of another sweep', async () => {
  const even = await folder(YAML, (run) => run % 2 === 0, (seed) => 0.9 + 0.01 * seed);
  const odd = await folder(YAML, (run) => run % 2 === 1 && run !== 5, (seed) => 0.9 + 0.01 * seed);
  const rest = await folder(YAML, (run) => run === 5, (seed) => 0.9 + 0.01 * seed);
  const other = await folder(YAML.replace('k: [3, 4]', 'k: [3, 5]'), () => false, () => 0);
  const out = join(await scratchDir(), 'merged');
  const [partial, mismatch, whole] = await Promise.all([
    tokbench('merge', even, odd, '--out', join(await scratchDir(), 'partial')),
    tokbench('merge', even, other, '--out', join(await scratchDir(), 'never')),
    tokbench('merge', even, odd, rest, '--out', out),
  ]);
  assert.equal(partial.code, 1, partial.stderr);
  assert.match(partial.stderr, /5 runs of 6 from 2 folders/);
  assert.match(partial.stderr, new RegExp(`Missing 1 run of 6: no folder has a usable row for them:\n  synthetic-dna / kmer k=4 overlap=true cls_sep=false max_len=510 seed 2 \\(cell ${sweep.cells[1].id}\\)\n`));
  assert.equal(mismatch.code, 2, mismatch.stderr);
  assert.match(mismatch.stderr, new RegExp(`^tokbench: cannot merge rows from a different sweep configuration: '${other}' \\(sweep 'cli-merge' with a different YAML\\)`));
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /^# cli-merge\n/);

  // Accuracy 0.90, 0.91, 0.92 before; 0.80, 0.81, 0.82 now.
  const worse = await folder(YAML, () => true, (seed) => 0.8 + 0.01 * seed);
  const [regression, same] = await Promise.all([tokbench('compare', worse, '--with', out), tokbench('compare', out, '--with', out)]);
  assert.equal(regression.code, 3, regression.stderr);
  assert.match(regression.stdout, /## Worse: 2\n/);
  assert.match(regression.stdout, /\| synthetic-dna \| kmer \| k=3 \| accuracy \| quality \| 0\.910 ± 0\.010 \(3\) \| 0\.810 ± 0\.010 \(3\) \|/);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /## Worse: 0\n[\s\S]*No regression\.\n$/);
});
