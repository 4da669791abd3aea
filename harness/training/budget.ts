// How much training a stage gets: epochs, analytic training FLOPs, real tokens or sample presentations, and the
// batches that spend exactly that (the last batch cut to fit), laid out before the first step so the learning-rate
// schedule knows its length.
import { z } from 'zod';
import { TokbenchError } from '../errors.js';

export const BUDGET_KINDS = ['epochs', 'flops', 'tokens', 'samples'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

/** A stage's budget schema; `minEpochs` is 0 for pre-training (none at all) and 1 for fine-tuning. */
export function budgetSchema(minEpochs: number) {
  return z
    .strictObject({
      epochs: z.int().min(minEpochs).max(10_000).optional().describe('Passes over the training split.'),
      flops: z.number().positive().max(1e24).optional().describe('Analytic training FLOPs: 3 × 2 × the forward MACs of each presented sample at its own length, heads included.'),
      tokens: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Real (non-padding) tokens through the encoder.'),
      samples: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Sample presentations.'),
    })
    .refine((b) => BUDGET_KINDS.filter((kind) => b[kind] !== undefined).length === 1, { message: 'expected exactly one of epochs, flops, tokens or samples' });
}

export type Budget = z.infer<ReturnType<typeof budgetSchema>>;

/** The budget's one kind and amount. */
export function budgetAmount(budget: Budget): { readonly kind: BudgetKind; readonly amount: number } {
  const kind = BUDGET_KINDS.find((k) => budget[k] !== undefined);
  if (kind === undefined) throw new Error(`a budget names none of ${BUDGET_KINDS.join(', ')}`);
  return { kind, amount: budget[kind] as number };
}

/** `2e9`, `1.5e12`, `300`: short, exact enough to tell budgets apart, and readable back as a YAML number. */
function compact(amount: number): string {
  return Math.abs(amount) >= 1e6 ? amount.toExponential().replace('e+', 'e') : String(amount);
}

/** The budget as its result column shows it: `flops=2e9`, `epochs=3`. */
export function budgetText(budget: Budget): string {
  const { kind, amount } = budgetAmount(budget);
  return `${kind}=${compact(amount)}`;
}

/**
 * `share` of a budget, for a brief trial run: the same kind, scaled (an epoch budget becomes the share of its
 * presentations, `samples` being the training samples an epoch presents), never less than one unit unless the
 * budget itself was zero epochs.
 */
export function budgetShare(budget: Budget, share: number, samples: number): Budget {
  const { kind, amount } = budgetAmount(budget);
  if (kind === 'epochs') return amount === 0 ? budget : { samples: Math.max(1, Math.round(share * amount * samples)) };
  if (kind === 'flops') return { flops: share * amount };
  return { [kind]: Math.max(1, Math.round(share * amount)) };
}

/** What a stage spent (or a plan will spend). */
export interface Spend {
  /** Analytic training FLOPs (TRAINING_PASSES × 2 × forward MACs per presented sample, heads included). */
  readonly flops: number;
  /** Real tokens through the encoder. */
  readonly tokens: number;
  /** Sample presentations. */
  readonly samples: number;
  /** Optimiser steps. */
  readonly steps: number;
}

const NO_SPEND: Spend = { flops: 0, tokens: 0, samples: 0, steps: 0 };

/** What presenting one sample costs: analytic training FLOPs and real tokens. */
export interface SampleCost {
  readonly flops: number;
  readonly tokens: number;
}

/**
 * The cost of presenting `sample` now. A plan asks once per presentation, in presentation order, so a cost may
 * depend on a draw made in that order (the positions span masking hides).
 */
export type PresentationCost = (sample: number) => SampleCost;

/** A cost fixed per sample: `flops[i]` and `tokens[i]` every time sample i is presented. */
export function fixedCosts(flops: ArrayLike<number>, tokens: ArrayLike<number>): PresentationCost {
  return (sample) => ({ flops: flops[sample], tokens: tokens[sample] });
}

/**
 * The batches a stage trains on, in order, and where each epoch ends. `batches()` draws them again, an epoch at a
 * time, so a long budget never holds its whole run of batches.
 */
export interface TrainingPlan {
  /** Index (into the run's steps) one past each epoch's last batch; the last epoch may be partial. */
  readonly epochEnds: readonly number[];
  readonly spend: Spend;
  batches(): Iterable<Int32Array>;
}

/** One epoch's batches after another, from a fresh stream for every pass (the same stream gives the same batches). */
export type EpochStream = () => () => Int32Array[];

function amountOf(kind: Exclude<BudgetKind, 'epochs'>, cost: SampleCost): number {
  return kind === 'flops' ? cost.flops : kind === 'tokens' ? cost.tokens : 1;
}

/**
 * Lays out a stage's run before its first step, so the learning-rate schedule knows its length. One pass over
 * `epochs()` prices every presentation in order: an epoch budget takes whole epochs; any other takes each batch
 * while it fits, then the longest prefix of the next batch that fits, so the run stops short of its budget by
 * less than the cost of one sample. `batches()` then draws the same batches again from a fresh stream, as many
 * as were counted, the last cut to the counted size, without pricing anything again. A budget other than epochs
 * that buys no step at all is refused, because an untrained stage would pass for a trained one; `stage` names it.
 */
export function planTraining(budget: Budget, cost: PresentationCost, epochs: EpochStream, stage: string): TrainingPlan {
  const { kind, amount } = budgetAmount(budget);
  const epochEnds: number[] = [];
  let flops = 0;
  let tokens = 0;
  let samples = 0;
  let steps = 0;
  // What the budget's own unit has spent, and the presentation that no longer fit.
  let spent = 0;
  let refused: SampleCost | undefined;
  let lastSize = 0;
  const drawEpoch = epochs();
  for (let epoch = 0; refused === undefined && (kind !== 'epochs' || epoch < amount); epoch++) {
    const batches = drawEpoch();
    if (batches.length === 0) break;
    for (const batch of batches) {
      let fits = 0;
      for (; fits < batch.length; fits++) {
        const price = cost(batch[fits]);
        if (kind !== 'epochs') {
          if (spent + amountOf(kind, price) > amount) {
            refused = price;
            break;
          }
          spent += amountOf(kind, price);
        }
        flops += price.flops;
        tokens += price.tokens;
        samples++;
      }
      if (fits > 0) {
        steps++;
        lastSize = fits;
        epochEnds[epoch] = steps;
      }
      if (refused !== undefined) break;
    }
  }
  if (steps === 0 && refused !== undefined && kind !== 'epochs') {
    throw new TokbenchError(
      'invalid-param',
      `The ${stage} budget ${budgetText(budget)} must buy at least one training step; the first sample it would present costs ${amountOf(kind, refused)} ${kind}, so it would train nothing.`,
      ['train', `${stage}_budget`],
    );
  }
  return {
    epochEnds,
    spend: { flops, tokens, samples, steps },
    *batches() {
      const draw = epochs();
      for (let step = 0; step < steps; ) {
        for (const batch of draw()) {
          if (++step === steps) {
            yield batch.length === lastSize ? batch : batch.slice(0, lastSize);
            return;
          }
          yield batch;
        }
      }
    },
  };
}

/**
 * What a budget will give a stage before any sample is encoded, from the mean cost of a sample: presentations,
 * steps (ceil(n / batch) per epoch, as epochBatches forms them) and FLOPs. Exact when every sample costs the
 * same and the batch size divides the training split (otherwise a partial epoch's steps depend on where its
 * short batches fall).
 */
export function estimateSpend(budget: Budget, perSample: SampleCost, trainSize: number, batchSize: number): Spend {
  const { kind, amount } = budgetAmount(budget);
  if (trainSize === 0) return NO_SPEND;
  const cost = kind === 'epochs' ? 0 : amountOf(kind, perSample);
  const presented = kind === 'epochs' ? amount * trainSize : cost > 0 ? Math.floor(amount / cost) : 0;
  const epochs = Math.floor(presented / trainSize);
  const rest = presented - epochs * trainSize;
  const steps = epochs * Math.ceil(trainSize / batchSize) + Math.ceil(rest / batchSize);
  return { flops: presented * perSample.flops, tokens: presented * perSample.tokens, samples: presented, steps };
}
