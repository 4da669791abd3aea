// End to end: `tokbench run` on the ci-smoke sweep, its results.arrow read back by an independent reader
// (Polars) and checked column by column; failing cells and bad configs as users meet them.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { tableFromIPC } from 'apache-arrow';
import { parseSweep } from '../../../harness/config/sweep.js';
import { builtinComponents } from '../../../harness/config/builtin-components.js';
import { METRIC_COLUMNS } from '../../../harness/results/columns.js';
import { encoderMacs } from '../../../harness/flops.js';
import { coordFeatureWidth } from '../../../harness/model/coords.js';
import type { DatasetDefinition, LoadedDataset, Modality } from '../../../datasets/types.js';
import { root, scratchDir, sweepFile, tokbench } from './spawn.js';
import type { Run } from './spawn.js';

const CONFIG = 'configs/ci-smoke.yaml';
const yaml = readFileSync(join(root, CONFIG), 'utf8');
const sweep = parseSweep(yaml, CONFIG, builtinComponents);

type Value = string | number | null;
type Rows = Record<string, Value>[];

function readRows(file: string): { df: pl.DataFrame; rows: Rows } {
  const df = pl.readIPC(readFileSync(file));
  return { df, rows: df.toRecords() as Rows };
}

const column = (rows: Rows, name: string) => rows.map((r) => r[name]);
const byStrategy = (rows: Rows, name: string, patch?: number) => rows.filter((r) => r.strategy === name && (patch === undefined || r['strategy.patch_size'] === patch));

/**
 * `reconstruction_reference` recomputed here in float64, apart from tokbench's code: each test element against
 * the training mean of that element (pixels; log1p(counts per 10k) per gene), or the most frequent training base.
 */
function referenceError(data: LoadedDataset<Modality>): number {
  const dense = (sample: unknown): number[] => {
    if (data.modality === 'image') return Array.from((sample as { pixels: Float32Array }).pixels);
    const cell = sample as { genes: Int32Array; counts: Float32Array; librarySize: number };
    const out = new Array<number>((data.info as unknown as { genes: string[] }).genes.length).fill(0);
    cell.genes.forEach((g, i) => (out[g] = Math.log1p((cell.counts[i] * 10_000) / cell.librarySize)));
    return out;
  };
  if (data.modality === 'sequence') {
    const bases = (data.train.samples as string[]).join('');
    const common = [...'ACGT'].sort((a, b) => bases.split(b).length - bases.split(a).length)[0];
    const test = (data.test.samples as string[]).join('');
    return [...test].filter((b) => b !== common).length / test.length;
  }
  const train = data.train.samples.map(dense);
  const mean = train[0].map((_, e) => train.reduce((s, x) => s + x[e], 0) / train.length);
  let sum = 0;
  let count = 0;
  for (const x of data.test.samples.map(dense)) {
    x.forEach((v, e) => (sum += (v - mean[e]) ** 2));
    count += x.length;
  }
  return sum / count;
}

