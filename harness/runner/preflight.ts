// Everything a sweep can get wrong about its data, found before anything trains: each dataset described
// (files opened, sizes it cannot supply), each strategy checked against its dataset, each data file hashed.
import { datasets } from '../../datasets/registry.js';
import type { DatasetDefinition, DatasetShape } from '../../datasets/types.js';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition } from '../../strategies/types.js';
import type { Sweep } from '../config/sweep.js';
import { parseYaml } from '../config/yaml-source.js';
import { hashFiles } from '../data-hash.js';
import { TokbenchError, type ErrorCode } from '../errors.js';
import { canonicalJson } from '../grid/canonical-json.js';
import type { Cell, Component } from '../grid/cell.js';
import { lookup } from '../registry-lookup.js';
import { ConfigError, type Problem } from '../validation/problems.js';

export interface Preflight {
  /** The cell's dataset as described before loading, its validation share (`train.val_fraction`) carved. */
  shapeOf(cell: Cell): DatasetShape;
  /** Content hash of each cell's data files, by cell id ('' for simulated data). */
  readonly dataHashes: ReadonlyMap<string, string>;
  /**
   * Lines about datasets whose reader dropped, changed or cut records, or whose classes cannot all be
   * learned, so a sweep never loses data unannounced.
   */
  readonly notes: readonly string[];
}

/**
 * The notes on one dataset: its labels first when there are more classes than half its records (a label
 * field that holds ids makes every record a class of its own), what an expression file's values are, then one
 * line of what the reader did.
 */
function dataNotes(cell: Cell, shape: DatasetShape): string[] {
  const name = `dataset '${cell.dataset.name}' (datasets[${cell.origin.dataset}])`;
  const labels = shape.records !== undefined && shape.classes > shape.records / 2 ? [`${name}: is the label field right? ${shape.classes} classes for ${shape.records} records`] : [];
  const windows = shape.windows === undefined ? 'truncated' : `cut into ${shape.windows} window(s)`;
  const parts = [
    ...(shape.skipped ? [`${shape.skipped} record(s) skipped as unusable (on_invalid)`] : []),
    ...(shape.short ? [`${shape.short} record(s) shorter than min_bases dropped`] : []),
    ...(shape.readAsN ? [`${shape.readAsN} record(s) with ${shape.charactersAsN ?? 0} character(s) outside A, C, G, T, N read as N (on_invalid: as-n)`] : []),
    ...(shape.cut ? [`${shape.cut} record(s) longer than max_bases ${windows} (on_long)`] : []),
    ...(shape.shortWindows ? [`${shape.shortWindows} leftover window(s) shorter than min_bases dropped`] : []),
    ...(shape.cellsDropped?.empty ? [`${shape.cellsDropped.empty} cell(s) with no counts dropped`] : []),
    ...(shape.cellsDropped?.unlabelled ? [`${shape.cellsDropped.unlabelled} cell(s) without a label dropped`] : []),
    ...(shape.cellsDropped?.minGenes ? [`${shape.cellsDropped.minGenes} cell(s) with fewer than min_genes genes dropped`] : []),
    ...(shape.genesDropped?.minCells ? [`${shape.genesDropped.minCells} gene(s) detected in fewer than min_cells cells dropped`] : []),
    ...(shape.genesDropped?.notVariable ? [`${shape.genesDropped.notVariable} gene(s) outside the hvg selection dropped`] : []),
    ...(shape.untrainedClasses ? [`${shape.untrainedClasses} class(es) of the test split have no training sample; accuracy cannot reach 1`] : []),
  ];
  // What an expression file holds decides which strategies accept it and how it is normalised: say it even when all is well.
  const values = 'valuesSource' in shape.info && shape.info.valuesSource !== undefined ? [`${name}: ${shape.info.valuesSource}`] : [];
  return [...labels, ...values, ...(parts.length === 0 ? [] : [`${name}: ${parts.join('; ')}`])];
}

/** A cell that would classify cells of a source without labels: only reconstruction (`classify: none`) and tokenize can use it. */
function unlabelledProblem(cell: Cell): Problem {
  return {
    code: 'invalid-param',
    path: ['datasets', cell.origin.dataset],
    message: `dataset '${cell.dataset.name}' has no labels, so it cannot be classified (train.classify is '${cell.train.classify}'); set train.classify: none for a reconstruction-only run, or name a label column (label_column, with labels: FILE for 10x folders)`,
  };
}

/** Errors of a dataset's `describe` that are problems of its params: sizes the data cannot supply, unreadable or unusable data. */
const DATA_PROBLEMS: ReadonlySet<ErrorCode> = new Set(['invalid-param', 'input']);

// Cells of one dataset variant share its params object: its canonical text is worked out once.
const keys = new WeakMap<object, string>();
function variantKey(dataset: Component): string {
  let key = keys.get(dataset.params);
  if (key === undefined) {
    key = canonicalJson(dataset);
    keys.set(dataset.params, key);
  }
  return key;
}

