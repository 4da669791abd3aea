// One grid cell: a dataset, a strategy, a model and a training recipe, fully resolved, with a stable id.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Modality } from '../../datasets/types.js';
import type { ModelParams, TrainParams } from '../model/params.js';
import { defaultValues } from '../validation/schema-shape.js';
import { canonicalJson } from './canonical-json.js';

/** A registered component by name, with its validated params (defaults filled in). */
export interface Component {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A cell's configuration: every param (resolved), or only those that differ from their defaults (explicit). */
export interface CellConfig {
  readonly dataset: Component;
  readonly strategy: Component;
  readonly model: Readonly<Record<string, unknown>>;
  readonly train: Readonly<Record<string, unknown>>;
}

export interface Cell {
  /** First 12 hex digits of the SHA-256 of the canonical JSON of `explicit`: stable when tokbench gains a param with a default. */
  readonly id: string;
  /** SHA-256 (16 hex digits) of the fully resolved configuration: resume re-runs a row whose hash differs. */
  readonly configHash: string;
  /** The params that differ from their defaults, as the id hashes them: the cell's readable configuration. */
  readonly explicit: CellConfig;
  readonly modality: Modality;
  readonly dataset: Component;
  readonly strategy: Component;
  readonly model: ModelParams;
  readonly train: TrainParams;
  /** The sweep file's folder, where the cell's relative paths start; never hashed, so shards on other mounts agree. */
  readonly baseDir: string;
  /** Index of the dataset and strategy entries in the YAML lists, so data problems point at their lines. */
  readonly origin: { readonly dataset: number; readonly strategy: number };
  /**
   * The params that take more than one value across the sweep's cells, keyed
   * `dataset.<param>`, `strategy.<param>`, `model.<param>` or `train.<param>`.
   */
  readonly axes: Readonly<Record<string, unknown>>;
}

export const CELL_ID_LENGTH = 12;
const CONFIG_HASH_LENGTH = 16;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A configuration's canonical JSON from its parts' (keys in canonical order), so a grid serialises each part once. */
export function configJson(parts: { readonly [K in keyof CellConfig]: string }): string {
  return `{"dataset":${parts.dataset},"model":${parts.model},"strategy":${parts.strategy},"train":${parts.train}}`;
}

/** 48 bits: a collision needs ~16 million cells in one results folder. Seeds are not part of a cell. */
export function cellId(explicit: CellConfig | string): string {
  return sha256(typeof explicit === 'string' ? explicit : canonicalJson(explicit)).slice(0, CELL_ID_LENGTH);
}

export function configHash(resolved: CellConfig | string): string {
  return sha256(typeof resolved === 'string' ? resolved : canonicalJson(resolved)).slice(0, CONFIG_HASH_LENGTH);
}

/** The params whose value differs from the schema's default: an explicit default reads as leaving it out. */
export function explicitParams(params: Readonly<Record<string, unknown>>, schema: z.core.$ZodType): Record<string, unknown> {
  const defaults = defaultValues(schema);
  return Object.fromEntries(Object.entries(params).filter(([key, value]) => !(key in defaults) || canonicalJson(defaults[key]) !== canonicalJson(value)));
}
