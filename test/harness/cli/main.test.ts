// Tests of the CLI as users run it: spawned processes, their exit codes, stderr and stdout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { node, sweepFile, tokbench } from './spawn.js';

const GOOD = [
  'name: cli-test',
  'version: 1',
  'seeds: [0, 1]',
  'datasets:',
  '  - name: mnist',
  '    params: { train_size: 100, test_size: 50 }',
  'strategies:',
  '  - name: patch',
  '    params: { patch_size: [4, 7] }',
];

// Each test spawns Node; running them concurrently keeps the file to a few seconds.
describe('tokbench CLI', { concurrency: true }, () => {
  test('validate: a bad file exits 2, prints every problem with file:line:col and writes nothing to stdout', async () => {
    const file = await sweepFile([...GOOD.slice(0, 7), '  - name: pach', '    params: { patch_size: [4, 7] }', 'model: { dim: 32, heads: 5 }']);
    const run = await tokbench('validate', file);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n');
    // The list of valid names grows with the registry; the rest of the line is fixed.
    assert.ok(lines[0].startsWith(`${file}:8:11: strategies[0].name: unknown strategy 'pach'; did you mean 'patch'? valid: `), lines[0]);
    assert.deepEqual(lines.slice(1), [`${file}:10:26: model.heads: found 5; 'heads' must divide 'dim'`, '2 problems found; nothing was run.', '']);
  });

  test('validate: a valid file exits 0 and counts its cells per modality', async () => {
    const file = await sweepFile(GOOD);
    const run = await tokbench('validate', file);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${file}: sweep 'cli-test' is valid: 2 cells × 2 seeds = 4 runs\n  image       2 cells\n`);
  });

  test('flops --json prints the exact counts of ViT-B/16', async () => {
    const run = await tokbench('flops', '--dim', '768', '--depth', '12', '--heads', '12', '--mlp-ratio', '4', '--tokens', '196', '--extra-tokens', '1', '--patch-dim', '768', '--json');
    assert.equal(run.code, 0);
    const out = JSON.parse(run.stdout) as { convention: string; macs: Record<string, number>; flops: Record<string, number> };
    assert.equal(out.convention, 'MACs = multiply-accumulates; FLOPs = 2 × MACs');
    assert.equal(out.macs.embedding, 115_605_504);
    assert.equal(out.macs.total, 17_563_060_224);
    assert.equal(out.flops.total, 35_126_120_448);
  });

  test('flops: the table shows GMAC and GFLOP columns and the convention', async () => {
    const run = await tokbench('flops', '--tokens', '196', '--extra-tokens', '1', '--patch-dim', '768', '--dim', '768', '--depth', '12', '--heads', '12', '--mlp-ratio', '4');
    assert.equal(run.code, 0);
    const lines = run.stdout.split('\n');
    assert.match(lines[2], /^part\s+GMAC per layer\s+GMAC\s+GFLOP$/);
    assert.ok(lines.includes('total (12 layers)               1.4540  17.5631  35.1261'), run.stdout);
    assert.ok(run.stdout.includes('MACs = multiply-accumulates; FLOPs = 2 × MACs'));
  });

  test('flops: invalid options exit 2 naming each option', async () => {
    const run = await tokbench('flops', '--dim', '30', '--heads', '4', '--tokens', '-1');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "tokbench: --heads: found 4; 'heads' must divide 'dim'\n--tokens: found -1; expected at least 0\n");
  });

  test('an unknown command or option is a usage error (exit 2)', async () => {
    const unknown = await tokbench('flop');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Did you mean flops\?/);
    const option = await tokbench('flops', '--tokens', '3', '--dims', '8');
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown argument: dims/);
  });

  test('strategies and datasets list every registered name with modality and parameters', async () => {
    const strategies = await tokbench('strategies', '--modality', 'image');
    assert.equal(strategies.code, 0);
    assert.match(strategies.stdout, /^patch \(image\)\n/);
    assert.match(strategies.stdout, /\n {2}patch_size +integer +4 +>= 1\n/);
    const datasets = await tokbench('datasets', '--json');
    assert.equal(datasets.code, 0);
    const list = JSON.parse(datasets.stdout) as { name: string; modality: string; params: { properties: Record<string, { default?: unknown }> } }[];
    const mnist = list.find((d) => d.name === 'mnist');
    assert.equal(mnist?.modality, 'image');
    assert.equal(mnist?.params.properties.train_size.default, 1000);
  });

  test('bin/tokbench.js runs the CLI without a build step', async () => {
    const run = await node('bin/tokbench.js', '--version');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
