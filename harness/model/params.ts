// The model and training parameters a sweep may set (and sweep over), with their defaults.
import { z } from 'zod';

export const modelParams = z.strictObject({
  /** Width of every token embedding. */
  dim: z.int().min(4).max(4096).default(32),
  /** Number of pre-LayerNorm encoder blocks. */
  depth: z.int().min(1).max(48).default(2),
  /** Attention heads; must divide `dim`. */
  heads: z.int().min(1).max(64).default(4),
  /** Hidden width of the MLP as a multiple of `dim`. */
  mlp_ratio: z.number().positive().max(16).default(2),
}).refine((p) => p.dim % p.heads === 0, { message: "'heads' must divide 'dim'", path: ['heads'] });

export const trainParams = z.strictObject({
  /** Fraction of each sample's tokens hidden in masked-token pre-training (at least one). */
  mask_ratio: z.number().gt(0).lt(1).default(0.25),
  pretrain_epochs: z.int().min(0).max(10_000).default(2),
  classify_epochs: z.int().min(1).max(10_000).default(3),
  batch_size: z.int().min(1).max(65_536).default(32),
  lr: z.number().positive().max(1).default(1e-3),
  /** `finetune`: encoder and linear head trained on labels; `probe`: linear head on frozen mean-pooled embeddings; `none`: pre-training and reconstruction only (unlabelled data). */
  classify: z.enum(['finetune', 'probe', 'none']).default('finetune'),
});

export type ModelParams = z.infer<typeof modelParams>;
export type TrainParams = z.infer<typeof trainParams>;
