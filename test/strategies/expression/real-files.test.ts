// Every expression strategy through every real file in ../shared/data: the counts files load and tokenize, decode
// stays in the panel, and the scaled / log-normalised layers of pbmc68k_reduced are refused by the strategies that need
// counts, with a message that says what the chosen layer holds and which layers the file has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../../datasets/registry.js';
import type { DatasetDefinition, LoadedDataset } from '../../../datasets/types.js';
import { sampleRandom } from '../../../harness/random.js';
import { tokenizerRandom } from '../../../harness/runner/prepare.js';
import { strategies } from '../../../strategies/registry.js';
import type { StrategyDefinition } from '../../../strategies/types.js';

const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const skip = existsSync(SHARED_DATA) ? false : `no real data at ${SHARED_DATA} (../shared/data beside the repository)`;

const EXPRESSION = ['rank', 'binned', 'continuous', 'fixed-order', 'modules'] as const;
// Small enough to run in seconds; the defaults only differ in length.
const PARAMS: Record<(typeof EXPRESSION)[number], object> = { rank: { max_len: 256 }, binned: { n_bins: 11 }, continuous: {}, 'fixed-order': {}, modules: { n_modules: 8, iterations: 10 } };

async function load(name: string, params: object): Promise<LoadedDataset<'expression'>> {
  const definition = datasets[name as keyof typeof datasets] as unknown as DatasetDefinition<'expression'>;
  return definition.load(definition.params.parse(params), { baseDir: SHARED_DATA });
}

const SOURCES: readonly [string, string, object, number][] = [
  ['pbmc68k_counts.h5ad', 'h5ad', { path: 'pbmc68k/pbmc68k_counts.h5ad', label_column: 'bulk_labels', total_column: 'n_counts' }, 700],
  ['tenx_v3 folder', '10x-mtx', { path: 'tenx_v3/filtered_feature_bc_matrix' }, 1107],
  ['tenx_v3 .h5', '10x-h5', { path: 'tenx_v3/filtered_feature_bc_matrix.h5' }, 1107],
];

for (const [label, reader, params, cells] of SOURCES) {
  test(`${label}: every expression strategy fits, encodes every cell and decodes within the panel`, { skip }, async () => {
    const dataset = await load(reader, params);
    assert.equal(dataset.train.samples.length + dataset.test.samples.length, cells);
    assert.equal(dataset.info.values, 'counts');
    const genes = dataset.info.genes.length;
    for (const name of EXPRESSION) {
      const definition = strategies[name] as unknown as StrategyDefinition<'expression'>;
      const strategy = definition.create(definition.params.parse(PARAMS[name]), dataset.info);
      strategy.fit?.(dataset.train.samples, tokenizerRandom(definition, 0));
      for (const split of [dataset.train, dataset.test]) {
        split.samples.forEach((cell, i) => {
          const tokens = strategy.encode(cell, sampleRandom(0, split.index[i]));
          assert.ok(tokens.length > 0 || cell.genes.length === 0, `${name}: cell ${split.index[i]} has no tokens`);
          assert.ok(tokens.dropped >= 0 && tokens.dropped <= 1, `${name}: dropped ${tokens.dropped}`);
        });
      }
      const decoded = strategy.decode(strategy.encode(dataset.test.samples[0], sampleRandom(0, dataset.test.index[0])));
      assert.ok(decoded.genes.every((g) => g >= 0 && g < genes), `${name} decodes outside the panel`);
      assert.ok(decoded.counts.every(Number.isFinite), `${name} decodes a non-finite value`);
    }
  });
}

test('pbmc68k_reduced: X (scaled) and raw (log1p) are refused by the strategies that need other values, naming both layers', { skip }, async () => {
  const scaled = await load('h5ad', { path: 'pbmc68k/pbmc68k_reduced.h5ad', label_column: 'bulk_labels' });
  const logged = await load('h5ad', { path: 'pbmc68k/pbmc68k_reduced.h5ad', label_column: 'bulk_labels', layer: 'raw' });
  assert.deepEqual([scaled.info.values, logged.info.values], ['scaled', 'log1p']);
  for (const name of EXPRESSION) {
    const definition = strategies[name] as unknown as StrategyDefinition<'expression'>;
    const params = definition.params.parse(PARAMS[name]);
    const [problem] = definition.check?.(params, scaled.info) ?? [];
    assert.ok(problem !== undefined, `${name} accepts scaled values`);
    assert.match(problem.message, /^found scaled values \(layer 'X' of pbmc68k_reduced\.h5ad holds scaled values .*the file also has: layer 'raw' \(log1p\)\); expected /, name);
    const refusesLogged = (definition.check?.(params, logged.info) ?? []).length > 0;
    // Rank and fixed-order take counts or normalised values only; the others log-normalise and accept log1p as it is.
    assert.equal(refusesLogged, name === 'rank' || name === 'fixed-order', name);
  }
});
