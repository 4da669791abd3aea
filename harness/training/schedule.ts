// Learning-rate schedule of every training loop: linear warm-up, then cosine decay to zero
// (Loshchilov & Hutter 2017; the recipe of BERT, ViT and MAE fine-tuning).
import * as tf from '@tensorflow/tfjs';

/** Share of all steps spent warming up. */
export const WARMUP_FRACTION = 0.1;

/** The rate of step `step` (0-based) of `total`, peaking at `peak` at the end of the warm-up. */
export function scheduledRate(step: number, total: number, peak: number): number {
  const warmup = Math.max(1, Math.round(WARMUP_FRACTION * total));
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return 0.5 * peak * (1 + Math.cos(Math.PI * progress));
}

/** Adam whose rate can change between steps; tfjs keeps it in a protected field and offers no schedules. */
export class ScheduledAdam extends tf.AdamOptimizer {
  setRate(rate: number): void {
    this.learningRate = rate;
  }
}
