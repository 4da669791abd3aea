// The tokenizing half of a cell: load the dataset, fit the strategy on the training split, encode both splits once.
import { performance } from 'node:perf_hooks';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition, Strategy, Tokens } from '../../strategies/types.js';
import type { LoadedDataset, Modality } from '../../datasets/types.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import { lookup } from '../registry-lookup.js';
import type { TokenizedCell } from '../evaluators/types.js';
import { createRng, deriveSeed, sampleRandom, type Rng } from '../random.js';
import { loadDataset } from './datasets.js';

export interface PreparedCell extends TokenizedCell {
  /** Fit plus encoding of both splits. */
  readonly tokenizeSeconds: number;
}

/** Encodes a split; sample i draws from the stream of (encodeSeed, its source row), see Strategy.encode. */
function encodeAll(strategy: Strategy<Modality>, data: LoadedDataset<Modality>['train'], split: string, encodeSeed: number): Tokens[] {
  return data.samples.map((sample, i) => {
    try {
      return strategy.encode(sample, sampleRandom(encodeSeed, data.index[i]));
    } catch (error) {
      if (error instanceof TokbenchError) throw new TokbenchError(error.code, `${split} sample ${i}: ${error.message}`, [split, i, ...error.path]);
      throw error;
    }
  });
}

/** The random source a strategy's `fit` draws from: the run's seed for a seeded strategy, one fixed stream for the rest. */
export function tokenizerRandom(definition: Pick<StrategyDefinition, 'seeded'>, seed: number): Rng {
  return createRng(deriveSeed(tokenizerSeed(definition, seed), 'tokenizer'));
}

/** The seed a strategy's fit and encode streams derive from: the run's for a seeded strategy, 0 for the rest. */
function tokenizerSeed(definition: Pick<StrategyDefinition, 'seeded'>, seed: number): number {
  return definition.seeded === true ? seed : 0;
}

/**
 * Loads the cell's dataset (relative paths from `baseDir`), fits its strategy on the training split with the
 * random source of `seed` (see tokenizerRandom) and encodes both splits.
 */
export async function prepareCell({ dataset: datasetRef, strategy: strategyRef, baseDir }: Pick<Cell, 'dataset' | 'strategy' | 'baseDir'>, seed: number): Promise<PreparedCell> {
  const dataset = await loadDataset(datasetRef.name, datasetRef.params, { baseDir });
  const definition: StrategyDefinition = lookup(strategies, 'strategy', strategyRef.name);
  if (definition.modality !== dataset.modality) {
    throw new TokbenchError('modality-mismatch', `strategy '${definition.name}' tokenizes ${definition.modality} data but dataset '${datasetRef.name}' is ${dataset.modality}`);
  }
  const started = performance.now();
  const strategy = definition.create(strategyRef.params, dataset.info, { baseDir });
  strategy.fit?.(dataset.train.samples, tokenizerRandom(definition, seed));
  const encodeSeed = tokenizerSeed(definition, seed);
  const trainTokens = encodeAll(strategy, dataset.train, 'train', encodeSeed);
  const testTokens = encodeAll(strategy, dataset.test, 'test', encodeSeed);
  return { dataset, strategy, trainTokens, testTokens, tokenizeSeconds: (performance.now() - started) / 1000 };
}

// Seeds of one cell run back to back, and cells differing only in model or training params follow each
// other in the grid, so keeping the last tokenized pair is enough to tokenize each once (once per seed
// for a seeded strategy).
let last: { key: string; prepared: Promise<PreparedCell> } | undefined;

/** prepareCell, reusing the previous call's result when dataset, strategy and (for a seeded strategy) seed are the same. */
export function prepareOnce(cell: Pick<Cell, 'dataset' | 'strategy' | 'baseDir'>, seed: number): Promise<PreparedCell> {
  const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
  const key = JSON.stringify([cell.dataset, cell.strategy, cell.baseDir, definition.seeded === true ? seed : null]);
  if (last?.key !== key) last = { key, prepared: prepareCell(cell, seed) };
  return last.prepared;
}
