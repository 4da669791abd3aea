// `tokbench merge`: the rows of several results folders of one sweep (shards, resumed or repeated runs) gathered
// into one folder, each row checked against the grid rebuilt from the sweep's manifest, then the tables rebuilt.
import { readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parseSweep, type Sweep } from '../config/sweep.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import { canonicalJson } from '../grid/canonical-json.js';
import type { Components } from '../grid/components.js';
import { FIXED_COLUMNS, type ResultRow } from './columns.js';
import { writeFileAtomic } from './files.js';
import { readManifest, writeManifest, type Manifest } from './manifest.js';
import { checkOutputFolder, claimOutputFolder } from './output-folder.js';
import type { TableMetadata } from './provenance.js';
import { readRowStore, ROWS_FOLDER, rowFile, runKey, type StoredRun } from './row-store.js';
import { writeResults, type WrittenResults } from './write.js';

export interface MergeOptions {
  /** Results folders, in order of precedence: of two rows of one run, the first folder's is kept. */
  readonly dirs: readonly string[];
  readonly out: string;
  /** Clear rows already in `out` (of this sweep) instead of refusing to mix with them. */
  readonly overwrite: boolean;
  /** The registries the sweep's YAML names (the built-in ones for the CLI). */
  readonly components: Components;
  /** Provenance of the tables written (the merging tokbench's version and commit); the YAML is the manifest's. */
  readonly metadata: Omit<TableMetadata, 'backend' | 'sweepYaml'>;
}

/** One (cell, seed) of the sweep's grid. */
export interface GridRun {
  readonly cell: Cell;
  readonly seed: number;
}

/** A row left out of the merge, and the folder it came from. */
export interface StrayRow {
  readonly dir: string;
  readonly cellId: string;
  readonly seed: number;
}

/** Two rows of one run that differ beyond measured columns: the first folder's was kept. */
export interface Conflict extends GridRun {
  readonly kept: string;
  readonly other: string;
  /** The columns whose values differ (measured columns never count). */
  readonly columns: readonly string[];
}

export interface MergeReport {
  readonly sweep: Sweep;
  readonly out: string;
  /** Runs written to `out`. */
  readonly kept: number;
  /** Kept rows whose status is not `ok`. */
  readonly notOk: number;
  /** Further rows of a kept run that equal it apart from measured columns (times, memory, backend). */
  readonly duplicates: number;
  readonly conflicts: readonly Conflict[];
  /** Rows of runs that are not in the sweep's grid. */
  readonly foreign: readonly StrayRow[];
  /** Rows of a run of the grid whose fully resolved configuration differs from the grid's (an older config or tokbench). */
  readonly stale: readonly StrayRow[];
  /** Runs of the grid no folder has a row for, in grid order. */
  readonly missing: readonly GridRun[];
  /** Row files that are not complete rows, never trusted. */
  readonly unreadable: readonly string[];
  readonly written: WrittenResults;
}

/** Columns whose values depend on the machine: two rows differing only there are the same result. */
const MEASURED: ReadonlySet<string> = new Set(FIXED_COLUMNS.filter((c) => c.provenance === 'measured').map((c) => c.name));

/** The columns, measured ones aside, in which two rows of one run differ. */
export function differingColumns(a: ResultRow, b: ResultRow): string[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((name) => !MEASURED.has(name)).sort();
  return names.filter((name) => canonicalJson(a[name] ?? null) !== canonicalJson(b[name] ?? null));
}

async function sameFolder(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const real = (path: string) => realpath(path).catch(() => resolve(path));
  return (await real(a)) === (await real(b));
}

/** Every input's manifest, which must exist and name the same sweep with the same YAML. */
async function agreeingManifests(dirs: readonly string[]): Promise<Manifest> {
  const manifests = await Promise.all(dirs.map((dir) => readManifest(dir)));
  const without = dirs.filter((_, i) => manifests[i] === undefined);
  if (without.length > 0) {
    throw new TokbenchError('input', `cannot merge: no sweep manifest (sweep.json) in ${without.map((d) => `'${d}'`).join(', ')}: not a results folder of tokbench run`, ['dirs']);
  }
  const first = manifests[0] as Manifest;
  const differ = dirs.flatMap((dir, i) => {
    const m = manifests[i] as Manifest;
    if (m.name !== first.name) return [`'${dir}' (sweep '${m.name}')`];
    return m.sweep_yaml !== first.sweep_yaml ? [`'${dir}' (sweep '${m.name}' with a different YAML)`] : [];
  });
  if (differ.length > 0) {
    throw new TokbenchError(
      'input',
      `cannot merge rows from a different sweep configuration: ${differ.join(', ')} differ${differ.length === 1 ? 's' : ''} from '${dirs[0]}' (sweep '${first.name}'); merge only folders of one sweep file, unchanged`,
      ['dirs'],
    );
  }
  return first;
}

