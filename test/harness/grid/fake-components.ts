// A small registry of fake datasets and strategies, so grid and config tests do not depend on the real components.
import { z } from 'zod';
import type { Components } from '../../../harness/grid/components.js';

export const fakeComponents: Components = {
  datasets: {
    digits: {
      name: 'digits',
      modality: 'image',
      description: 'fake images',
      params: z.strictObject({ train_size: z.int().min(1).default(100), seed: z.int().min(0).default(0) }),
    },
    dna: { name: 'dna', modality: 'sequence', description: 'fake DNA', params: z.strictObject({ length: z.int().min(1).default(50) }) },
    cells: { name: 'cells', modality: 'expression', description: 'fake cells', params: z.strictObject({}) },
  },
  strategies: {
    patch: {
      name: 'patch',
      modality: 'image',
      description: 'fake patches',
      params: z.strictObject({ patch_size: z.int().min(1).max(28).default(4), stride: z.int().min(1).optional() }),
    },
    /** A list-typed param: a list is one value, a list of lists is an axis. */
    multiscale: {
      name: 'multiscale',
      modality: 'image',
      description: 'fake multi-scale patches',
      params: z.strictObject({ sizes: z.array(z.int().min(1)).min(1).default([4, 8]) }),
    },
    kmer: { name: 'kmer', modality: 'sequence', description: 'fake k-mers', params: z.strictObject({ k: z.int().min(1).max(12).default(6) }) },
    rank: { name: 'rank', modality: 'expression', description: 'fake ranks', params: z.strictObject({}) },
  },
};