/** A cell's dataset as described: its variant, and the validation share carved from its training split, which changes the sizes. */
function datasetKey({ dataset, train }: Pick<Cell, 'dataset' | 'train'>): string {
  return `${variantKey(dataset)}\n${train.val_fraction}`;
}

/**
 * Describes every dataset of the sweep once and checks every cell's strategy against it, and, when the sweep is to
 * train (`training`, the default; tokenize is not), that no cell classifies a source without labels. Problems, an
 * unreadable or unusable data file among them, come back all at once as a ConfigError pointing at the sweep
 * file's lines (the data file's own place is in the message).
 */
export async function preflight(sweep: Pick<Sweep, 'cells' | 'yaml' | 'file'>, { training = true }: { readonly training?: boolean } = {}): Promise<Preflight> {
  const problems: Problem[] = [];
  const described = new Map<string, DatasetShape | undefined>();
  const hashes = new Map<string, string>();
  const notes: string[] = [];
  for (const cell of sweep.cells) {
    const key = datasetKey(cell);
    if (described.has(key)) continue;
    const definition: DatasetDefinition = lookup(datasets, 'dataset', cell.dataset.name);
    try {
      const shape = await definition.describe(cell.dataset.params, { baseDir: cell.baseDir, valFraction: cell.train.val_fraction });
      described.set(key, shape);
      // The files are the same whatever the validation share: hashed once per variant.
      if (!hashes.has(variantKey(cell.dataset))) hashes.set(variantKey(cell.dataset), await hashFiles(shape.files));
      // Another validation share of the same variant repeats what its reader did: each note once.
      notes.push(...dataNotes(cell, shape).filter((note) => !notes.includes(note)));
    } catch (error) {
      // Sizes the data cannot supply and unusable data alike are problems of this dataset's params, so every
      // dataset's problem is reported at once, each at its place in the sweep file.
      if (!(error instanceof TokbenchError) || !DATA_PROBLEMS.has(error.code)) throw error;
      described.set(key, undefined);
      // A validation share the training split cannot spare is a problem of the train param, not of the dataset's.
      const path = error.path[0] === 'val_fraction' ? ['train', ...error.path] : ['datasets', cell.origin.dataset, 'params', ...error.path];
      problems.push({ code: error.code, path, message: error.message });
    }
  }
  const checked = new Set<string>();
  for (const cell of sweep.cells) {
    const shape = described.get(datasetKey(cell));
    const key = `${canonicalJson(cell.strategy)}\n${variantKey(cell.dataset)}`;
    if (shape === undefined) continue;
    if (training && shape.labelled === false && cell.train.classify !== 'none') {
      const problem = unlabelledProblem(cell);
      if (!problems.some((known) => known.message === problem.message)) problems.push(problem);
    }
    if (checked.has(key)) continue;
    checked.add(key);
    const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
    for (const problem of definition.check?.(cell.strategy.params, shape.info, { baseDir: cell.baseDir }) ?? []) {
      problems.push({ code: 'invalid-param', path: ['strategies', cell.origin.strategy, 'params', ...problem.path], message: `${problem.message} (dataset '${cell.dataset.name}')` });
    }
  }
  if (problems.length > 0) throw locate(problems, sweep);
  const dataHashes = new Map<string, string>();
  for (const cell of sweep.cells) {
    const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
    const strategyFiles = definition.files?.(cell.strategy.params, { baseDir: cell.baseDir }) ?? [];
    const datasetHash = hashes.get(variantKey(cell.dataset)) ?? '';
    // A strategy's own files (a medians table) are data too: the row's hash covers them beside the dataset's.
    dataHashes.set(cell.id, strategyFiles.length === 0 ? datasetHash : await hashFiles([...(described.get(datasetKey(cell))?.files ?? []), ...strategyFiles]));
  }
  return {
    shapeOf(cell) {
      const shape = described.get(datasetKey(cell));
      if (shape === undefined) throw new Error(`cell ${cell.id} is not a cell of the sweep that was checked`);
      return shape;
    },
    dataHashes,
    notes,
  };
}

/** The problems as a ConfigError at their places in the sweep file, each distinct problem once. */
function locate(problems: readonly Problem[], sweep: Pick<Sweep, 'yaml' | 'file'>): ConfigError {
  const parsed = parseYaml(sweep.yaml, sweep.file);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  const seen = new Set<string>();
  const located = problems
    .filter((p) => {
      const key = `${p.path.join('.')}\n${p.message}`;
      const fresh = !seen.has(key);
      seen.add(key);
      return fresh;
    })
    .map((p) => parsed.source.locate(p));
  located.sort((a, b) => a.location.line - b.location.line || a.location.col - b.location.col);
  return new ConfigError(located);
}
