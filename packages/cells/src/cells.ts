import type { CellName, CellSpec } from './cell-spec.js';
import { GRU } from './gru-spec.js';
import { LSTM } from './lstm-spec.js';
import { RNN } from './rnn-spec.js';

/** Every cell by name: what training, checkpoints, layers and the demo iterate. */
export const CELLS: { readonly [N in CellName]: CellSpec } = { rnn: RNN, lstm: LSTM, gru: GRU };

/** True when `name` is one of the cells. */
export function isCellName(name: unknown): name is CellName {
  return typeof name === 'string' && Object.hasOwn(CELLS, name);
}
