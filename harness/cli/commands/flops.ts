// `tokbench flops`: the analytic MAC and FLOP count of one encoder forward pass, as harness/flops.ts counts it.
import { z } from 'zod';
import { TokbenchError } from '../../errors.js';
import { describeIssue } from '../../validation/zod-issues.js';
import { MAC_CONVENTION, encoderMacs, mlpWidth, toFlops, type EncoderMacs, type LayerMacs } from '../../flops.js';
import { modelParams, type ModelParams } from '../../model/params.js';
import { defineCommand, type Command } from '../command.js';

/** As declared (kebab-case); the handler reads them camel-cased. */
interface FlopsArgs {
  dim: number;
  depth: number;
  heads: number;
  'mlp-ratio': number;
  tokens: number;
  'patch-dim': number;
  'coord-dim': number;
  'extra-tokens': number;
  json: boolean;
}

const count = z.int().min(0);
const inputParams = z.strictObject({ tokens: count, patch_dim: count, coord_dim: count, extra_tokens: count });

const defaults: ModelParams = modelParams.parse({});

export const flops: Command = defineCommand<FlopsArgs>({
  command: 'flops',
  describe: 'Count the multiply-accumulates (and FLOPs) of one encoder forward pass',
  builder: (yargs) =>
    yargs
      .option('dim', { type: 'number', default: defaults.dim, describe: 'Token embedding width D' })
      .option('depth', { type: 'number', default: defaults.depth, describe: 'Encoder blocks L' })
      .option('heads', { type: 'number', default: defaults.heads, describe: 'Attention heads (must divide D; does not change the count)' })
      .option('mlp-ratio', { type: 'number', default: defaults.mlp_ratio, describe: 'MLP hidden width as a multiple of D' })
      .option('tokens', { type: 'number', demandOption: true, describe: 'Tokens of one sample N' })
      .option('patch-dim', { type: 'number', default: 0, describe: "Width P of each token's values, projected to D (16×16×3 = 768 for ViT-B/16)" })
      .option('coord-dim', { type: 'number', default: 0, describe: 'Input width C of the coordinate projection to D (after any Fourier features)' })
      .option('extra-tokens', { type: 'number', default: 0, describe: 'Learned tokens added without a projection (a class token)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the exact counts as JSON' })
      .example('$0 flops --dim 768 --depth 12 --heads 12 --mlp-ratio 4 --tokens 196 --extra-tokens 1 --patch-dim 768', 'ViT-B/16 at 224×224: 17.56 GMACs')
      .example('$0 flops --tokens 49 --patch-dim 16 --json', 'The default model on 4×4 MNIST patches, as JSON')
      .epilogue(`${MAC_CONVENTION}. Analytic: biases, norms, softmax and activations are not counted, as in fvcore.`),
  async run(args, io) {
    const problems: string[] = [];
    const model = checked(modelParams, { dim: args.dim, depth: args.depth, heads: args.heads, mlp_ratio: args.mlpRatio }, problems);
    const input = checked(inputParams, { tokens: args.tokens, patch_dim: args.patchDim, coord_dim: args.coordDim, extra_tokens: args.extraTokens }, problems);
    if (model === undefined || input === undefined) throw new TokbenchError('invalid-param', problems.join('\n'));
    const macs = encoderMacs(model, { tokens: input.tokens, valueDim: input.patch_dim, coordDim: input.coord_dim, extraTokens: input.extra_tokens });
    const flopCount = toFlops(macs);
    if (args.json) {
      io.out(`${JSON.stringify({ convention: MAC_CONVENTION, model: { ...model, mlp_width: mlpWidth(model) }, input, macs, flops: flopCount }, null, 2)}\n`);
      return;
    }
    io.out(
      `Encoder forward pass, analytic: dim ${model.dim}, depth ${model.depth}, heads ${model.heads}, mlp ratio ${model.mlp_ratio} ` +
        `(hidden ${mlpWidth(model)}); ${input.tokens} tokens + ${input.extra_tokens} extra, value width ${input.patch_dim}, coord width ${input.coord_dim}\n\n`,
    );
    io.out(table(macs, flopCount));
    io.out(`\n${MAC_CONVENTION}; S = tokens + extra, H = hidden width; biases, norms, softmax and activations not counted.\n`);
  },
});

/** Validates options with the schema a sweep uses; problems name the options as typed. */
function checked<T>(schema: z.ZodType<T>, values: Record<string, number>, problems: string[]): T | undefined {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    for (const p of describeIssue(issue, values, 'invalid-param', schema)) problems.push(`--${p.path.join('.').replaceAll('_', '-')}: ${p.message}`);
  }
  return undefined;
}

const PARTS: readonly [keyof LayerMacs, string][] = [
  ['qkv', 'qkv projections 3SD²'],
  ['scores', 'attention scores S²D'],
  ['weighted', 'attention × values S²D'],
  ['output', 'output projection SD²'],
  ['mlp', 'mlp 2SDH'],
];

function table(macs: EncoderMacs, flopCount: EncoderMacs): string {
  const rows: string[][] = [
    ['part', 'GMAC per layer', 'GMAC', 'GFLOP'],
    ['embedding N(P+C)D', '', giga(macs.embedding), giga(flopCount.embedding)],
    ...PARTS.map(([key, label]) => [label, giga(macs.layer[key]), giga(macs[key]), giga(flopCount[key])]),
    [`total (${macs.depth} layers)`, giga(macs.layer.total), giga(macs.total), giga(flopCount.total)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n') + '\n';
}

/** Billions, with four significant digits below one so small models do not print as zero. */
function giga(n: number): string {
  const g = n / 1e9;
  return g === 0 ? '0' : Math.abs(g) >= 1 ? g.toFixed(4) : g.toPrecision(4);
}
