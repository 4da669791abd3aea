// The tokenizing half of a cell: load the dataset, fit the strategy on the training split, encode both splits once.
import { performance } from 'node:perf_hooks';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition, Strategy, Tokens } from '../../strategies/types.js';
import type { LoadedDataset, Modality } from '../../datasets/types.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import { lookup } from '../registry-lookup.js';
import type { TokenizedCell } from '../evaluators/types.js';
import { loadDataset } from './datasets.js';

export interface PreparedCell extends TokenizedCell {
  /** Fit plus encoding of both splits. */
  readonly tokenizeSeconds: number;
}

function encodeAll(strategy: Strategy<Modality>, samples: LoadedDataset<Modality>['train']['samples'], split: string): Tokens[] {
  return samples.map((sample, i) => {
    try {
      return strategy.encode(sample);
    } catch (error) {
      if (error instanceof TokbenchError) throw new TokbenchError(error.code, `${split} sample ${i}: ${error.message}`, [split, i, ...error.path]);
      throw error;
    }
  });
}

/** Loads the cell's dataset (relative paths from `baseDir`), fits its strategy and encodes both splits. */
export async function prepareCell({ dataset: datasetRef, strategy: strategyRef, baseDir }: Pick<Cell, 'dataset' | 'strategy' | 'baseDir'>): Promise<PreparedCell> {
  const dataset = await loadDataset(datasetRef.name, datasetRef.params, { baseDir });
  const definition: StrategyDefinition = lookup(strategies, 'strategy', strategyRef.name);
  if (definition.modality !== dataset.modality) {
    throw new TokbenchError('modality-mismatch', `strategy '${definition.name}' tokenizes ${definition.modality} data but dataset '${datasetRef.name}' is ${dataset.modality}`);
  }
  const started = performance.now();
  const strategy = definition.create(strategyRef.params, dataset.info);
  strategy.fit?.(dataset.train.samples);
  const trainTokens = encodeAll(strategy, dataset.train.samples, 'train');
  const testTokens = encodeAll(strategy, dataset.test.samples, 'test');
  return { dataset, strategy, trainTokens, testTokens, tokenizeSeconds: (performance.now() - started) / 1000 };
}

// Seeds of one cell run back to back, and cells differing only in model or training params follow each
// other in the grid, so keeping the last tokenized pair is enough to tokenize each once.
let last: { key: string; prepared: Promise<PreparedCell> } | undefined;

/** prepareCell, reusing the previous call's result when dataset and strategy are the same. */
export function prepareOnce(cell: Pick<Cell, 'dataset' | 'strategy' | 'baseDir'>): Promise<PreparedCell> {
  const key = JSON.stringify([cell.dataset, cell.strategy, cell.baseDir]);
  if (last?.key !== key) last = { key, prepared: prepareCell(cell) };
  return last.prepared;
}
