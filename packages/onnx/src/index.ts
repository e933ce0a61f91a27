/**
 * ONNX in and out of `@rnn`: `OnnxModel.load(bytes).run(feeds, { backend })` runs ONNX models with
 * `LSTM`, `GRU` and `RNN` nodes (as PyTorch and tf2onnx export them) on any `@rnn` backend through
 * the cells of `@rnn/cells`, and `exportOnnx` writes `@rnn` layer stacks and models as ONNX models
 * that onnxruntime runs. Weights come in from PyTorch (`.safetensors` state dicts) and Keras /
 * TensorFlow.js (`model.json`) and go back out to PyTorch with `exportSafetensors`. The protobuf
 * and safetensors formats are read and written by this package itself: its only dependencies are
 * `@rnn/tensor` and `@rnn/cells`.
 *
 * @module @rnn/onnx
 */
export { OnnxModel, type OnnxLoadOptions, type OnnxRunOptions, type OnnxModelInfo } from './onnx-model.js';
export { OPSETS, IR_VERSIONS, type OnnxValueInfo } from './load-graph.js';
export type { ElemType } from './graph/host-value.js';
export { exportOnnx, EXPORT_OUTPUTS, type ExportOnnxOptions } from './export-onnx.js';
export type { RecurrentModel, ImportedModel, StackVariant, ParameterValues, CharacterSet } from './model-source.js';
export { OnnxImportError, OnnxRunError, WeightImportError, type OnnxLocation } from './errors.js';
export { readSafetensors, writeSafetensors, type SafetensorsFile, type SafetensorsTensor, type SafetensorsDType, type SafetensorsInput } from './weights/safetensors.js';
export { importPytorch, exportSafetensors, type PytorchImportOptions, type SafetensorsExportOptions, type LinearHead } from './weights/pytorch-weights.js';
export { importKeras, type KerasModel, type KerasModelJson, type KerasWeightSpec, type KerasWeightGroup } from './weights/keras-weights.js';
export { characterVocabulary, encodeCharacters, sampleCharacters, type CharacterSampleOptions, type EncodedCharacters, type SampledText } from './char-model.js';
