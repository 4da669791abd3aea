// Everything a sweep can get wrong about its data, found before anything trains: each dataset described
// (files opened, sizes it cannot supply), each strategy checked against its dataset, each data file hashed.
import { datasets } from '../../datasets/registry.js';
import type { DatasetDefinition, DatasetShape } from '../../datasets/types.js';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition } from '../../strategies/types.js';
import type { Sweep } from '../config/sweep.js';
import { parseYaml } from '../config/yaml-source.js';
import { hashFiles } from '../data-hash.js';
import { TokbenchError } from '../errors.js';
import { canonicalJson } from '../grid/canonical-json.js';
import type { Cell, Component } from '../grid/cell.js';
import { lookup } from '../registry-lookup.js';
import { ConfigError, type Problem } from '../validation/problems.js';

export interface Preflight {
  /** The cell's dataset as described before loading. */
  shapeOf(cell: Cell): DatasetShape;
  /** Content hash of each cell's data files, by cell id ('' for simulated data). */
  readonly dataHashes: ReadonlyMap<string, string>;
  /** One line per dataset whose reader skipped or cut records, so a sweep never loses data unannounced. */
  readonly notes: readonly string[];
}

/** `dataset 'x' (datasets[0]): 3 records skipped, 12 longer than max_bases cut`; undefined when nothing was. */
function dataNote(cell: Cell, shape: DatasetShape): string | undefined {
  const parts = [
    ...(shape.skipped ? [`${shape.skipped} record(s) skipped as unusable (on_invalid)`] : []),
    ...(shape.cut ? [`${shape.cut} record(s) longer than max_bases truncated or cut into windows (on_long)`] : []),
  ];
  return parts.length === 0 ? undefined : `dataset '${cell.dataset.name}' (datasets[${cell.origin.dataset}]): ${parts.join('; ')}`;
}

// Cells of one dataset variant share its params object: its canonical text is worked out once.
const keys = new WeakMap<object, string>();
function datasetKey(dataset: Component): string {
  let key = keys.get(dataset.params);
  if (key === undefined) {
    key = canonicalJson(dataset);
    keys.set(dataset.params, key);
  }
  return key;
}

/**
 * Describes every dataset of the sweep once and checks every cell's strategy against it. Problems come back
 * all at once as a ConfigError pointing at the sweep file's lines; an unreadable data file is an input error
 * naming its path.
 */
export async function preflight(sweep: Pick<Sweep, 'cells' | 'yaml' | 'file'>): Promise<Preflight> {
  const problems: Problem[] = [];
  const described = new Map<string, DatasetShape | undefined>();
  const hashes = new Map<string, string>();
  const notes: string[] = [];
  for (const cell of sweep.cells) {
    const key = datasetKey(cell.dataset);
    if (described.has(key)) continue;
    const definition: DatasetDefinition = lookup(datasets, 'dataset', cell.dataset.name);
    try {
      const shape = await definition.describe(cell.dataset.params, { baseDir: cell.baseDir });
      described.set(key, shape);
      hashes.set(key, await hashFiles(shape.files));
      const note = dataNote(cell, shape);
      if (note !== undefined) notes.push(note);
    } catch (error) {
      if (!(error instanceof TokbenchError) || error.code !== 'invalid-param') throw error;
      described.set(key, undefined);
      problems.push({ code: 'invalid-param', path: ['datasets', cell.origin.dataset, 'params', ...error.path], message: error.message });
    }
  }
  const checked = new Set<string>();
  for (const cell of sweep.cells) {
    const shape = described.get(datasetKey(cell.dataset));
    const key = `${canonicalJson(cell.strategy)}\n${datasetKey(cell.dataset)}`;
    if (shape === undefined || checked.has(key)) continue;
    checked.add(key);
    const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
    for (const problem of definition.check?.(cell.strategy.params, shape.info) ?? []) {
      problems.push({ code: 'invalid-param', path: ['strategies', cell.origin.strategy, 'params', ...problem.path], message: `${problem.message} (dataset '${cell.dataset.name}')` });
    }
  }
  if (problems.length > 0) throw locate(problems, sweep);
  const dataHashes = new Map(sweep.cells.map((cell) => [cell.id, hashes.get(datasetKey(cell.dataset)) ?? '']));
  return {
    shapeOf(cell) {
      const shape = described.get(datasetKey(cell.dataset));
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
