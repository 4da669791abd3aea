// `tokbench tokenize <config> --out FILE.jsonl`: what a strategy makes of each sample, one JSON line per sample.
import { stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { splitByCounts } from '../../../datasets/split.js';
import { loadSweep } from '../../config/sweep.js';
import { TokbenchError } from '../../errors.js';
import type { Cell } from '../../grid/cell.js';
import type { Split, SplitName } from '../../../datasets/types.js';
import { performance } from 'node:perf_hooks';
import type { Tokens } from '../../../strategies/types.js';
import type { FittedCell } from '../../runner/prepare.js';
import { writeFileAtomic } from '../../results/files.js';
import { cellDescription } from '../cell-label.js';
import { defineCommand, type Command } from '../command.js';

interface TokenizeArgs {
  config: string;
  cell: string | undefined;
  split: SplitName | 'all';
  limit: number | undefined;
  seed: number;
  out: string;
}

/** A cell by id or unique id prefix; the only cell when the sweep has one. */
function pickCell(cells: readonly Cell[], id: string | undefined): Cell {
  const listing = cells.map((c) => `  ${c.id}  ${c.dataset.name} / ${c.strategy.name} ${cellDescription(c)}`.trimEnd()).join('\n');
  if (id === undefined) {
    if (cells.length === 1) return cells[0];
    throw new TokbenchError('invalid-param', `The sweep has ${cells.length} cells; choose one with --cell ID:\n${listing}`, ['cell']);
  }
  const matches = cells.filter((c) => c.id.startsWith(id));
  if (matches.length !== 1) {
    throw new TokbenchError('invalid-param', `--cell '${id}' matches ${matches.length === 0 ? 'no' : `${matches.length}`} cells; the cells are:\n${listing}`, ['cell']);
  }
  return matches[0];
}

/** ids as one number per token for one channel, one array per token for several, none for continuous tokens. */
function idsOf(tokens: Tokens, channels: number): number[] | number[][] {
  if (channels === 1) return Array.from(tokens.ids);
  const rows = channels === 0 ? 0 : tokens.length;
  return Array.from({ length: rows }, (_, i): number[] => Array.from(tokens.ids.subarray(i * channels, (i + 1) * channels)));
}

/**
 * Positions in a split of at most `limit` samples, classes in proportion (largest remainder, ties to the
 * lower class; an unlabelled split is one class), drawn with `seed`, in ascending source-row order. Splits are
 * often sorted by class, so the first `limit` would show one class only. The draw is splitByCounts' stratified
 * test side with no training side.
 */
export function sampleRows(data: Pick<Split, 'labels' | 'index'>, limit: number, seed: number): number[] {
  const n = data.labels.length;
  const strata = Int32Array.from(data.labels, (label) => Math.max(label, 0));
  const rows = limit >= n ? Array.from({ length: n }, (_, i) => i) : Array.from(splitByCounts(strata, 0, limit, seed, 'tokenize --limit').test);
  return rows.sort((a, b) => data.index[a] - data.index[b]);
}

/** One JSON line per chosen sample, encoded as the line is written, so no split's tokens are ever held at once. */
function* lines(cell: FittedCell, split: SplitName, rows: readonly number[]): Generator<string> {
  const { strategy, dataset } = cell;
  const data = dataset[split];
  for (const i of rows) {
    const t = cell.encode(split, i);
    yield `${JSON.stringify({
      split,
      index: data.index[i],
      ...(data.window === undefined ? {} : { window: data.window[i] }),
      label: dataset.classNames[data.labels[i]],
      ids: idsOf(t, strategy.layout.idChannels),
      tokens: Array.from({ length: t.length }, (_, j) => strategy.label(t, j)),
    })}\n`;
  }
}

/** `--out` must name a file: a directory (or a path ending in a separator) is refused before any work. */
async function checkOut(out: string): Promise<void> {
  const isDirectory = out.endsWith('/') || out.endsWith(sep) || (await stat(out).then((s) => s.isDirectory(), () => false));
  if (isDirectory) {
    throw new TokbenchError('invalid-param', `The 'out' option of tokenize must name a file (FILE.jsonl); got '${out}', which names a directory, instead. Nothing was written.`, ['out']);
  }
}

export const tokenize: Command = defineCommand<TokenizeArgs>({
  command: 'tokenize <config>',
  describe: "Write one cell's tokens per sample as JSON lines: {split, index, window (when the reader cut windows), label, ids, tokens}",
  builder: (yargs) =>
    yargs
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep YAML file' })
      .option('cell', { type: 'string', describe: 'Cell id or unique prefix (see `tokbench plan`); needed when the sweep has several cells' })
      .option('split', { choices: ['train', 'validation', 'test', 'all'] as const, default: 'test' as const, describe: 'Which split to write (validation: the `train.val_fraction` carved from training; empty without it)' })
      .option('limit', { type: 'number', describe: 'At most this many samples per split: a seeded sample with the classes in proportion' })
      .option('seed', { type: 'number', default: 0, describe: "Seed of the --limit sample and of a seeded tokenizer's fit (the run's seed)" })
      .option('out', { type: 'string', demandOption: true, describe: 'Output .jsonl file' })
      .example('$0 plan configs/quickstart.yaml', 'First list the cells: their ids are the first column')
      .example('$0 tokenize configs/quickstart.yaml --cell <id> --limit 5 --out /tmp/tokens.jsonl', 'Five test samples, classes in proportion, of the cell whose id starts with <id>')
      .epilogue("Cell ids come from `tokbench plan <config>`; any unique prefix will do, and without --cell a sweep of several cells lists them. The cell's data is checked first as `tokbench validate` checks it. `index` is the sample's row in the source dataset, and lines are in that order (`window` numbers the windows of a row cut by max_bases); `tokens` are human-readable names (gene symbols, k-mers, patch(r,c,s)). The tokenizer is fitted on the training split first, as in a run."),
  async run(args, io) {
    if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1)) {
      throw new TokbenchError('invalid-param', `The 'limit' option of tokenize must be a positive integer; got ${args.limit} instead.`, ['limit']);
    }
    if (!Number.isInteger(args.seed) || args.seed < 0 || args.seed > 0xffff_ffff) {
      throw new TokbenchError('invalid-param', `The 'seed' option of tokenize must be an integer from 0 to 4294967295; got ${args.seed} instead.`, ['seed']);
    }
    await checkOut(args.out);
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const sweep = await loadSweep(args.config, builtinComponents);
    const cell = pickCell(sweep.cells, args.cell);
    // The chosen cell's data and strategy checked as validate checks them, so a problem reads the same (file:line:col) here.
    const { preflight } = await import('../../runner/preflight.js');
    const checked = await preflight({ ...sweep, cells: [cell] }, { training: false });
    for (const note of checked.notes) io.err(`tokbench tokenize: ${note}\n`);
    if (args.split === 'validation' && cell.train.val_fraction === 0) io.err(`tokbench tokenize: cell ${cell.id} has no validation split (train.val_fraction is 0), so nothing is written.\n`);
    const { fitCell } = await import('../../runner/prepare.js');
    const fitted = await fitCell(cell, args.seed);
    const limit = args.limit ?? Number.POSITIVE_INFINITY;
    const splits = (['train', 'validation', 'test'] as const).filter((split) => args.split === 'all' || args.split === split);
    const chosen = splits.map((split) => [split, sampleRows(fitted.dataset[split], limit, args.seed)] as const);
    const written = chosen.reduce((n, [, rows]) => n + rows.length, 0);
    const started = performance.now();
    await writeFileAtomic(args.out, (function* () {
      for (const [split, rows] of chosen) yield* lines(fitted, split, rows);
    })());
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? `${Math.round(written / seconds)} samples/s, ` : '';
    // What a large dataset costs: encoding and writing speed, and the process's peak resident memory so far.
    const cost = ` (${rate}peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`;
    io.err(`Wrote ${written} samples of cell ${cell.id} (${cell.dataset.name} / ${cell.strategy.name}) to ${args.out}${cost}\n`);
  },
});
