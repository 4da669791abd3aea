// Loads each dataset once per process and validation share: every cell and seed of a sweep shares the same samples and split.
import { datasets } from '../../datasets/registry.js';
import { valFractionOf } from '../../datasets/split.js';
import type { DatasetContext, DatasetDefinition, LoadedDataset, Modality } from '../../datasets/types.js';
import { lookup } from '../registry-lookup.js';

const loaded = new Map<string, Promise<LoadedDataset<Modality>>>();

/** `params` must already be validated (the config layer fills defaults and checks ranges). */
export function loadDataset(name: string, params: object, context: DatasetContext): Promise<LoadedDataset<Modality>> {
  const key = JSON.stringify([name, params, context.baseDir, valFractionOf(context)]);
  let dataset = loaded.get(key);
  if (dataset === undefined) {
    const definition: DatasetDefinition = lookup(datasets, 'dataset', name);
    dataset = definition.load(params, context);
    loaded.set(key, dataset);
    dataset.catch(() => loaded.delete(key));
  }
  return dataset;
}
