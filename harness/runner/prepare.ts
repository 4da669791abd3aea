// The tokenizing half of a cell: load the dataset (validation carved from training), fit the strategy on the training split, encode every split once.
import { performance } from 'node:perf_hooks';
import { strategies } from '../../strategies/registry.js';
import type { StrategyDefinition, Strategy, Tokens } from '../../strategies/types.js';
import type { LoadedDataset, Modality, SplitName } from '../../datasets/types.js';
import { TokbenchError } from '../errors.js';
import type { Cell } from '../grid/cell.js';
import type { TrainParams } from '../model/params.js';
import { lookup } from '../registry-lookup.js';
import type { TokenizedCell } from '../evaluators/types.js';
import { createRng, deriveSeed, sampleRandom, type Rng } from '../random.js';
import { loadDataset } from './datasets.js';

export interface PreparedCell extends TokenizedCell {
  /** Fit plus encoding of every split. */
  readonly tokenizeSeconds: number;
}

/** The random source a strategy's `fit` draws from: the run's seed for a seeded strategy, one fixed stream for the rest. */
export function tokenizerRandom(definition: Pick<StrategyDefinition, 'seeded'>, seed: number): Rng {
  return createRng(deriveSeed(tokenizerSeed(definition, seed), 'tokenizer'));
}

/** The seed a strategy's fit and encode streams derive from: the run's for a seeded strategy, 0 for the rest. */
function tokenizerSeed(definition: Pick<StrategyDefinition, 'seeded'>, seed: number): number {
  return definition.seeded === true ? seed : 0;
}

/** What of a cell decides its data and tokens: dataset, strategy, the base folder of its paths and its validation share. */
export type CellData = Pick<Cell, 'dataset' | 'strategy' | 'baseDir'> & { readonly train: Pick<TrainParams, 'val_fraction'> };

/** A cell's dataset and its strategy fitted on the training split, ready to encode any sample. */
export interface FittedCell {
  readonly dataset: LoadedDataset<Modality>;
  readonly strategy: Strategy<Modality>;
  /** Time the fit took (not the loading). */
  readonly fitSeconds: number;
  /** Tokens of sample i of a split: it draws from the stream of (the tokenizer seed, its source row), see Strategy.encode. */
  encode(split: SplitName, i: number): Tokens;
}

/**
 * Loads the cell's dataset (relative paths from `baseDir`, `train.val_fraction` of the training split carved into the
 * validation split) and fits its strategy on what is left of the training split with the random source of `seed`
 * (see tokenizerRandom). Encoding is left to the caller, so a large dataset's tokens can be written one sample at a
 * time instead of held at once.
 */
export async function fitCell({ dataset: datasetRef, strategy: strategyRef, baseDir, train }: CellData, seed: number): Promise<FittedCell> {
  const dataset = await loadDataset(datasetRef.name, datasetRef.params, { baseDir, valFraction: train.val_fraction });
  const definition: StrategyDefinition = lookup(strategies, 'strategy', strategyRef.name);
  if (definition.modality !== dataset.modality) {
    throw new TokbenchError('modality-mismatch', `strategy '${definition.name}' tokenizes ${definition.modality} data but dataset '${datasetRef.name}' is ${dataset.modality}`);
  }
  const started = performance.now();
  const strategy = definition.create(strategyRef.params, dataset.info, { baseDir });
  strategy.fit?.(dataset.train.samples, tokenizerRandom(definition, seed));
  const encodeSeed = tokenizerSeed(definition, seed);
  return {
    dataset,
    strategy,
    fitSeconds: (performance.now() - started) / 1000,
    encode(split, i) {
      const data = dataset[split];
      try {
        return strategy.encode(data.samples[i], sampleRandom(encodeSeed, data.index[i]));
      } catch (error) {
        if (error instanceof TokbenchError) throw new TokbenchError(error.code, `${split} sample ${i}: ${error.message}`, [split, i, ...error.path]);
        throw error;
      }
    },
  };
}

/** fitCell, then every split encoded. */
export async function prepareCell(cell: CellData, seed: number): Promise<PreparedCell> {
  const { dataset, strategy, encode, fitSeconds } = await fitCell(cell, seed);
  const started = performance.now();
  const encoded = (split: SplitName) => dataset[split].samples.map((_, i) => encode(split, i));
  const trainTokens = encoded('train');
  const validationTokens = encoded('validation');
  const testTokens = encoded('test');
  return { dataset, strategy, trainTokens, validationTokens, testTokens, tokenizeSeconds: fitSeconds + (performance.now() - started) / 1000 };
}

// Seeds of one cell run back to back, and cells differing only in model or training params follow each
// other in the grid, so keeping the last tokenized pair is enough to tokenize each once (once per seed
// for a seeded strategy).
let last: { key: string; prepared: Promise<PreparedCell> } | undefined;

/** prepareCell, reusing the previous call's result when dataset, validation share, strategy and (for a seeded strategy) seed are the same. */
export function prepareOnce(cell: CellData, seed: number): Promise<PreparedCell> {
  const definition: StrategyDefinition = lookup(strategies, 'strategy', cell.strategy.name);
  const key = JSON.stringify([cell.dataset, cell.train.val_fraction, cell.strategy, cell.baseDir, definition.seeded === true ? seed : null]);
  if (last?.key !== key) last = { key, prepared: prepareCell(cell, seed) };
  return last.prepared;
}
