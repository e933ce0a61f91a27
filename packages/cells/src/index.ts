/**
 * The RNN and LSTM cells and whole sequences, forward and backward, in the NumPy "build a
 * recurrent network step by step" formulation, on any backend: `rnnCellForward`, `rnnForward`,
 * `lstmCellForward`, `lstmForward` and their `…Backward` twins.
 *
 * @module @rnn/cells
 */
export { rnnCellForward, rnnCellBackward, type RnnCellForwardOutput, type RnnCellGradients } from './rnn-cell.js';
export { rnnForward, rnnBackward, type RnnForwardOutput, type RnnGradients } from './rnn.js';
export {
  lstmCellForward,
  lstmCellBackward,
  type LstmCellForwardOutput,
  type LstmCellGradients,
  type LstmWeightGradients,
} from './lstm-cell.js';
export { lstmForward, lstmBackward, type LstmForwardOutput, type LstmGradients } from './lstm.js';
export { disposeCaches } from './sequence.js';
export type {
  RnnParameters,
  LstmParameters,
  RnnCellCache,
  LstmCellCache,
  SequenceCaches,
  RnnCaches,
  LstmCaches,
} from './types.js';
