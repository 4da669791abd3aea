// Vector-quantised patches: each non-overlapping p×p patch becomes the id of its nearest code in a k-means codebook fitted on
// the training split's patches (VQ of image blocks, Gray 1984; Image GPT's k-means colour palette, Chen et al. 2020, is p = 1).
import { z } from 'zod';
import type { ImageSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Rng } from '../../harness/random.js';
import type { ParamProblem, Strategy, StrategyDefinition, Tokens, TokenLayout } from '../types.js';
import type { Points } from './kmeans.js';
import { kmeans, nearestFrom, quarterGaps } from './kmeans.js';
import { cutPatches, pastePatches } from './patch-grid.js';
import { WINDOW_COORDS, windowCount, windowCovers, windowLabel } from './windows.js';

const params = z.strictObject({
  patch_size: z.int().min(1).default(4).describe('Side of each square patch, in pixels; patches do not overlap.'),
  vocab_size: z
    .int()
    .min(1)
    .default(256)
    .describe('Codes in the k-means codebook (k), the [PAD] special not counted; fewer when the fitted patches hold fewer distinct ones (see the vocab_size column).'),
  fit_samples: z
    .int()
    .min(1)
    .default(20_000)
    .describe("Training patches k-means is fitted on, drawn without replacement from the run's seed (every patch when the split has fewer); at least vocab_size."),
  // 10 keeps fitting under a tenth of a short run: at vocab 1024 on 20,000 colour 4×4 patches it took 3.9 s (20: 6.5 s).
  iterations: z.int().min(1).default(10).describe('Most Lloyd updates of the codebook; fitting stops sooner when a reassignment moves no patch.'),
});

export type VqParams = z.infer<typeof params>;

/** Id 0 is [PAD], the id the model's batches pad with (the model's [MASK] is a learned vector, not an id); code c has id 1 + c. */
const SPECIALS = ['[PAD]'];
const FIRST_CODE = SPECIALS.length;

/** What `fit` learns; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface VqState {
  /** codes × size·size·C centroids, in id order: ascending mean intensity, ties by the first differing value. */
  readonly codebook: Float64Array;
  readonly codes: number;
  /** Lloyd updates k-means made before it converged or reached `iterations`. */
  readonly updates: number;
}

export interface VqStrategy extends Strategy<'image'> {
  fit(train: readonly ImageSample[], random: Rng): void;
  /** Learned codebook; undefined until `fit`. */
  readonly state: VqState | undefined;
  /** `codebook.tsv`: one line per code (token id, then its centroid's values named y·x·c within the patch), full precision. */
  artifacts(): Readonly<Record<string, string>>;
}

/** m distinct integers of [0, n), ascending, each m-subset equally likely (Floyd's algorithm: m draws, O(m) memory). */
function sampleIndices(n: number, m: number, random: Rng): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = random.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

/** Codes in id order: ascending mean, ties broken by the first differing value, so ids do not depend on the seeding order. */
function sortedCodebook(centres: Float64Array, codes: number, dim: number): Float64Array {
  const row = (j: number) => centres.subarray(j * dim, (j + 1) * dim);
  const mean = Array.from({ length: codes }, (_, j) => row(j).reduce((a, b) => a + b, 0) / dim);
  const order = Array.from({ length: codes }, (_, j) => j).sort((a, b) => {
    if (mean[a] !== mean[b]) return mean[a] - mean[b];
    const d = row(a).findIndex((v, e) => v !== centres[b * dim + e]);
    return d < 0 ? 0 : centres[a * dim + d] - centres[b * dim + d];
  });
  const out = new Float64Array(codes * dim);
  order.forEach((j, id) => out.set(row(j), id * dim));
  return out;
}

function fitSamplesProblem(p: VqParams): ParamProblem | undefined {
  if (p.fit_samples >= p.vocab_size) return undefined;
  return { path: ['fit_samples'], message: `found fit_samples ${p.fit_samples} with vocab_size ${p.vocab_size}; expected at least ${p.vocab_size} (the vocab_size), since every code starts from a distinct fitted patch` };
}

/**
 * Patches are cut as `patch` cuts them with stride = patch_size, zero-padded past the bottom and right edge; the
 * padding takes part in fitting and in the nearest-code search like any value (an edge patch is coded as if the
 * image went on black), and decode crops it. Every seed fits its own codebook (the definition is `seeded`), so
 * seed repeats include the tokenizer's variance.
 */
