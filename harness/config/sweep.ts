// A sweep read from its YAML file: validated in full (every problem reported with file:line:col) and expanded to cells.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import type { Components } from '../grid/components.js';
import { expandGrid, type GridEntry } from '../grid/expand.js';
import { ConfigError, type FieldPath, type Problem } from '../validation/problems.js';
import { describeIssue } from '../validation/zod-issues.js';
import { componentEntry, sweepFile } from './schema.js';
import { parseYaml } from './yaml-source.js';

export interface Sweep {
  readonly name: string;
  readonly description: string;
  /** The path the config was read from, as given. */
  readonly file: string;
  /** The config's source text, kept verbatim for the results' metadata. */
  readonly yaml: string;
  /** Each cell runs once per seed (initialisation, masking, batch order; never the data split). */
  readonly seeds: readonly number[];
  /** Seconds one (cell, seed) may take; none when absent. */
  readonly timeout: number | undefined;
  readonly cells: readonly Cell[];
}

/** Reads and validates a sweep file; throws a ConfigError listing every problem, or a 'config' error if unreadable. */
export async function loadSweep(file: string, components: Components): Promise<Sweep> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TokbenchError('config', `cannot read the config file '${file}': ${(error as Error).message}`);
  }
  return parseSweep(text, file, components);
}

export function parseSweep(yaml: string, file: string, components: Components): Sweep {
  const parsed = parseYaml(yaml, file);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  const { data } = parsed.source;
  const problems: Problem[] = [];
  const root = validate(sweepFile, data, [], problems);
  // Sections are checked even when the top level has problems, so one run reports them all.
  const raw = isMapping(data) ? data : {};
  const grid = expandGrid(
    {
      datasets: entries(raw.datasets, 'datasets', problems),
      strategies: entries(raw.strategies, 'strategies', problems),
      model: isMapping(raw.model) ? raw.model : {},
      train: isMapping(raw.train) ? raw.train : {},
      baseDir: resolve(dirname(file)),
    },
    components,
  );
  problems.push(...grid.problems);
  if (root === undefined || problems.length > 0) {
    const located = problems.map((problem) => parsed.source.locate(problem));
    located.sort((a, b) => a.location.line - b.location.line || a.location.col - b.location.col);
    throw new ConfigError(located);
  }
  return { name: root.name, description: root.description ?? '', file, yaml, seeds: root.seeds, timeout: root.timeout, cells: grid.cells };
}

function validate<T>(schema: z.ZodType<T>, value: unknown, path: FieldPath, problems: Problem[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    for (const problem of describeIssue(issue, value, 'config', schema)) problems.push({ ...problem, path: [...path, ...problem.path] });
  }
  return undefined;
}

/**
 * Every entry of a `datasets` or `strategies` list, its shape problems reported here. A malformed
 * entry still passes on its name (undefined if unusable), so the grid does not also call its
 * partners mismatched; a list of the wrong type is the top level's problem.
 */
function entries(list: unknown, section: 'datasets' | 'strategies', problems: Problem[]): GridEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((item, index) => {
    const entry = validate(componentEntry, item, [section, index], problems);
    if (entry !== undefined) return { index, name: entry.name, params: entry.params ?? {} };
    const name = isMapping(item) && typeof item.name === 'string' && item.name !== '' ? item.name : undefined;
    return { index, name, params: isMapping(item) && isMapping(item.params) ? item.params : {} };
  });
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
