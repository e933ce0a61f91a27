/**
 * Tensors, NumPy's legacy `RandomState`, the backend interface, the default-backend registry,
 * the shared scalar math and the typed errors.
 *
 * @module @rnn/tensor
 */
export { Tensor, tensor, zeros, type NestedArray, type NestedArrayOfRank, type Rank } from './tensor.js';
export { RandomState } from './random-state.js';
export { tidy, keep, track, disposeOnError, type Disposable } from './lifetime.js';
export { DTYPES, allocate, formatShape, sameShape, sizeOf, toDataArray, type DType, type DataArray } from './dtype.js';
export {
  RnnError,
  ShapeMismatchError,
  DTypeMismatchError,
  InvalidArgumentError,
  DisposedTensorError,
  NoBackendError,
  BackendError,
} from './errors.js';
export {
  checkConcatFlat,
  checkHasBackward,
  checkLengths,
  checkMaskColumns,
  checkSliceFlat,
  forwardOnlyOptions,
  type ForwardOnlyArgs,
} from './kernel-checks.js';
export { setBackend, getBackend, resolveBackend, type BackendOptions } from './backend-registry.js';
export { sigmoid, tanh, tanhFromSigmoid, sigmoidGradFromOutput, tanhGradFromOutput } from './scalar-math.js';
export { DataId, type Backend, type Kernels, type KernelName, type MemoryInfo } from './backend.js';
export type {
  RnnRecurrentWeights,
  LstmGateWeights,
  GruRecurrentWeights,
  RnnParameters,
  LstmParameters,
  GruParameters,
  RnnCellForwardArgs,
  RnnCellForwardResult,
  RnnCellBackwardArgs,
  RnnCellBackwardResult,
  RnnWeightGrads,
  LstmCellForwardArgs,
  LstmGateActivations,
  LstmCellForwardResult,
  LstmCellBackwardArgs,
  LstmCellBackwardResult,
  LstmWeightGrads,
  GruCellForwardArgs,
  GruCellForwardResult,
  GruCellBackwardArgs,
  GruCellBackwardResult,
} from './cell-kernels.js';
export type {
  SequenceTape,
  SequenceOptions,
  ClipOption,
  LstmPeepholes,
  RnnSequenceForwardArgs,
  RnnStepTensors,
  RnnSequenceForwardResult,
  RnnSequenceBackwardArgs,
  RnnSequenceBackwardResult,
  LstmSequenceForwardArgs,
  LstmStepTensors,
  LstmSequenceForwardResult,
  LstmSequenceBackwardArgs,
  LstmSequenceBackwardResult,
  GruSequenceForwardArgs,
  GruGateActivations,
  GruStepTensors,
  GruSequenceForwardResult,
  GruSequenceBackwardArgs,
  GruWeightGrads,
  GruSequenceBackwardResult,
  SoftmaxOutputArgs,
  OutputBackwardArgs,
  OutputBackwardResult,
} from './sequence-kernels.js';
