import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { batchPredictions, encodeBatch, SequenceModel, Vocabulary } from '@rnn/train';
import { describe, expect, it } from 'vitest';
import { exportOnnx, OnnxModel } from './index.js';
import { runOrt } from './test-support/ort.js';
import { randomValues } from './test-support/layer-models.js';

/**
 * `exportOnnx` of `@rnn/train`'s `SequenceModel`, as the demo's `export` command uses it: a
 * character model's ONNX run (one-hot inputs, the first step all zeros as `encodeBatch` feeds it)
 * equals the model's own predictions, and its vocabulary travels in the metadata; a regression
 * model's linear head comes from its task. Float32 export of float64 weights: rtol 1e-4, atol 2e-5.
 */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };
const backend = createCpuBackend();

describe('exportOnnx(SequenceModel)', () => {
  it('a character GRU: probabilities equal the model\'s, the vocabulary is in the metadata', async () => {
    const vocabulary = Vocabulary.fromText('abc\ndea');
    const model = SequenceModel.create({ cell: 'gru', numLayers: 2, vocabulary, hiddenSize: 6, seed: 1 });
    const bytes = exportOnnx(model);
    const onnx = OnnxModel.load(bytes);
    expect(JSON.parse(onnx.info.metadata['rnn.vocabulary'] ?? '[]')).toEqual(vocabulary.chars);
    expect(onnx.info.metadata['rnn.task']).toBe('characters');
    expect(onnx.outputs.map((o) => o.name)).toEqual(['probabilities']);
    const V = vocabulary.chars.length;
    const batch = encodeBatch([vocabulary.encode('bead')], V, vocabulary.endIndex);
    const T = batch.T;
    // The batch's x (V, 1, T) as X (T, 1, V): step 0 all zeros, then the previous character one-hot.
    const X = Float64Array.from({ length: T * V }, (_, k) => batch.x[(k % V) * T + Math.floor(k / V)] as number);
    const ort = (await runOrt(bytes, { X: { type: 'float32', dims: [T, 1, V], data: X } }))['probabilities'];
    const yPred = await batchPredictions(model.layers, model.parameters, batch, 'softmax', { backend });
    const want = Float64Array.from({ length: T * V }, (_, k) => yPred[(k % V) * T + Math.floor(k / V)] as number);
    const report = compareClose(ort?.data ?? [], want, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });

  it('a step-regression LSTM: predictions equal model.predict, the head linear from the task', async () => {
    const model = SequenceModel.create({ cell: 'lstm', task: 'step-regression', inputSize: 2, outputSize: 1, hiddenSize: 4, numLayers: 1, bidirectional: true, seed: 3 });
    const bytes = exportOnnx(model);
    expect(OnnxModel.load(bytes).outputs.map((o) => o.name)).toEqual(['predictions']);
    const T = 5;
    const values = randomValues(T * 2, 4);
    const inputs = [Array.from({ length: T }, (_, t) => values.slice(2 * t, 2 * t + 2))];
    const { steps } = await model.predict(inputs, { backend });
    const ort = (await runOrt(bytes, { X: { type: 'float32', dims: [T, 1, 2], data: values } }))['predictions'];
    const report = compareClose(ort?.data ?? [], (steps[0] ?? []).flat(), TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });
});
