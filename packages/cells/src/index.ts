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
export {
  gruCellForward,
  gruCellBackward,
  type GruCellForwardOutput,
  type GruCellGradients,
  type GruWeightGradients,
} from './gru-cell.js';
export { gruForward, gruBackward, type GruForwardOutput, type GruGradients } from './gru.js';
export { disposeCaches } from './sequence.js';
export {
  layersForward,
  layersBackward,
  layerParameterShapes,
  disposeLayerCaches,
  type LayerConfig,
  type LayerParameters,
  type LayerParameterShape,
  type LayerCaches,
  type LayersForwardOptions,
  type LayersForwardOutput,
  type LayersGradients,
  type LayersOutputGradient,
  type Direction,
  type DirectionRun,
} from './layers.js';
export { SequenceStream, type SequenceStreamOptions, type StreamChunk } from './stream.js';
export { RNN, type RnnKey } from './rnn-spec.js';
export { LSTM, type LstmKey } from './lstm-spec.js';
export { GRU, type GruKey } from './gru-spec.js';
export { CELLS, isCellName } from './cells.js';
export {
  parameterNames,
  parameterEntries,
  parameterShape,
  dimSize,
  checkVariant,
  type CellVariant,
  type CellSpec,
  type CellName,
  type CellDims,
  type CellStates,
  type CellSequenceRun,
  type CellSequenceGradients,
  type Dim,
  type ParameterSpec,
  type ParameterNames,
  type ParametersOf,
  type StateName,
} from './cell-spec.js';
export type {
  RnnParameters,
  LstmParameters,
  GruParameters,
  GruCellCache,
  GruCaches,
  RnnCellCache,
  LstmCellCache,
  SequenceCaches,
  RnnCaches,
  LstmCaches,
} from './types.js';
