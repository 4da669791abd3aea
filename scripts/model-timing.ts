// Times the encoder on random tokens: ms per pre-training and fine-tuning step and per inference sample, to size sweeps.
// Usage: tsx scripts/model-timing.ts [backend] [lengths, e.g. 16,49,118,256]
import { performance } from 'node:perf_hooks';
import type { Tokens, TokenLayout } from '../strategies/types.js';
import { selectBackend } from '../harness/backend/select.js';
import type { BackendPreference } from '../harness/backend/select.js';
import { Encoder } from '../harness/model/encoder.js';
import { trainParams, type ModelParams, type TrainParams } from '../harness/model/params.js';
import { createRng } from '../harness/random.js';
import { trainClassifier } from '../harness/training/classify.js';
import { predictMasked } from '../harness/training/predict-masked.js';
import { pretrain } from '../harness/training/pretrain.js';

const LAYOUTS: Record<string, TokenLayout> = {
  'patch values': { idChannels: 0, vocabSizes: [], valueDim: 16, coordDim: 3, target: { kind: 'values' }, maskSpan: 1 },
  'gene ids': { idChannels: 1, vocabSizes: [502], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 2 }, maskSpan: 1 },
  '6-mer ids': { idChannels: 1, vocabSizes: [4101], valueDim: 0, coordDim: 1, target: { kind: 'ids', channel: 0, specials: 5 }, maskSpan: 6 },
};
const MODEL: ModelParams = { dim: 32, depth: 2, heads: 4, mlp_ratio: 2 };
const BATCH = 32;
const STEPS = 16;

function randomTokens(layout: TokenLayout, length: number, n: number, seed: number): Tokens[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({
    length,
    ids: Int32Array.from({ length: length * layout.idChannels }, (_, i) => rng.int(layout.vocabSizes[i % layout.idChannels])),
    values: Float32Array.from({ length: length * layout.valueDim }, () => rng.uniform()),
    coords: Float32Array.from({ length: length * layout.coordDim }, (_, i) => i),
    extent: [length],
    dropped: 0,
  }));
}

async function time(layout: TokenLayout, length: number): Promise<string[]> {
  const tokens = randomTokens(layout, length, BATCH * STEPS, 1);
  const labels = Int32Array.from(tokens, (_, i) => i % 2);
  const train: TrainParams = trainParams.parse({ pretrain_budget: { epochs: 1 }, classify_budget: { epochs: 1 }, batch_size: BATCH });
  const encoder = new Encoder(layout, MODEL, 1);
  // One epoch first so one-off costs (kernel setup, heap growth) are not timed.
  await pretrain(encoder, tokens.slice(0, BATCH), train, 1);
  const pretraining = await pretrain(encoder, tokens, train, 2);
  // Fine-tuning also makes one pass for its standardisation statistics: time one epoch as the difference of two runs.
  const finetuneSeconds = async (epochs: number) => {
    const classifier = await trainClassifier(encoder, tokens, labels, 2, { ...train, classify_budget: { epochs } }, 3);
    classifier.dispose();
    return classifier.report.seconds;
  };
  const finetuneEpoch = (await finetuneSeconds(2)) - (await finetuneSeconds(1));
  const started = performance.now();
  predictMasked(encoder, tokens, 0.25, 4);
  const inference = (performance.now() - started) / tokens.length;
  encoder.dispose();
  return [((pretraining.seconds * 1000) / STEPS).toFixed(0), ((finetuneEpoch * 1000) / STEPS).toFixed(0), inference.toFixed(2)];
}

const backend = await selectBackend((process.argv[2] ?? 'wasm') as BackendPreference);
const lengths = (process.argv[3] ?? '16,49,118,256').split(',').map(Number);
console.log(`backend ${backend.name}; dim ${MODEL.dim}, depth ${MODEL.depth}, heads ${MODEL.heads}, mlp_ratio ${MODEL.mlp_ratio}; batch ${BATCH}`);
console.log(['layout', 'T', 'pretrain ms/step', 'finetune ms/step', 'masked inference ms/sample'].join('\t'));
for (const [name, layout] of Object.entries(LAYOUTS)) {
  for (const length of lengths) console.log([name, length, ...(await time(layout, length))].join('\t'));
}
