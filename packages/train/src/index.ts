/**
 * Training for the `@rnn` layers: `SequenceModel` (any cell — RNN, LSTM, GRU — stacked and
 * bidirectional, on names or on numeric sequences, with `fit`, `evaluate`, `predict`, `sample`,
 * `save` and `load`), and the pieces under it: the losses and their gradients at the head,
 * optimizers, clipping, padded batches, sampling, the n-gram baseline and checkpoints.
 *
 * @module @rnn/train
 */
export { Vocabulary, END_OF_NAME } from './vocabulary.js';
export {
  parameterShapes,
  modelLayers,
  checkCell,
  zerosLike,
  cloneParameters,
  checkParameters,
  toTensors,
  type ModelLayers,
  type HostParameters,
} from './parameters.js';
export { TASKS, isTask, type ModelTask, type TaskSpec } from './task.js';
export { initParameters, countParameters, type InitScheme, type InitOptions } from './init.js';
export {
  encodeBatch,
  permutation,
  splitHeldOut,
  BatchSampler,
  type Batch,
  type BatchBase,
  type ClassBatch,
  type RegressionBatch,
  type Split,
  type BatchSamplerOptions,
  type Sized,
} from './batching.js';
export {
  checkInputs,
  checkTargets,
  encodeInputs,
  encodeExamples,
  type SequenceDataset,
  type SequenceInputs,
  type SequenceTargets,
} from './sequence-data.js';
export {
  maskedCrossEntropy,
  maskedCorrect,
  crossEntropyLogitsGradient,
  maskedSquaredError,
  squaredErrorGradient,
  MIN_PROBABILITY,
  type OutputDims,
  type CrossEntropy,
  type SquaredError,
} from './loss.js';
export { yieldToEventLoop } from './event-loop.js';
export { lossAndGradients, batchLoss, batchPredictions, type StepOptions, type StepResult, type LossTotal } from './train-step.js';
export { Sgd, Adam, type Optimizer, type AdamOptions } from './optimizers.js';
export { clipByValue, clipByGlobalNorm, globalNorm } from './clip.js';
export { applyTemperature, sampleSequence, type SampleOptions, type SampledSequence, type GateTrace } from './sample.js';
export { NgramModel, fitNgramBaseline, type NgramBaselineOptions } from './ngram.js';
export { crc32 } from './crc32.js';
export {
  encodeCheckpoint,
  decodeCheckpoint,
  CHECKPOINT_VERSION,
  READABLE_CHECKPOINT_VERSIONS,
  CHECKPOINT_MAGIC,
  type CheckpointData,
  type DecodedCheckpoint,
  type CheckpointExpectation,
  type CheckpointMetadata,
} from './checkpoint.js';
export { CheckpointError, TrainingDivergedError, NonFiniteError, UnsupportedOperationError, type CheckpointProblem } from './errors.js';
export { scheduledRate, type FitProgress, type FitReport, type EpochEnd, type EarlyStopping, type TrainingOptions } from './fit-loop.js';
export { type ModelShape, type CharacterModelConfig, type NumericModelConfig, type SequenceModelConfig, type CreateOptions, type LoadOptions } from './model-config.js';
export {
  SequenceModel,
  type ModelCallOptions,
  type ModelData,
  type EvaluateOptions,
  type FitOptions,
  type ModelSampleOptions,
  type SampledName,
  type Evaluation,
  type CharacterEvaluation,
  type Prediction,
} from './sequence-model.js';
