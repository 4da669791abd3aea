// Every tokenization strategy by its YAML name; adding one is one file plus one line here.
import type { StrategyDefinition } from './types.js';
import { patch } from './image/patch.js';
import { rank } from './expression/rank.js';
import { binned } from './expression/binned.js';
import { modules } from './expression/modules.js';
import { continuous } from './expression/continuous.js';
import { fixedOrder } from './expression/fixed-order.js';
import { kmer } from './sequence/kmer.js';
import { char } from './sequence/char.js';
import { bpe } from './sequence/bpe.js';
import { superpixel } from './image/superpixel.js';
import { multiscale } from './image/multiscale.js';
import { vq } from './image/vq.js';
import { quadtree } from './image/quadtree.js';

export const strategies = Object.freeze({ patch, rank, binned, continuous, 'fixed-order': fixedOrder, modules, kmer, char, bpe, superpixel, multiscale, vq, quadtree } satisfies Record<string, StrategyDefinition>);

export type StrategyName = keyof typeof strategies;
