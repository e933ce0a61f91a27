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
