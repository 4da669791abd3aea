// The adapter of each modality; evaluators look one up by the cell's modality, never by strategy.
import type { Modality } from '../../datasets/types.js';
import type { ModalityAdapter } from './types.js';
import { image } from './image.js';
import { expression } from './expression.js';
import { sequence } from './sequence.js';

const adapters: { readonly [M in Modality]: ModalityAdapter<M> } = Object.freeze({ image, expression, sequence });

export function modalityAdapter<M extends Modality>(modality: M): ModalityAdapter<M> {
  return adapters[modality];
}
