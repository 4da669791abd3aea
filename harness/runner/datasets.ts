// Loads each dataset once per process: every cell and seed of a sweep shares the same samples and split.
import { datasets } from '../../datasets/registry.js';
import type { DatasetName } from '../../datasets/registry.js';
import type { DatasetDefinition, LoadedDataset, Modality } from '../../datasets/types.js';
import { unknownName } from '../errors.js';

const loaded = new Map<string, Promise<LoadedDataset<Modality>>>();

/** `params` must already be validated (the config layer fills defaults and checks ranges). */
export function loadDataset(name: string, params: object): Promise<LoadedDataset<Modality>> {
  const key = JSON.stringify([name, params]);
  let dataset = loaded.get(key);
  if (dataset === undefined) {
    if (!Object.hasOwn(datasets, name)) throw unknownName('dataset', name, Object.keys(datasets));
    const definition: DatasetDefinition = datasets[name as DatasetName];
    dataset = definition.load(params);
    loaded.set(key, dataset);
    dataset.catch(() => loaded.delete(key));
  }
  return dataset;
}
