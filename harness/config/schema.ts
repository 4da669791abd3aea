// The shape of a sweep file's top level; component, model and train params are checked against their own schemas later.
import { z } from 'zod';

/** Sweep names become folder names (`results/<name>/`), so they stay to one safe alphabet. */
export const SWEEP_NAME = /^[a-z0-9_-]+$/;

/** The only config format so far; a later format bumps it so old files fail loudly instead of silently. */
export const CONFIG_VERSION = 1;

/** One dataset or strategy entry: a registry name and its params, where a list is a sweep axis. */
export const componentEntry = z.strictObject({
  name: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});

const paramMap = z.record(z.string(), z.unknown()).optional();

export const sweepFile = z.strictObject({
  name: z.string().regex(SWEEP_NAME),
  description: z.string().optional(),
  version: z.literal(CONFIG_VERSION),
  /** Seeds of initialisation, masking and batch order; each cell runs once per seed. At most 2³¹ − 1: the `seed` column is int32. */
  seeds: z
    .array(z.int().min(0).max(0x7fff_ffff))
    .min(1)
    .refine((seeds) => new Set(seeds).size === seeds.length, { message: 'expected distinct seeds' }),
  /** Seconds one (cell, seed) may take before it is stopped and becomes a failed row; `run --timeout` overrides it. */
  timeout: z.number().positive().optional(),
  datasets: z.array(z.unknown()).min(1),
  strategies: z.array(z.unknown()).min(1),
  model: paramMap,
  train: paramMap,
});
