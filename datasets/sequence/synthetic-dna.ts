// Random DNA with one class-specific motif planted per sequence: the planted-motif problem of Pevzner & Sze (2000), with per-base substitutions.
import { z } from 'zod';
import { createRng, type Rng } from '../../harness/random.js';
import { carvedSizes, carveValidation, simulatedSplitSeed, splitByFraction, splitSeedOf, takeSplits, testSizeOf, valFractionOf } from '../split.js';
import { SPLIT_SEED_PARAM, type DatasetContext, type DatasetDefinition, type DatasetShape } from '../types.js';

const BASES = 'ACGT';

export const syntheticDnaParams = z
  .strictObject({
    n: z.int().min(2).max(1_000_000).default(600).describe('Sequences; class i mod `classes` for sequence i, so classes are balanced.'),
    length: z.int().min(1).max(1_000_000).default(200).describe('Bases per sequence.'),
    classes: z.int().min(2).max(1000).default(3).describe('Classes, each with its own random motif.'),
    motif_length: z.int().min(1).default(8).describe('Bases per planted motif: any length up to `length`, shorter or longer than a tokenizer\'s k.'),
    mutation_rate: z.number().min(0).max(1).default(0.1).describe('Probability that each base of a planted motif is replaced by one of the other three bases.'),
    n_rate: z.number().min(0).lt(1).default(0.005).describe('Probability that any base (background or motif) is read as \'N\', so unknown-base paths are exercised.'),
    test_fraction: z.number().gt(0).lt(1).default(0.3).describe('Fraction of sequences held out for testing, stratified by class.'),
    seed: z.int().min(0).max(0xffff_ffff).default(0).describe('Fixes the motifs, the sequences and, unless `split_seed` is given, the split.'),
    [SPLIT_SEED_PARAM]: z.int().min(0).max(0xffff_ffff).optional().describe('Fixes only which sequences go to training and which to testing, never the data; default: `seed`.'),
  })
  .refine((p) => p.motif_length <= p.length, {
    message: "The 'motif_length' parameter of synthetic-dna must be at most 'length'",
    path: ['motif_length'],
  })
  .refine((p) => p.classes <= 4 ** p.motif_length, {
    message: "The 'classes' parameter of synthetic-dna must be at most 4^motif_length, so every class gets a distinct motif",
    path: ['classes'],
  });
export type SyntheticDnaParams = z.infer<typeof syntheticDnaParams>;

export interface PlantedSequences {
  readonly sequences: string[];
  readonly labels: Int32Array;
  /** Each class's motif as drawn, before mutation. */
  readonly motifs: string[];
  /** Where each sequence's motif starts. */
  readonly offsets: Int32Array;
}

/** Draws the motifs (distinct, uniform over ACGT), then each sequence: background, offset, motif mutations, Ns. */
export function plantMotifs(p: SyntheticDnaParams, rng: Rng): PlantedSequences {
  const motifs: string[] = [];
  while (motifs.length < p.classes) {
    const motif = randomBases(rng, p.motif_length);
    if (!motifs.includes(motif)) motifs.push(motif);
  }
  const labels = Int32Array.from({ length: p.n }, (_, i) => i % p.classes);
  const offsets = new Int32Array(p.n);
  const sequences = Array.from(labels, (label, i) => {
    const bases = Array.from(randomBases(rng, p.length));
    offsets[i] = rng.int(p.length - p.motif_length + 1);
    for (let k = 0; k < p.motif_length; k++) {
      const base = motifs[label][k];
      // Adding 1–3 (mod 4) to the base's index picks one of the other three bases uniformly.
      bases[offsets[i] + k] = rng.uniform() < p.mutation_rate ? BASES[(BASES.indexOf(base) + 1 + rng.int(3)) % 4] : base;
    }
    for (let k = 0; k < p.length; k++) if (rng.uniform() < p.n_rate) bases[k] = 'N';
    return bases.join('');
  });
  return { sequences, labels, motifs, offsets };
}

function randomBases(rng: Rng, count: number): string {
  let out = '';
  for (let k = 0; k < count; k++) out += BASES[rng.int(4)];
  return out;
}

/** What `load` will report for these params and validation share (see DatasetContext); checks the split before anything is simulated. */
function shapeOf(params: SyntheticDnaParams, context: DatasetContext | undefined): DatasetShape<'sequence'> {
  const testSize = testSizeOf(params.n, params.test_fraction, 'synthetic-dna');
  return {
    info: { minLength: params.length, maxLength: params.length },
    ...carvedSizes(params.n - testSize, context, 'synthetic-dna'),
    testSize,
    classes: params.classes,
    files: [],
  };
}

export const syntheticDna: DatasetDefinition<'sequence', SyntheticDnaParams> = {
  name: 'synthetic-dna',
  modality: 'sequence',
  description: 'Uniform random DNA with one class-specific motif planted per sequence at a random offset, plus substitutions and Ns',
  params: syntheticDnaParams,
  async describe(params, context) {
    return shapeOf(params, context);
  },
  async load(params, context) {
    const { info } = shapeOf(params, context);
    const { sequences, labels } = plantMotifs(params, createRng(params.seed));
    const split = splitByFraction(labels, params.test_fraction, simulatedSplitSeed(splitSeedOf(params)), 'synthetic-dna');
    const rows = carveValidation(split, labels, valFractionOf(context), splitSeedOf(params), 'synthetic-dna');
    const sampleAt = (row: number) => sequences[row];
    return {
      modality: 'sequence',
      info,
      // Fixed names rather than the motifs, so per-class results line up across dataset seeds.
      classNames: Array.from({ length: params.classes }, (_, k) => `class${k}`),
      ...takeSplits(rows, labels, sampleAt),
    };
  },
};
