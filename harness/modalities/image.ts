// Images: canonical space is the intensities in [0, 1] themselves; the baseline sees raw pixels.
import type { ModalityAdapter } from './types.js';
import { squaredError } from './types.js';

export const image: ModalityAdapter<'image'> = {
  modality: 'image',
  errorKind: 'mse',
  canonical: (sample) => sample.pixels,
  error: squaredError,
  features: (sample) => sample.pixels,
};