describe('tokbench run configs/ci-smoke.yaml', () => {
  let pooled: Run;
  let single: Run;
  let pooledDir: string;
  let singleDir: string;

  before(async () => {
    pooledDir = await scratchDir();
    singleDir = await scratchDir();
    [pooled, single] = await Promise.all([
      tokbench('run', CONFIG, '--out', pooledDir, '--concurrency', '2', '--save-probabilities'),
      tokbench('run', CONFIG, '--out', singleDir, '--concurrency', '1'),
    ]);
  });

  test('exits 0, prints a progress line per row and the summary', () => {
    assert.equal(pooled.code, 0, pooled.stderr);
    assert.equal(pooled.stderr.split('\n').filter((l) => /^\[\s*[1-8]\/8\] /.test(l)).length, 8);
    assert.match(pooled.stderr, /^\[0\/8\] starting$/m);
    assert.match(pooled.stderr, /^ok 8, failed 0, diverged 0, skipped 0 in \d/m);
    assert.match(pooled.stdout, /^# ci-smoke/);
    for (const file of ['results.arrow', 'results.csv', 'summary.md', 'predictions.arrow']) assert.ok(existsSync(join(pooledDir, file)), file);
  });

  test('each row was also saved on its own as it finished', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    const expected = rows.flatMap((r) => [`${r.cell_id}-seed${r.seed}.json`, `${r.cell_id}-seed${r.seed}.predictions.arrow`]);
    assert.deepEqual(readdirSync(join(pooledDir, 'rows')).sort(), expected.sort());
    const saved = JSON.parse(readFileSync(join(pooledDir, 'rows', `${rows[0].cell_id}-seed${rows[0].seed}.json`), 'utf8')) as Record<string, Value>;
    assert.equal(saved.accuracy, rows[0].accuracy);
  });

  test('identity columns: one row per (cell, seed) in grid order, with the resolved params', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    assert.equal(rows.length, sweep.cells.length * sweep.seeds.length);
    assert.deepEqual(rows.map((r) => [r.cell_id, r.seed]), sweep.cells.flatMap((c) => sweep.seeds.map((s) => [c.id, s])));
    rows.forEach((row, i) => {
      const cell = sweep.cells[Math.floor(i / sweep.seeds.length)];
      assert.equal(row.sweep, 'ci-smoke');
      assert.equal(row.modality, cell.modality);
      assert.equal(row.dataset, cell.dataset.name);
      assert.equal(row.strategy, cell.strategy.name);
      assert.deepEqual([row.dim, row.depth, row.heads, row.mlp_ratio], [16, 1, 2, 2]);
      assert.deepEqual([row.mask_ratio, row.pretrain_budget, row.classify_budget, row.batch_size, row.lr, row.classify], [0.25, 'epochs=1', 'epochs=1', 16, 0.002, 'finetune']);
      assert.deepEqual(JSON.parse(String(row.params_json)), { dataset: cell.dataset, strategy: cell.strategy, model: cell.model, train: cell.train });
      assert.equal(row.status, 'ok');
      assert.equal(row.error, null);
      assert.equal(row.tokbench_version, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    });
    assert.equal(new Set(column(rows, 'backend')).size, 1);
  });

  test('spend columns: what each stage spent, exactly, against an independent count for patch 7', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    for (const row of rows) {
      // One epoch of each stage over the same training samples, in batches of 16; no learning-rate selection.
      assert.ok(Number(row.pretrain_samples) > 0);
      assert.deepEqual([row.classify_samples, row.classify_tokens, row.classify_steps], [row.pretrain_samples, row.pretrain_tokens, row.pretrain_steps]);
      assert.equal(row.pretrain_steps, Math.ceil(Number(row.pretrain_samples) / 16));
      assert.deepEqual([row.lr_selected, row.lr_selection_flops], [null, null]);
    }
    // 60 digits of 16 patches of 49 values: the encoder, plus 4 masked patches through the 49-value head in
    // pre-training, or the 16 → 10 classification head in fine-tuning; 3 passes of 2 FLOPs per MAC.
    const macs = encoderMacs(sweep.cells[0].model, { tokens: 16, valueDim: 49, coordDim: coordFeatureWidth(3) }).total;
    const patch7 = rows.filter((row) => row['strategy.patch_size'] === 7);
    assert.equal(patch7.length, 2);
    for (const row of patch7) {
      assert.deepEqual([row.pretrain_samples, row.pretrain_tokens], [60, 60 * 16]);
      assert.equal(row.pretrain_flops, 60 * 6 * (macs + 4 * 16 * 49));
      assert.equal(row.classify_flops, 60 * 6 * (macs + 16 * 10));
    }
  });

  test('column types are explicit, and only real axes get columns', () => {
    const { df } = readRows(join(pooledDir, 'results.arrow'));
    const types = Object.fromEntries(Object.entries(df.schema).map(([k, v]) => [k, String(v).replace(/^DataType\((.*)\)$/, '$1')]));
    assert.equal(types.seed, 'Int32');
    assert.equal(types.cell_id, 'String');
    assert.equal(types.accuracy, 'Float64');
    assert.equal(types.vocab_size, 'Int32');
    assert.equal(types['strategy.patch_size'], 'Int32');
    assert.ok(!('strategy.max_len' in types), 'rank and kmer each have one max_len: not an axis');
    for (const metric of METRIC_COLUMNS) assert.ok(metric.name in types, metric.name);
  });

  test('token statistics and vocabularies are exact', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    // 28×28 digits: 7×7 patches → 4×4 = 16 tokens; 14×14 → 4. 40-base sequences, k = 3 → 38 k-mers.
    for (const [rowsOf, tokens] of [[byStrategy(rows, 'patch', 7), 16], [byStrategy(rows, 'patch', 14), 4], [byStrategy(rows, 'kmer'), 38]] as const) {
      for (const r of rowsOf) assert.deepEqual([r.tokens_mean, r.tokens_p95, r.tokens_max, r.dropped_fraction], [tokens, tokens, tokens, 0]);
    }
    for (const r of byStrategy(rows, 'rank')) assert.ok((r.tokens_max as number) <= 64 && (r.tokens_mean as number) > 0);
    // kmer: 5 specials + 4³; rank: <pad>, <mask> + 80 genes; patches are continuous.
    assert.deepEqual([...new Set(byStrategy(rows, 'kmer').map((r) => r.vocab_size))], [69]);
    assert.deepEqual([...new Set(byStrategy(rows, 'rank').map((r) => r.vocab_size))], [82]);
    assert.deepEqual([...new Set(byStrategy(rows, 'patch').map((r) => r.vocab_size))], [0]);
  });

  test('analytic MACs match a hand count', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    // dim 16, depth 1, MLP 32; coordinates: 3 dims × 2 × 16 Fourier features = 96 inputs.
    // 7×7 patches, N = 16: embedding 16·(49+96)·16 = 37,120; qkv 3·16·16² = 12,288; scores and
    // weighted 16²·16 = 4,096 each; output 16·16² = 4,096; MLP 2·16·16·32 = 16,384 → 78,080.
    for (const r of byStrategy(rows, 'patch', 7)) assert.deepEqual([r.attention_macs, r.total_macs], [8192, 78_080]);
    // 14×14 patches, N = 4: 4·(196+96)·16 = 18,688; 3,072 + 256 + 256 + 1,024 + 4,096 → 27,392.
    for (const r of byStrategy(rows, 'patch', 14)) assert.deepEqual([r.attention_macs, r.total_macs], [512, 27_392]);
  });

  test('metrics are where they apply, null elsewhere, and in range', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    for (const r of rows) {
      for (const name of ['reconstruction_error', 'reconstruction_reference', 'reconstruction_fill_reference', 'masked_reconstruction_error', 'masked_reconstruction_reference', 'roundtrip_error']) {
        assert.ok((r[name] as number) >= 0, `${name} of ${r.strategy}`);
      }
      assert.equal(r.masked_token_accuracy === null, r.strategy === 'patch');
      for (const name of ['accuracy', 'macro_f1', 'majority_accuracy', 'baseline_accuracy', 'baseline_macro_f1']) assert.ok((r[name] as number) >= 0 && (r[name] as number) <= 1, name);
      for (const name of ['pretrain_loss', 'train_seconds', 'train_tokens_per_second', 'peak_rss_mb', 'parameter_count']) assert.ok((r[name] as number) > 0, name);
      // One epoch each: one loss each, and pretrain_loss is the last.
      assert.deepEqual([(r.pretrain_losses as unknown as number[]).length, (r.classify_losses as unknown as number[]).length], [1, 1]);
      assert.equal(r.pretrain_loss, (r.pretrain_losses as unknown as number[])[0]);
      // 30 mnist test digits, 18 test cells and sequences: accuracy is a whole number of samples.
      assert.equal(r.test_samples, r.dataset === 'mnist' ? 30 : 18);
      const tests = r.test_samples as number;
      assert.ok(Math.abs((r.accuracy as number) * tests - Math.round((r.accuracy as number) * tests)) < 1e-9);
    }
    // Patches and k-mers (N → [UNK] → N) decode exactly; rank tokens lose magnitudes, and say how decode guesses them.
    for (const r of byStrategy(rows, 'patch')) assert.deepEqual([r.roundtrip_error, r.decode_note], [0, '']);
    for (const r of byStrategy(rows, 'rank')) assert.match(String(r.decode_note), /median/);
    for (const r of byStrategy(rows, 'kmer')) assert.equal(r.roundtrip_error, 0);
    for (const r of byStrategy(rows, 'rank')) assert.ok((r.roundtrip_error as number) > 0);
    // Whole patches never overlap: exactly a quarter of the pixels are masked (4 of 16 7×7 patches, 1 of 4 14×14).
    for (const r of byStrategy(rows, 'patch')) assert.deepEqual([r.masked_elements, r.masked_element_fraction], [30 * 196, 0.25]);
  });

  test('references are computed on the same split as an independent count shows', async () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    for (const cell of sweep.cells) {
      const definition = builtinComponents.datasets[cell.dataset.name] as DatasetDefinition;
      const data = await definition.load(cell.dataset.params);
      const counts = new Map<number, number>();
      for (const y of data.train.labels) counts.set(y, (counts.get(y) ?? 0) + 1);
      const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
      const expected = data.test.labels.filter((y) => y === majority).length / data.test.labels.length;
      for (const r of rows.filter((row) => row.cell_id === cell.id)) {
        assert.equal(r.majority_accuracy, expected, cell.dataset.name);
        const expectedReference = referenceError(data);
        assert.ok(Math.abs((r.reconstruction_reference as number) - expectedReference) < 1e-6 * expectedReference, `${cell.dataset.name}: ${r.reconstruction_reference} ≠ ${expectedReference}`);
      }
    }
    // Both depend on the dataset only.
    for (const dataset of ['mnist', 'synthetic-expression', 'synthetic-dna']) {
      for (const name of ['baseline_accuracy', 'majority_accuracy', 'reconstruction_reference']) {
        assert.equal(new Set(rows.filter((r) => r.dataset === dataset).map((r) => r[name])).size, 1, `${dataset} ${name}`);
      }
    }
  });

  test('predictions.arrow has every test sample of every row, and agrees with the row metrics', () => {
    const { rows } = readRows(join(pooledDir, 'results.arrow'));
    const predictions = pl.readIPC(readFileSync(join(pooledDir, 'predictions.arrow'))).toRecords() as Rows;
    assert.equal(predictions.length, rows.reduce((n, r) => n + (r.test_samples as number), 0));
    for (const r of rows) {
      const mine = predictions.filter((p) => p.cell_id === r.cell_id && p.seed === r.seed);
      assert.equal(mine.length, r.test_samples);
      assert.equal(mine.filter((p) => p.label === p.predicted).length / mine.length, r.accuracy);
      assert.equal(mine.reduce((n, p) => n + (p.tokens as number), 0) / mine.length, r.tokens_mean);
      assert.ok(mine.every((p) => Array.isArray(p.probabilities) && (p.probabilities as number[]).length > 1), 'probabilities were asked for');
    }
  });

  test('the same config and seed give the same numbers in worker processes and in one process', () => {
    // Loss curves are measured too, but computed: they must agree, unlike times and memory.
    const measured = new Set(METRIC_COLUMNS.filter((c) => c.provenance === 'measured' && c.type !== 'list<float64>' && c.name !== 'pretrain_loss').map((c) => c.name));
    const a = readRows(join(pooledDir, 'results.arrow')).rows;
    const b = readRows(join(singleDir, 'results.arrow')).rows;
    assert.equal(single.code, 0, single.stderr);
    const deterministic = (rows: Rows) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !measured.has(k))));
    assert.deepEqual(deterministic(a), deterministic(b));
  });

  test('schema metadata records the sweep, versions and backend', () => {
    const table = tableFromIPC(readFileSync(join(pooledDir, 'results.arrow')));
    const meta = table.schema.metadata;
    assert.equal(meta.get('tokbench.sweep_yaml'), yaml);
    assert.equal(meta.get('tokbench.node_version'), process.version);
    assert.match(meta.get('tokbench.git_commit') ?? '', /^([0-9a-f]{40}(-dirty)?)?$/);
    assert.equal(meta.get('tokbench.backend'), readRows(join(pooledDir, 'results.arrow')).rows[0].backend);
  });

  test('results.csv has the same columns and rows; summary.md a line per cell', () => {
    const csv = pl.readCSV(readFileSync(join(pooledDir, 'results.csv'), 'utf8'));
    const { df } = readRows(join(pooledDir, 'results.arrow'));
    assert.deepEqual(csv.columns, df.columns);
    assert.equal(csv.height, df.height);
    assert.deepEqual(csv.getColumn('cell_id').toArray(), df.getColumn('cell_id').toArray());
    assert.deepEqual(csv.getColumn('accuracy').toArray(), df.getColumn('accuracy').toArray());
    // Loss curves are JSON arrays in the CSV.
    assert.deepEqual(csv.getColumn('pretrain_losses').toArray().map((v) => JSON.parse(String(v))), df.getColumn('pretrain_losses').toArray().map((v) => Array.from(v as unknown as number[])));
    const summary = readFileSync(join(pooledDir, 'summary.md'), 'utf8');
    assert.equal(summary.split('\n').filter((l) => / \| 2\/2 \| /.test(l)).length, sweep.cells.length);
  });
});

