// The registered datasets and strategies, as the config and grid see them.
import { datasets } from '../../datasets/registry.js';
import { strategies } from '../../strategies/registry.js';
import type { Components } from '../grid/components.js';

export const builtinComponents: Components = { datasets, strategies };
