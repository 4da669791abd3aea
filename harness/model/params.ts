// The model and training parameters a sweep may set (and sweep over), with their defaults.
import { z } from 'zod';
import { budgetSchema } from '../training/budget.js';

export const modelParams = z.strictObject({
  dim: z.int().min(4).max(4096).default(32).describe('Width of every token embedding.'),
  depth: z.int().min(1).max(48).default(2).describe('Number of pre-LayerNorm encoder blocks.'),
  heads: z.int().min(1).max(64).default(4).describe('Attention heads; must divide `dim`.'),
  mlp_ratio: z.number().positive().max(16).default(2).describe('Hidden width of the MLP as a multiple of `dim`.'),
}).refine((p) => p.dim % p.heads === 0, { message: "'heads' must divide 'dim'", path: ['heads'] });

export const trainParams = z
  .strictObject({
    mask_ratio: z.number().gt(0).lt(1).default(0.25).describe("Fraction of each sample's tokens hidden in masked-token pre-training and in the reconstruction evaluation (at least one)."),
    pretrain_budget: budgetSchema(0)
      .default({ epochs: 2 })
      .describe('How much masked-token pre-training a run gets: `{epochs: N}`, `{flops: X}`, `{tokens: N}` or `{samples: N}`; `pretrain_epochs: N` is shorthand for `{epochs: N}`.'),
    classify_budget: budgetSchema(1)
      .default({ epochs: 3 })
      .describe(
        'How much fine-tuning a run gets, in the same units as `pretrain_budget`; `classify_epochs: N` is shorthand for `{epochs: N}`. Does not apply to `classify: probe` or `none` (null in their rows), so a list of budgets does not multiply their cells.',
      ),
    batch_size: z.int().min(1).max(65_536).default(32).describe('Samples per step.'),
    lr: z.number().positive().max(1).default(1e-3).describe('Peak Adam learning rate; not with `lr_select`, which chooses it (then `lr_selected` holds the rate used).'),
    classify: z
      .enum(['finetune', 'probe', 'none'])
      .default('finetune')
      .describe('`finetune`: encoder and linear head trained on labels; `probe`: linear head on frozen mean-pooled embeddings; `none`: pre-training and reconstruction only (unlabelled data).'),
    val_fraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe("Fraction of the training split held out as a validation split (stratified, seeded by the dataset's split seed) before the tokenizer is fitted; nothing trains on it."),
    lr_select: z
      .array(z.number().positive().max(1))
      .min(2)
      .optional()
      .describe('Learning rates to choose from per (cell, seed): each trains on `lr_select_fraction` of both budgets, and the one with the lowest validation loss trains the run.'),
    lr_select_fraction: z.number().gt(0).max(1).default(0.25).describe('Share of each budget a learning-rate trial trains for; only with `lr_select`.'),
  })
  .refine((p) => p.lr_select === undefined || p.val_fraction > 0, {
    message: 'expected val_fraction > 0 beside lr_select, because learning rates are compared on the validation split',
    path: ['val_fraction'],
  })
  .refine((p) => p.lr_select === undefined || p.classify === 'finetune' || p.pretrain_budget.epochs !== 0, {
    message: 'expected a pre-training budget or classify: finetune beside lr_select, because nothing else trains with a learning rate',
    path: ['lr_select'],
  })
  .refine((p) => p.lr_select === undefined || new Set(p.lr_select).size === p.lr_select.length, {
    message: 'expected distinct learning rates',
    path: ['lr_select'],
  });

/** The epoch shorthands of the two budgets: `pretrain_epochs: N` means `pretrain_budget: {epochs: N}`. */
export const EPOCH_SHORTHANDS = {
  pretrain_epochs: { budget: 'pretrain_budget', epochs: z.int().min(0).max(10_000) },
  classify_epochs: { budget: 'classify_budget', epochs: z.int().min(1).max(10_000) },
} as const;

/** Params a train block may not write together: `param` would be ignored beside `excludedBy`. */
export const EXCLUSIVE_TRAIN_PARAMS = [{ param: 'lr', excludedBy: 'lr_select', because: 'lr_select chooses the peak rate on the validation split' }] as const;

export type ModelParams = z.infer<typeof modelParams>;
export type TrainParams = z.infer<typeof trainParams>;

const TRAIN_DEFAULTS: TrainParams = trainParams.parse({});

/** The train params that do not act on a run: a probe's or a reconstruction-only run's classification budget, `lr` beside `lr_select`, the trial share without it. */
export function inapplicableTrainParams(train: TrainParams): (keyof TrainParams)[] {
  return [
    ...(train.classify === 'finetune' ? [] : (['classify_budget'] as const)),
    ...(train.lr_select === undefined ? (['lr_select_fraction'] as const) : (['lr'] as const)),
  ];
}

/** The params as they act on a run: those that do not apply take their defaults, so cells that train alike are one cell. */
export function applicableTrainParams(train: TrainParams): TrainParams {
  const defaults = Object.fromEntries(inapplicableTrainParams(train).map((name) => [name, TRAIN_DEFAULTS[name]]));
  return { ...train, ...defaults };
}
