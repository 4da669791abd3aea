// Analytic multiply-accumulates of one encoder forward pass, counted as fvcore counts ViT (matmuls and projections only).
import type { TokenLayout } from '../strategies/types.js';
import { TokbenchError } from './errors.js';
import { coordFeatureWidth } from './model/coords.js';
import type { ModelParams } from './model/params.js';

export const MAC_CONVENTION = 'MACs = multiply-accumulates; FLOPs = 2 × MACs';
export const FLOPS_PER_MAC = 2;

/** Passes a training step makes per forward pass: the backward pass costs about twice the forward (Kaplan et al. 2020's 6 FLOPs per parameter and token). */
export const TRAINING_PASSES = 3;

/** What one sample feeds the encoder. */
export interface EncoderInput {
  /** Tokens the strategy produced for this sample (they vary per sample for adaptive strategies). */
  readonly tokens: number;
  /** Width of each token's continuous content, linearly projected to `dim` (a patch's pixels × channels); 0 for id-only tokens. */
  readonly valueDim: number;
  /** Input width of the linear projection of each token's coordinates (after any Fourier features); 0 when there is none. */
  readonly coordDim?: number;
  /** Learned tokens joining the sequence without any projection, such as ViT's class token. */
  readonly extraTokens?: number;
}

/** Multiply-accumulates of one encoder block (or, in EncoderMacs, summed over all blocks). */
export interface LayerMacs {
  /** Query, key and value projections: 3·S·D². */
  readonly qkv: number;
  /** Attention scores Q·Kᵀ over all heads: S²·D. */
  readonly scores: number;
  /** Attention-weighted values A·V over all heads: S²·D. */
  readonly weighted: number;
  /** Attention output projection: S·D². */
  readonly output: number;
  /** The two MLP matmuls: 2·S·D·H with H the hidden width. */
  readonly mlp: number;
  readonly total: number;
}

export interface EncoderMacs extends LayerMacs {
  /** Input projections of values and coordinates: N·(P + C)·D; id embeddings are lookups and cost none. */
  readonly embedding: number;
  /** One block. */
  readonly layer: LayerMacs;
  readonly depth: number;
}

/** Hidden width of the MLP as harness/model/encoder.ts builds it: rounded, at least 1 (timm truncates instead). */
export function mlpWidth(model: Pick<ModelParams, 'dim' | 'mlp_ratio'>): number {
  return Math.max(1, Math.round(model.mlp_ratio * model.dim));
}

/**
 * With S = tokens + extraTokens: biases, layer norms, softmax, GELU and residual adds are not
 * counted (fvcore's convention too), nor are heads after the encoder. Head count does not
 * change the count: h heads of width D/h cost h·S²·(D/h) = S²·D.
 */
export function encoderMacs(model: Pick<ModelParams, 'dim' | 'depth' | 'mlp_ratio'>, input: EncoderInput): EncoderMacs {
  const { tokens, valueDim, coordDim = 0, extraTokens = 0 } = input;
  for (const [name, value] of Object.entries({ tokens, valueDim, coordDim, extraTokens })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TokbenchError('invalid-param', `The '${name}' parameter of encoderMacs must be a non-negative integer; got ${value} instead.`, [name]);
    }
  }
  const d = model.dim;
  const s = tokens + extraTokens;
  const qkv = 3 * s * d * d;
  const scores = s * s * d;
  const weighted = s * s * d;
  const output = s * d * d;
  const mlp = 2 * s * d * mlpWidth(model);
  const layer = { qkv, scores, weighted, output, mlp, total: qkv + scores + weighted + output + mlp };
  const embedding = tokens * (valueDim + coordDim) * d;
  const n = model.depth;
  return {
    embedding,
    qkv: n * qkv,
    scores: n * scores,
    weighted: n * weighted,
    output: n * output,
    mlp: n * mlp,
    total: embedding + n * layer.total,
    layer,
    depth: n,
  };
}

/** The same breakdown in FLOPs (FLOPS_PER_MAC per multiply-accumulate). */
export function toFlops(macs: EncoderMacs): EncoderMacs {
  const scale = (l: LayerMacs): LayerMacs => ({
    qkv: l.qkv * FLOPS_PER_MAC,
    scores: l.scores * FLOPS_PER_MAC,
    weighted: l.weighted * FLOPS_PER_MAC,
    output: l.output * FLOPS_PER_MAC,
    mlp: l.mlp * FLOPS_PER_MAC,
    total: l.total * FLOPS_PER_MAC,
  });
  return { embedding: macs.embedding * FLOPS_PER_MAC, ...scale(macs), layer: scale(macs.layer), depth: macs.depth };
}

/** What a sample of `tokens` tokens in `layout` feeds the encoder (coordinates after their sinusoidal features). */
export function layoutInput(layout: Pick<TokenLayout, 'valueDim' | 'coordDim'>, tokens: number): EncoderInput {
  return { tokens, valueDim: layout.valueDim, coordDim: coordFeatureWidth(layout.coordDim) };
}

/** Analytic FLOPs of training once on a sample whose forward pass (encoder and head) costs `forwardMacs`: TRAINING_PASSES × FLOPS_PER_MAC × MACs. */
export function trainingFlops(forwardMacs: number): number {
  return TRAINING_PASSES * FLOPS_PER_MAC * forwardMacs;
}

/** MACs of the reconstruction head (a linear map from `dim` to `width` outputs) on `hidden` masked tokens. */
export function reconstructionHeadMacs(model: Pick<ModelParams, 'dim'>, width: number, hidden: number): number {
  return hidden * model.dim * width;
}

/** MACs of the linear classification head on one pooled embedding. */
export function classificationHeadMacs(model: Pick<ModelParams, 'dim'>, classes: number): number {
  return model.dim * classes;
}
