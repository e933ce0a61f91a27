/**
 * Training for the `@rnn` cells: the softmax output layer's loss and gradient, optimizers,
 * clipping, padded batches, sampling, checkpoints and `SequenceModel`, a character-level model
 * with `fit`, `evaluate`, `sample`, `save` and `load`.
 *
 * @module @rnn/train
 */
export { Vocabulary, END_OF_NAME } from './vocabulary.js';
export {
  LSTM_PARAMETER_NAMES,
  RNN_PARAMETER_NAMES,
  parameterShapes,
  outputWeightName,
  zerosLike,
  cloneParameters,
  checkParameters,
  toTensors,
  type CellType,
  type ModelDims,
  type HostParameters,
} from './parameters.js';
export { initParameters, countParameters, type InitScheme, type InitOptions } from './init.js';
export {
  encodeBatch,
  permutation,
  splitHeldOut,
  BatchSampler,
  type Batch,
  type Split,
  type BatchSamplerOptions,
} from './batching.js';
export {
  outputLayerForward,
  maskedCrossEntropy,
  outputLayerBackward,
  MIN_PROBABILITY,
  type OutputDims,
  type CrossEntropy,
  type OutputLayerGradients,
} from './loss.js';
export { yieldToEventLoop } from './event-loop.js';
export { lossAndGradients, batchLoss, type StepOptions, type StepResult, type HiddenDims } from './train-step.js';
export { Sgd, Adam, type Optimizer, type AdamOptions } from './optimizers.js';
export { clipByValue, clipByGlobalNorm, globalNorm } from './clip.js';
export { applyTemperature, sampleSequence, type SampleOptions, type SampledSequence, type GateTrace } from './sample.js';
export { NgramModel, fitNgramBaseline, type NgramBaselineOptions } from './ngram.js';
export { crc32 } from './crc32.js';
export {
  encodeCheckpoint,
  decodeCheckpoint,
  CHECKPOINT_VERSION,
  CHECKPOINT_MAGIC,
  type CheckpointData,
  type CheckpointExpectation,
  type CheckpointMetadata,
} from './checkpoint.js';
export { CheckpointError, TrainingDivergedError, NonFiniteError, type CheckpointProblem } from './errors.js';
export {
  SequenceModel,
  scheduledRate,
  type SequenceModelConfig,
  type CreateOptions,
  type LoadOptions,
  type EvaluateOptions,
  type FitOptions,
  type FitProgress,
  type FitReport,
  type ModelSampleOptions,
  type SampledName,
  type Evaluation,
} from './sequence-model.js';
