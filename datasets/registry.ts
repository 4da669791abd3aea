// Every dataset by its YAML name; adding one is one file plus one line here.
import type { DatasetDefinition } from './types.js';
import { mnist } from './image/mnist.js';
import { idx } from './image/idx.js';
import { imageFolder } from './image/image-folder.js';
import { syntheticImages } from './image/synthetic-images.js';
import { syntheticExpression } from './expression/synthetic-expression.js';
import { tenxMtx } from './expression/10x-mtx.js';
import { expressionCsv } from './expression/expression-csv.js';
import { h5ad } from './expression/h5ad.js';
import { tenxH5 } from './expression/10x-h5.js';
import { fasta } from './sequence/fasta.js';
import { sequenceCsv } from './sequence/sequence-csv.js';
import { syntheticDna } from './sequence/synthetic-dna.js';

export const datasets = Object.freeze({
  mnist,
  idx,
  'image-folder': imageFolder,
  'synthetic-images': syntheticImages,
  'synthetic-expression': syntheticExpression,
  '10x-mtx': tenxMtx,
  'expression-csv': expressionCsv,
  h5ad,
  '10x-h5': tenxH5,
  'synthetic-dna': syntheticDna,
  'sequence-csv': sequenceCsv,
  fasta,
} satisfies Record<string, DatasetDefinition>);

export type DatasetName = keyof typeof datasets;
