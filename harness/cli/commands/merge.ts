// `tokbench merge <dirs…> --out DIR`: one results folder from the shards or partial runs of one sweep.
import { count } from '../../results/format.js';
import type { GridRun, MergeReport, StrayRow } from '../../results/merge.js';
import { cellDescription } from '../cell-label.js';
import { defineCommand, type CliIo, type Command } from '../command.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  overwrite: boolean;
}

/** Missing runs listed one per line before the rest are only counted. */
const LISTED = 20;

const runText = ({ cell, seed }: GridRun) => `${cell.dataset.name} / ${cell.strategy.name}${cellDescription(cell) ? ` ${cellDescription(cell)}` : ''} seed ${seed} (cell ${cell.id})`;

function strayText(kind: string, rows: readonly StrayRow[], why: string): string {
  if (rows.length === 0) return '';
  const byDir = new Map<string, number>();
  for (const r of rows) byDir.set(r.dir, (byDir.get(r.dir) ?? 0) + 1);
  return `Left out ${count(rows.length, `${kind} row`)} (${why}): ${[...byDir].map(([dir, n]) => `${n} in ${dir}`).join(', ')}.\n`;
}

function report(r: MergeReport, dirs: readonly string[], io: CliIo): void {
  const total = r.sweep.cells.length * r.sweep.seeds.length;
  io.err(`tokbench merge: sweep '${r.sweep.name}': ${count(r.kept, 'run')} of ${total} from ${count(dirs.length, 'folder')} into ${r.out}`);
  io.err(r.duplicates > 0 ? `; ${count(r.duplicates, 'duplicate')} (equal apart from measured columns) dropped.\n` : '.\n');
  io.err(strayText('foreign', r.foreign, 'their cell and seed are not in the sweep'));
  io.err(strayText('stale', r.stale, "their cell's fully resolved configuration differs from the sweep's: another config or tokbench version"));
  if (r.unreadable.length > 0) io.err(`Ignored ${count(r.unreadable.length, 'unreadable row file')}: ${r.unreadable.join(', ')}.\n`);
  for (const c of r.conflicts) {
    io.err(`Conflict: ${runText(c)} differs between ${c.kept} (kept) and ${c.other} in ${c.columns.join(', ')}.\n`);
  }
  if (r.notOk > 0) io.err(`${count(r.notOk, 'kept row')} did not finish ok (failed or diverged); see their 'error' column.\n`);
  if (r.missing.length > 0) {
    io.err(`Missing ${count(r.missing.length, 'run')} of ${total}: no folder has a usable row for them:\n`);
    for (const run of r.missing.slice(0, LISTED)) io.err(`  ${runText(run)}\n`);
    if (r.missing.length > LISTED) io.err(`  … and ${r.missing.length - LISTED} more\n`);
  }
  io.err(`Wrote ${r.written.arrow}, ${r.written.csv}, ${r.written.summary}, ${r.written.predictions}.\n`);
}

export const merge: Command = defineCommand<MergeArgs>({
  command: 'merge <dirs..>',
  describe: 'Combine the results folders of one sweep (shards, resumed or partial runs) into one folder and rebuild its tables',
  builder: (yargs) =>
    yargs
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Results folders of one sweep; of two rows of one run, the first folder\'s is kept' })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder to write (not one of the inputs)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Replace the rows already in --out' })
      .example('$0 merge results/shard-0 results/shard-1 results/shard-2 results/shard-3 --out results/nightly', 'Four shards of one sweep into one folder')
      .example('$0 merge /scratch/sweep-a /scratch/sweep-b --out results/sweep --overwrite', 'Two partial runs, replacing an earlier merge')
      .epilogue(
        'Every folder must hold the same sweep (sweep.json: same name and YAML). Rows are checked against the grid rebuilt from it: rows of other cells or ' +
          'of another resolved configuration are left out and reported. Exit code 0 when every run of the grid is there and ok, 1 when runs are missing ' +
          'or failed, 2 when the folders disagree or --out is unusable.',
      ),
  async run(args, io) {
    const { builtinComponents } = await import('../../config/builtin-components.js');
    const { mergeResults } = await import('../../results/merge.js');
    const { TOKBENCH_VERSION, gitCommit } = await import('../../version.js');
    const metadata = { tokbenchVersion: TOKBENCH_VERSION, gitCommit: gitCommit(), nodeVersion: process.version };
    const result = await mergeResults({ dirs: args.dirs, out: args.out, overwrite: args.overwrite, components: builtinComponents, metadata });
    report(result, args.dirs, io);
    io.out(result.written.summaryText);
    return { failedCells: result.missing.length + result.notOk };
  },
});
