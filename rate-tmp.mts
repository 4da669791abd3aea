import { selectBackend } from './harness/backend/select.js';
import { measureMatmulRate } from './harness/runner/estimate.js';
import * as tf from '@tensorflow/tfjs';
const r = await selectBackend('auto');
console.log(r.name, tf.getBackend(), tf.env().getFlags());
for (let i = 0; i < 3; i++) console.log((measureMatmulRate(1) / 1e9).toFixed(2), 'GFLOP/s');
