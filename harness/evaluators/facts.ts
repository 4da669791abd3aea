// What a fitted tokenizer reports about itself (Strategy.facts: genes it put in no token), copied into the row as it is.
import type { MetricName } from '../results/metrics.js';
import type { Evaluator, Metrics } from './types.js';

/** Every metric a tokenizer may report; one it reports under another name is refused by the runner as undeclared. */
const FACTS: readonly MetricName[] = ['genes_unassigned'];

export const facts: Evaluator = {
  name: 'facts',
  stage: 'tokenized',
  needsLabels: false,
  metrics: FACTS,
  evaluate({ strategy }) {
    const reported = strategy.facts?.() ?? {};
    const row: Metrics = Object.fromEntries(FACTS.map((name) => [name, null]));
    return { ...row, ...reported };
  },
};
