// One grid cell: a dataset, a strategy, a model and a training recipe, fully resolved, with a stable id.
import { createHash } from 'node:crypto';
import type { Modality } from '../../datasets/types.js';
import type { ModelParams, TrainParams } from '../model/params.js';
import { canonicalJson } from './canonical-json.js';

/** A registered component by name, with its validated params (defaults filled in). */
export interface Component {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface Cell {
  /** First 12 hex digits of the SHA-256 of the canonical JSON of dataset, strategy, model and train. */
  readonly id: string;
  readonly modality: Modality;
  readonly dataset: Component;
  readonly strategy: Component;
  readonly model: ModelParams;
  readonly train: TrainParams;
  /**
   * The params that take more than one value across the sweep's cells, keyed
   * `dataset.<param>`, `strategy.<param>`, `model.<param>` or `train.<param>`.
   */
  readonly axes: Readonly<Record<string, unknown>>;
}

export const CELL_ID_LENGTH = 12;

/** 48 bits: a collision needs ~16 million cells in one results folder. Seeds are not part of a cell. */
export function cellId(cell: Pick<Cell, 'dataset' | 'strategy' | 'model' | 'train'>): string {
  const { dataset, strategy, model, train } = cell;
  const resolved = { dataset: { name: dataset.name, params: dataset.params }, strategy: { name: strategy.name, params: strategy.params }, model, train };
  return createHash('sha256').update(canonicalJson(resolved)).digest('hex').slice(0, CELL_ID_LENGTH);
}