describe('tokbench run on bad input', { concurrency: true }, () => {
  test('problems that depend on the data stop validate, plan and run before anything trains (exit 2, file:line:col)', async () => {
    const file = await sweepFile([
      'name: misfit',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: synthetic-dna',
      '    params: { n: 30, length: 5, classes: 2, motif_length: 3 }',
      '  - name: mnist',
      '    params: { train_size: [100, 9000], test_size: 2000 }',
      'strategies:',
      '  - name: kmer',
      '    params: { k: [3, 6] }',
      '  - name: patch',
      '    params: { patch_size: 32 }',
    ]);
    const out = join(await scratchDir(), 'never');
    for (const command of ['validate', 'plan', 'run']) {
      const run = await tokbench(command, file, ...(command === 'run' ? ['--out', out] : []));
      assert.equal(run.code, 2, `${command}: ${run.stderr}`);
      // run names the sweep's size first, before it checks the data.
      assert.deepEqual(run.stderr.trim().split('\n').filter((line) => !line.startsWith("tokbench run: sweep 'misfit'")), [
        `${file}:8:27: datasets[1].params.train_size: The 'train_size' and 'test_size' parameters of mnist must add up to at most 10000, the number of samples available; got 9000 + 2000 = 11000 instead.`,
        `${file}:11:18: strategies[0].params.k: found k 6 for sequences as short as 5 bases; expected at most 5 (dataset 'synthetic-dna')`,
        `${file}:13:27: strategies[1].params.patch_size: found patch_size 32 for 28×28 images; expected at most 28 (dataset 'mnist')`,
        '3 problems found; nothing was run.',
      ]);
    }
    assert.ok(!existsSync(out));
  });

  test("every dataset's unusable data stops validate and run at once, each problem at its file:line:col (exit 2)", async () => {
    const dna = join(root, 'test', 'fixtures', 'dna');
    const file = await sweepFile([
      'name: bad-data',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: fasta',
      `    params: { path: ${join(dna, 'invalid.fa')} }`,
      '  - name: sequence-csv',
      `    params: { path: ${join(dna, 'missing.csv')} }`,
      'strategies:',
      '  - name: char',
    ]);
    const out = join(await scratchDir(), 'never');
    for (const command of ['validate', 'run']) {
      const run = await tokbench(command, file, ...(command === 'run' ? ['--out', out] : []));
      assert.equal(run.code, 2, `${command}: ${run.stderr}`);
      // '    params: { path: ' is 20 characters: each value starts at column 21.
      assert.deepEqual(run.stderr.trim().split('\n').filter((line) => !line.startsWith("tokbench run: sweep 'bad-data'")), [
        `${file}:6:21: datasets[0].params.path: ${join(dna, 'invalid.fa')} line 5, column 3 (record 'bad1|b', base 7): the sequence has "X", outside A, C, G, T, N; set on_invalid to skip (drop such records) or as-n (read such characters as N)`,
        `${file}:8:21: datasets[1].params.path: cannot read data file ${join(dna, 'missing.csv')} (ENOENT: no such file or directory, stat '${join(dna, 'missing.csv')}')`,
        '2 problems found; nothing was run.',
      ]);
    }
    assert.ok(!existsSync(out));
  });

  test('classify: none pre-trains and scores reconstruction only; predictions keep labels and token counts', async () => {
    const file = await sweepFile([
      'name: unlabelled',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: synthetic-dna',
      '    params: { n: 30, length: 20, classes: 2, motif_length: 3 }',
      'strategies:',
      '  - name: kmer',
      '    params: { k: 3 }',
      'model: { dim: 8, depth: 1, heads: 1 }',
      'train: { pretrain_epochs: 2, classify: none }',
    ]);
    const out = await scratchDir();
    const run = await tokbench('run', file, '--out', out, '--concurrency', '1');
    assert.equal(run.code, 0, run.stderr);
    const [row] = readRows(join(out, 'results.arrow')).rows;
    assert.equal(row.status, 'ok');
    for (const name of ['accuracy', 'macro_f1', 'majority_accuracy', 'baseline_accuracy', 'classify_losses']) assert.equal(row[name], null, name);
    assert.ok((row.reconstruction_error as number) >= 0);
    assert.equal((row.pretrain_losses as unknown as number[]).length, 2);
    const predictions = pl.readIPC(readFileSync(join(out, 'predictions.arrow'))).toRecords() as Rows;
    assert.equal(predictions.length, 9);
    assert.ok(predictions.every((p) => p.predicted === null && p.tokens === 18 && typeof p.label === 'string'));
  });

  test('--json prints one event per line; --save-tokenizers keeps fitted state beside the row', async () => {
    const file = await sweepFile([
      'name: fitted',
      'version: 1',
      'seeds: [0]',
      'datasets:',
      '  - name: synthetic-expression',
      '    params: { cells: 30, genes: 12, types: 2 }',
      'strategies:',
      '  - name: rank',
      'model: { dim: 8, depth: 1, heads: 1 }',
      'train: { pretrain_epochs: 1, classify_epochs: 1 }',
    ]);
    const out = await scratchDir();
    const run = await tokbench('run', file, '--out', out, '--concurrency', '1', '--json', '--save-tokenizers');
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => e.event), ['begin', 'start', 'row', 'end']);
    assert.equal(events[0].total, 1);
    assert.equal(events[2].status, 'ok');
    assert.deepEqual([events[3].ok, events[3].failed, events[3].skipped], [1, 0, 0]);
    const [row] = readRows(join(out, 'results.arrow')).rows;
    const medians = readFileSync(join(out, 'rows', `${row.cell_id}-seed0.tokenizer`, 'medians.tsv'), 'utf8').split('\n');
    assert.equal(medians[0], 'gene\tmedian');
    assert.equal(medians.length, 1 + 12 + 1);
  });

  test('a seed beyond the int32 seed column is a config error', async () => {
    const file = await sweepFile(['name: big', 'version: 1', 'seeds: [2147483648]', 'datasets:', '  - name: mnist', 'strategies:', '  - name: patch']);
    const run = await tokbench('validate', file);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /sweep\.yaml:3:\d+: seeds\[0\]/);
  });

  test('a backend that cannot run stops the sweep with exit 2 in worker processes too', async (t) => {
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
      t.skip('tfjs-node is installed here, so the tensorflow backend may work');
      return;
    } catch {
      // Not installed: the case under test.
    }
    const out = await scratchDir();
    const run = await tokbench('run', CONFIG, '--out', out, '--backend', 'tensorflow', '--concurrency', '2');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /no usable tfjs backend for 'tensorflow'/);
    assert.ok(!existsSync(join(out, 'results.arrow')));
  });

  test('a bad config exits 2 with file:line:col and writes nothing', async () => {
    const file = await sweepFile(['name: bad', 'version: 1', 'seeds: [0]', 'datasets:', '  - name: mnist', 'strategies:', '  - name: rank']);
    const out = join(await scratchDir(), 'never');
    const run = await tokbench('run', file, '--out', out);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /sweep\.yaml:\d+:\d+: .*modality/);
    assert.ok(!existsSync(out));
  });
});
