// Every evaluator, in the order the runner calls them within a stage.
import type { Evaluator } from './types.js';
import { tokenCounts } from './tokens.js';
import { codebook } from './codebook.js';
import { facts } from './facts.js';
import { cost } from './cost.js';
import { roundtrip } from './roundtrip.js';
import { baseline } from './baseline.js';
import { reconstruction } from './reconstruction.js';
import { classification } from './classification.js';

export const evaluators: readonly Evaluator[] = Object.freeze([tokenCounts, codebook, facts, cost, roundtrip, baseline, reconstruction, classification]);
