// How the CLI describes a cell in one line (plan's table, tokenize's cell listing): enough to tell every cell of a sweep apart.
import type { Cell } from '../grid/cell.js';
import { isParamAxis, paramAxisValue } from '../results/param-columns.js';

const STRATEGY_AXIS = 'strategy.';

/**
 * `k=3 max_len=510 model.dim=16 train.pretrain_budget="flops=2e9"`: the strategy's params, then every other
 * axis the cell takes (`dataset.*`, `model.*`, `train.*`; a `strategy.*` axis is already among the params),
 * model and train params as their result columns show them. Two cells of one dataset and strategy differ in
 * some param, which is then an axis, so their texts differ.
 */
export function cellDescription(cell: Pick<Cell, 'strategy' | 'axes'>): string {
  const axes = Object.entries(cell.axes)
    .filter(([key]) => !key.startsWith(STRATEGY_AXIS))
    .map(([key, value]): [string, unknown] => [key, isParamAxis(key) ? paramAxisValue(key, value) : value]);
  return [...Object.entries(cell.strategy.params), ...axes].map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ');
}
