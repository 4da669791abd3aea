// What the grid needs to know of each registered dataset and strategy; tests pass a small fake registry of the same shape.
import type { z } from 'zod';
import type { Modality } from '../../datasets/types.js';

export interface ComponentDefinition {
  readonly name: string;
  readonly modality: Modality;
  readonly description: string;
  readonly params: z.ZodType<object>;
}

export interface Components {
  readonly datasets: Readonly<Record<string, ComponentDefinition>>;
  readonly strategies: Readonly<Record<string, ComponentDefinition>>;
}
