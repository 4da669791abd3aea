// The sweep grid: each dataset variant × each strategy variant of the same modality × model × train variants.
import type { Modality } from '../../datasets/types.js';
import { applicableTrainParams, modelParams, trainParams, type ModelParams, type TrainParams } from '../model/params.js';
import { tryLookup } from '../registry-lookup.js';
import type { FieldPath, Problem } from '../validation/problems.js';
import { canonicalJson } from './canonical-json.js';
import { cellId, configHash, configJson, explicitParams, type Cell } from './cell.js';
import type { Components } from './components.js';
import { readTrainBlock } from './train-block.js';
import { resolveParams } from './resolve.js';

/** A dataset or strategy entry, with its position in its YAML list. */
export interface GridEntry {
  readonly index: number;
  /** Undefined when the entry has no usable name, a problem already reported. */
  readonly name: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface GridInput {
  readonly datasets: readonly GridEntry[];
  readonly strategies: readonly GridEntry[];
  readonly model: Readonly<Record<string, unknown>>;
  readonly train: Readonly<Record<string, unknown>>;
  /** Folder of the sweep file: where the cells' relative paths start. */
  readonly baseDir: string;
}

/** The cells, or (when anything is wrong) every problem found and no cells. */
export interface Grid {
  readonly cells: readonly Cell[];
  readonly problems: readonly Problem[];
}

type Section = 'datasets' | 'strategies';

/** One resolved combination of one entry's axes. */
interface Variant {
  readonly entry: number;
  readonly name: string;
  readonly modality: Modality;
  readonly params: Readonly<Record<string, unknown>>;
  /** The params that differ from their defaults. */
  readonly explicit: Readonly<Record<string, unknown>>;
}

interface SectionResult {
  readonly variants: readonly Variant[];
  /** Known entries, for the modality check. */
  readonly known: readonly { readonly name: string; readonly index: number; readonly modality: Modality }[];
  readonly anyUnknown: boolean;
}

export function expandGrid(input: GridInput, components: Components): Grid {
  const problems: Problem[] = [];
  const datasets = resolveSection('datasets', input.datasets, components.datasets, problems);
  const strategies = resolveSection('strategies', input.strategies, components.strategies, problems);
  const models = resolveParams<ModelParams>(input.model, modelParams, ['model'], 'invalid-param');
  const trainBlock = readTrainBlock(input.train, ['train']);
  const trains = resolveParams<TrainParams>(trainBlock.train, trainParams, ['train'], 'invalid-param');
  problems.push(...models.problems, ...trainBlock.problems, ...(trainBlock.problems.length > 0 ? [] : trains.problems));
  // With a misspelt name on the other side, the modality check would only repeat that problem.
  if (!datasets.anyUnknown) checkModalities('strategies', strategies, 'datasets', datasets, components.datasets, problems);
  if (!strategies.anyUnknown) checkModalities('datasets', datasets, 'strategies', strategies, components.strategies, problems);
  if (problems.length > 0) return { cells: [], problems };

  // Each model and train variant meets every dataset and strategy: work out what it sets explicitly once.
  const modelVariants = models.resolved.map(({ params }) => serialised(params, explicitParams(params, modelParams)));
  // Variants differing only in params that do not apply (a probe's classification budget) train alike: one cell.
  const trainVariants = uniqueBy(
    trains.resolved.map(({ params }) => applicableTrainParams(params)).map((params) => serialised(params, explicitParams(params, trainParams))),
    (variant) => variant.json,
  );
  const datasetJson = new Map(datasets.variants.map((v) => [v, serialised({ name: v.name, params: v.params }, { name: v.name, params: v.explicit })]));
  const strategyJson = new Map(strategies.variants.map((v) => [v, serialised({ name: v.name, params: v.params }, { name: v.name, params: v.explicit })]));
  const cells: Omit<Cell, 'axes'>[] = [];
  const origins = new Map<string, { dataset: number; strategy: number }>();
  for (const dataset of datasets.variants) {
    for (const strategy of strategies.variants.filter((s) => s.modality === dataset.modality)) {
      for (const { params: model, explicit: explicitModel, json: modelJson, explicitJson: explicitModelJson } of modelVariants) {
        for (const { params: train, explicit: explicitTrain, json: trainJson, explicitJson: explicitTrainJson } of trainVariants) {
          const d = datasetJson.get(dataset) as Serialised<unknown>;
          const s = strategyJson.get(strategy) as Serialised<unknown>;
          const resolved = {
            dataset: { name: dataset.name, params: dataset.params },
            strategy: { name: strategy.name, params: strategy.params },
            model,
            train,
          };
          const explicit = {
            dataset: { name: dataset.name, params: dataset.explicit },
            strategy: { name: strategy.name, params: strategy.explicit },
            model: explicitModel,
            train: explicitTrain,
          };
          const id = cellId(configJson({ dataset: d.explicitJson, model: explicitModelJson, strategy: s.explicitJson, train: explicitTrainJson }));
          const origin = { dataset: dataset.entry, strategy: strategy.entry };
          const first = origins.get(id);
          if (first === undefined) {
            origins.set(id, origin);
            const hash = configHash(configJson({ dataset: d.json, model: modelJson, strategy: s.json, train: trainJson }));
            cells.push({ id, configHash: hash, explicit, modality: dataset.modality, baseDir: input.baseDir, origin, ...resolved });
          } else {
            problems.push(duplicate(first, { dataset: dataset.entry, strategy: strategy.entry }));
          }
        }
      }
    }
  }
  if (problems.length > 0) return { cells: [], problems: unique(problems) };
  return { cells: withAxes(cells), problems: [] };
}

/** A configuration part with its explicit params, and the canonical JSON of each. */
interface Serialised<T> {
  readonly params: T;
  readonly explicit: Record<string, unknown>;
  readonly json: string;
  readonly explicitJson: string;
}

function serialised<T>(params: T, explicit: Record<string, unknown>): Serialised<T> {
  return { params, explicit, json: canonicalJson(params), explicitJson: canonicalJson(explicit) };
}

function resolveSection(section: Section, entries: readonly GridEntry[], registry: Components[Section], problems: Problem[]): SectionResult {
  const kind = section === 'datasets' ? 'dataset' : 'strategy';
  const variants: Variant[] = [];
  const known: { name: string; index: number; modality: Modality }[] = [];
  let anyUnknown = false;
  for (const entry of entries) {
    if (entry.name === undefined) {
      anyUnknown = true;
      continue;
    }
    const found = tryLookup(registry, kind, entry.name, [section, entry.index, 'name']);
    if (!found.ok) {
      problems.push({ code: found.error.code, path: found.error.path, message: found.error.message });
      anyUnknown = true;
      continue;
    }
    const definition = found.definition;
    known.push({ name: entry.name, index: entry.index, modality: definition.modality });
    const resolution = resolveParams(entry.params, definition.params, [section, entry.index, 'params'], 'invalid-param');
    problems.push(...resolution.problems);
    for (const { params } of resolution.resolved) {
      const resolved = params as Record<string, unknown>;
      variants.push({ entry: entry.index, name: entry.name, modality: definition.modality, params: resolved, explicit: explicitParams(resolved, definition.params) });
    }
  }
  return { variants, known, anyUnknown };
}

/** Cells form only within a modality, so an entry with no partner of its modality would silently run nothing. */
function checkModalities(
  section: Section,
  own: SectionResult,
  otherSection: Section,
  other: SectionResult,
  otherRegistry: Components[Section],
  problems: Problem[],
): void {
  const kind = section === 'datasets' ? 'dataset' : 'strategy';
  const otherKind = otherSection === 'datasets' ? 'dataset' : 'strategy';
  const present = other.known.map(({ name, modality }) => `'${name}' (${modality})`);
  for (const { name, index, modality } of own.known) {
    if (other.known.some((o) => o.modality === modality)) continue;
    const registered = Object.values(otherRegistry).filter((d) => d.modality === modality).map((d) => d.name);
    problems.push({
      code: 'modality-mismatch',
      path: [section, index, 'name'],
      message:
        `found ${kind} '${name}' of modality ${modality}, but the sweep's ${otherSection} are ${present.length > 0 ? [...new Set(present)].join(', ') : 'none'}; ` +
        `expected a ${otherKind} of modality ${modality} (registered: ${registered.length > 0 ? registered.join(', ') : 'none'})`,
    });
  }
}

/** Two entries that resolve to the same cell would run it twice and write two rows under one id. */
function duplicate(first: { dataset: number; strategy: number }, again: { dataset: number; strategy: number }): Problem {
  const [section, index, firstIndex]: [Section, number, number] =
    again.strategy !== first.strategy ? ['strategies', again.strategy, first.strategy] : ['datasets', again.dataset, first.dataset];
  const path: FieldPath = [section, index];
  const message =
    index !== firstIndex
      ? `found the same resolved params as ${section}[${firstIndex}]; expected every cell once`
      : `found the same resolved params twice among this entry's axis values; expected every cell once`;
  return { code: 'config', path, message };
}

/** The items in order, each key's first only. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function unique(problems: readonly Problem[]): Problem[] {
  return uniqueBy(problems, (p) => `${p.path.join('.')}\n${p.message}`);
}

/**
 * Axes are the params that take more than one value across the sweep's cells; a dataset's or strategy's
 * param counts only among cells of that same component, so `max_len` of `rank` and of `kmer` (each fixed)
 * is not an axis merely because the two strategies' values differ.
 */
function withAxes(cells: readonly Omit<Cell, 'axes'>[]): Cell[] {
  const flat = cells.map((cell) => [
    ...prefixed('dataset', cell.dataset.params, cell.dataset.name),
    ...prefixed('strategy', cell.strategy.params, cell.strategy.name),
    ...prefixed('model', cell.model, ''),
    ...prefixed('train', cell.train, ''),
  ]);
  const values = new Map<string, Set<unknown>>();
  for (const { scope, value } of flat.flat()) {
    const seen = values.get(scope) ?? new Set<unknown>();
    // Numbers and strings compare as themselves (1 and '1' stay apart); lists and objects by their canonical text.
    seen.add(value !== null && typeof value === 'object' ? canonicalJson(value) : value);
    values.set(scope, seen);
  }
  return cells.map((cell, i) => ({
    ...cell,
    axes: Object.fromEntries(flat[i].filter(({ scope }) => (values.get(scope)?.size ?? 0) > 1).map(({ key, value }) => [key, value])),
  }));
}

/** `key` as shown (`strategy.max_len`); `scope` also names the component whose cells it varies across. */
function prefixed(prefix: string, params: object, component: string): { key: string; scope: string; value: unknown }[] {
  return Object.entries(params).map(([key, value]) => ({ key: `${prefix}.${key}`, scope: `${component}\u0000${prefix}.${key}`, value }));
}
