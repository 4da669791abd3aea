// Images: canonical space is the intensities in [0, 1] themselves; the baseline sees raw pixels.
import { TokbenchError } from '../errors.js';
import type { ModalityAdapter } from './types.js';
import { squaredError } from './types.js';

/** Per-element mean of the training images, accumulated in float64. */
function meanImage(images: readonly Float32Array[], width: number): Float32Array {
  const sums = new Float64Array(width);
  for (const pixels of images) for (let e = 0; e < width; e++) sums[e] += pixels[e];
  return Float32Array.from(sums, (s) => (images.length > 0 ? s / images.length : 0));
}

export const image: ModalityAdapter<'image'> = {
  modality: 'image',
  canonical: (sample) => sample.pixels,
  error: squaredError,
  fitReference(train, info) {
    const width = info.height * info.width * info.channels;
    const mean = meanImage(train.map((s) => s.pixels), width);
    return (sample) => {
      if (sample.pixels.length !== width) {
        throw new TokbenchError('input', `an image of ${sample.height}×${sample.width}×${sample.channels} differs from the dataset's declared ${info.height}×${info.width}×${info.channels}`);
      }
      return mean;
    };
  },
  fitFeatures: () => (sample) => sample.pixels,
};