function createVq(p: VqParams, info: InfoOf['image']): VqStrategy {
  const problem = fitSamplesProblem(p);
  if (problem !== undefined) throw new TokbenchError('invalid-param', `vq: ${problem.message}`, problem.path);
  const size = p.patch_size;
  const channels = info.channels;
  const dim = size * size * channels;
  /** The state, the codes' quarterGaps for encode's nearest-code search, and the vocabulary size the layout reports. */
  interface Fitted {
    readonly state: VqState;
    readonly gaps: Float64Array;
    readonly vocabSizes: readonly number[];
  }
  let learned: Fitted | undefined;

  function fittedModel(): Fitted {
    if (learned === undefined) throw new TokbenchError('not-fitted', 'vq learns its codebook from the training split; call fit(train, random) before encode, decode, artifacts or reading layout.vocabSizes');
    return learned;
  }
  const fitted = () => fittedModel().state;

  function codeOf(id: number, codes: number): number {
    if (!(id >= FIRST_CODE && id < FIRST_CODE + codes)) throw new TokbenchError('input', `vq: found id ${id}; expected a code id in ${FIRST_CODE}..${FIRST_CODE + codes - 1}`);
    return id - FIRST_CODE;
  }

  const layout: TokenLayout = {
    idChannels: 1,
    get vocabSizes() {
      return fittedModel().vocabSizes;
    },
    valueDim: 0,
    coordDim: WINDOW_COORDS,
    target: { kind: 'ids', channel: 0, specials: FIRST_CODE },
    maskSpan: 1,
  };

  return {
    layout,
    decodeNote: "Each token is painted back as its code's centroid (the mean of the fitted training patches nearest to it), padding cropped: quantisation error that roundtrip_error measures.",

    get state() {
      return learned?.state;
    },

    fit(train: readonly ImageSample[], random: Rng): void {
      const perImage = train.map((s) => windowCount(s.height, size, size) * windowCount(s.width, size, size));
      const total = perImage.reduce((a, b) => a + b, 0);
      if (total === 0) throw new TokbenchError('input', 'vq: found no training image; expected at least one to fit the codebook on');
      const picked = sampleIndices(total, p.fit_samples, random);
      const data = new Float32Array(picked.length * dim);
      let next = 0;
      let first = 0;
      train.forEach((sample, s) => {
        const end = first + perImage[s];
        if (next < picked.length && picked[next] < end) {
          const { values } = cutPatches(sample, size, size, channels, 'vq');
          for (; next < picked.length && picked[next] < end; next++) {
            const t = picked[next] - first;
            data.set(values.subarray(t * dim, (t + 1) * dim), next * dim);
          }
        }
        first = end;
      });
      const clustering = kmeans({ data, dim }, p.vocab_size, p.iterations, random);
      const codebook = sortedCodebook(clustering.centres, clustering.codes, dim);
      const { codes, updates } = clustering;
      learned = { state: { codebook, codes, updates }, gaps: quarterGaps(codebook, codes, dim), vocabSizes: Object.freeze([FIRST_CODE + codes]) };
    },

    encode(sample: ImageSample): Tokens {
      const { state, gaps } = fittedModel();
      const cut = cutPatches(sample, size, size, channels, 'vq');
      const points: Points = { data: cut.values, dim };
      const ids = new Int32Array(cut.length);
      let code = 0;
      for (let t = 0; t < cut.length; t++) {
        // Neighbouring patches are often alike (a blank background), so the previous code usually passes the gap test.
        code = nearestFrom(points, t, state.codebook, state.codes, gaps, code);
        ids[t] = FIRST_CODE + code;
      }
      return { length: cut.length, ids, values: new Float32Array(0), coords: cut.coords, extent: [sample.height, sample.width, channels], dropped: 0 };
    },

    decode(tokens: Tokens): ImageSample {
      const { codebook, codes } = fitted();
      const values = new Float32Array(tokens.length * dim);
      for (let t = 0; t < tokens.length; t++) {
        const code = codeOf(tokens.ids[t], codes);
        values.set(codebook.subarray(code * dim, (code + 1) * dim), t * dim);
      }
      return pastePatches(values, tokens, size, channels);
    },

    covers: windowCovers,

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return `${id < FIRST_CODE ? SPECIALS[id] : `code${id}`}@${windowLabel(tokens, i)}`;
    },

    artifacts() {
      const { codebook, codes } = fitted();
      const names = Array.from({ length: dim }, (_, e) => `y${Math.floor(e / (size * channels))}x${Math.floor(e / channels) % size}c${e % channels}`);
      const lines = [['id', ...names].join('\t')];
      for (let c = 0; c < codes; c++) lines.push([FIRST_CODE + c, ...codebook.subarray(c * dim, (c + 1) * dim)].join('\t'));
      return { 'codebook.tsv': `${lines.join('\n')}\n` };
    },
  };
}

/** A patch larger than the image would be mostly padding; fewer fitted patches than codes cannot seed the codebook. */
function checkVq(p: VqParams, info: InfoOf['image']): ParamProblem[] {
  const side = Math.min(info.height, info.width);
  const problems: ParamProblem[] = [];
  if (p.patch_size > side) problems.push({ path: ['patch_size'], message: `found patch_size ${p.patch_size} for ${info.height}×${info.width} images; expected at most ${side}` });
  const fitSamples = fitSamplesProblem(p);
  if (fitSamples !== undefined) problems.push(fitSamples);
  return problems;
}

export const vq = {
  name: 'vq',
  modality: 'image',
  description: "Non-overlapping p×p patches as ids of their nearest code in a k-means codebook (k-means++ seeding, Lloyd) fitted on a seeded subsample of the training split's patches; decode = the centroid",
  params,
  create: createVq,
  check: checkVq,
  tokensPerSample: (p, info) => windowCount(info.height, p.patch_size, p.patch_size) * windowCount(info.width, p.patch_size, p.patch_size),
  seeded: true,
} satisfies StrategyDefinition<'image', VqParams>;