async function checkOut(dirs: readonly string[], out: string, sweepName: string, overwrite: boolean): Promise<void> {
  for (const dir of dirs) {
    if (await sameFolder(dir, out)) throw new TokbenchError('input', `cannot merge into '${out}': it is one of the folders being merged; choose another --out`, ['out']);
  }
  await checkOutputFolder(out, sweepName, overwrite);
  const present = await readdir(join(out, ROWS_FOLDER)).catch(() => []);
  if (present.length > 0 && !overwrite) {
    throw new TokbenchError('input', `cannot merge into '${out}': it already holds ${present.length} file(s) in ${ROWS_FOLDER}/; choose an empty --out, or pass --overwrite to replace them`, ['out']);
  }
}

/** Copies the run's fitted tokenizer (`rows/<cell>-seed<seed>.tokenizer/`, from `run --save-tokenizers`) when it has one. */
async function copyTokenizer(from: string, to: string, cellId: string, seed: number): Promise<void> {
  const folder = `${cellId}-seed${seed}.tokenizer`;
  const source = join(from, ROWS_FOLDER, folder);
  const paths = await readdir(source, { recursive: true }).catch(() => []);
  for (const path of paths) {
    if (!(await stat(join(source, path))).isFile()) continue;
    await writeFileAtomic(join(to, ROWS_FOLDER, folder, path), await readFile(join(source, path)));
  }
}

/** Whether a saved predictions file has a probabilities column. */
const hasProbabilities = (bytes: Uint8Array) => tableFromIPC(bytes).schema.fields.some((f) => f.name === 'probabilities');

export async function mergeResults(options: MergeOptions): Promise<MergeReport> {
  const { dirs, out } = options;
  if (dirs.length === 0) throw new TokbenchError('invalid-param', 'merge needs at least one results folder', ['dirs']);
  for (let i = 0; i < dirs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (await sameFolder(dirs[i], dirs[j])) throw new TokbenchError('invalid-param', `'${dirs[i]}' is given twice (as '${dirs[j]}' too)`, ['dirs']);
    }
  }
  const manifest = await agreeingManifests(dirs);
  const sweep = parseSweep(manifest.sweep_yaml, manifest.config_file, options.components);
  await checkOut(dirs, out, sweep.name, options.overwrite);

  const grid = new Map<string, GridRun>();
  for (const cell of sweep.cells) for (const seed of sweep.seeds) grid.set(runKey(cell.id, seed), { cell, seed });

  const chosen = new Map<string, { dir: string; run: StoredRun }>();
  const foreign: StrayRow[] = [];
  const stale: StrayRow[] = [];
  const conflicts: Conflict[] = [];
  const unreadable: string[] = [];
  let duplicates = 0;
  for (const dir of dirs) {
    const store = await readRowStore(dir);
    unreadable.push(...store.unreadable);
    for (const [key, run] of store.runs) {
      const stray = { dir, cellId: String(run.row.cell_id), seed: Number(run.row.seed) };
      const target = grid.get(key);
      if (target === undefined) foreign.push(stray);
      else if (run.row.config_hash !== target.cell.configHash) stale.push(stray);
      else {
        const earlier = chosen.get(key);
        if (earlier === undefined) chosen.set(key, { dir, run });
        else {
          const columns = differingColumns(earlier.run.row, run.row);
          if (columns.length === 0) duplicates++;
          else conflicts.push({ ...target, kept: earlier.dir, other: dir, columns });
        }
      }
    }
  }

  if (options.overwrite) {
    await rm(join(out, ROWS_FOLDER), { recursive: true, force: true });
  }
  await claimOutputFolder(out, manifest, false);
  const runs: StoredRun[] = [];
  const missing: GridRun[] = [];
  let withProbabilities = false;
  for (const [key, target] of grid) {
    const found = chosen.get(key);
    if (found === undefined) {
      missing.push(target);
      continue;
    }
    const { row, predictions, error } = found.run;
    let copied: string | null = null;
    let copiedError: string | null = null;
    // Predictions and a saved tokenizer first: a row on disk promises they are there too.
    await copyTokenizer(found.dir, out, target.cell.id, target.seed);
    if (predictions !== null) {
      const bytes = await readFile(predictions);
      withProbabilities ||= hasProbabilities(bytes);
      copied = rowFile(out, target.cell.id, target.seed, '.predictions.arrow');
      await writeFileAtomic(copied, bytes);
    }
    if (error !== null) {
      copiedError = rowFile(out, target.cell.id, target.seed, '.error.txt');
      await writeFileAtomic(copiedError, await readFile(error));
    }
    await writeFileAtomic(rowFile(out, target.cell.id, target.seed, '.json'), `${JSON.stringify(row)}\n`);
    runs.push({ row, predictions: copied, error: copiedError });
  }
  await writeManifest(out, manifest);
  const written = await writeResults(out, sweep.name, runs, sweep.cells, { ...options.metadata, sweepYaml: manifest.sweep_yaml }, withProbabilities);
  return {
    sweep,
    out,
    kept: runs.length,
    notOk: runs.filter((r) => r.row.status !== 'ok').length,
    duplicates,
    conflicts,
    foreign,
    stale,
    missing,
    unreadable,
    written,
  };
}
