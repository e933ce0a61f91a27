import { createCpuBackend } from '@rnn/backend-cpu';
import type { LayerConfig } from '@rnn/cells';
import { InvalidArgumentError } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { EXPORT_OUTPUTS, exportOnnx, OnnxModel } from './index.js';
import { asFeeds, runOrt, type OrtValue } from './test-support/ort.js';
import { ourForward, randomParameters, randomValues } from './test-support/layer-models.js';

/**
 * `exportOnnx` round trips: onnxruntime-node's run of the exported model equals our float64
 * `layersForward` of the same parameters (the export rounds them to float32: rtol 1e-4,
 * atol 2e-5), and `OnnxModel.run` of the export on the CPU backend (float32) equals it too.
 */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };
const backend = createCpuBackend();

interface ExportCase {
  readonly config: LayerConfig;
  readonly head: 'softmax' | 'linear';
  readonly extras: boolean;
}

const CASES: ExportCase[] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const) {
  CASES.push({ config: { cell, inputSize: 5, hiddenSize: 4, outputSize: 5 }, head: 'softmax', extras: false });
  CASES.push({ config: { cell, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2 }, head: 'linear', extras: true });
  CASES.push({ config: { cell, inputSize: 3, hiddenSize: 3, numLayers: 3 }, head: 'softmax', extras: true });
  CASES.push({ config: { cell, inputSize: 4, hiddenSize: 3, bidirectional: true }, head: 'softmax', extras: false });
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string): void => {
  const r = compareClose(got, want, TOLERANCE);
  expect(r.ok, `${what}: ${r.message}`).toBe(true);
};

describe('exportOnnx: onnxruntime runs the export as our layers compute', () => {
  it.each(CASES)('$config.cell, $config.numLayers layer(s), bidirectional $config.bidirectional, outputSize $config.outputSize, $head head, lengths and states $extras', async (c) => {
    const { config, head, extras } = c;
    const [T, m] = [5, 3];
    const D = config.bidirectional === true ? 2 : 1;
    const S = (config.numLayers ?? 1) * D;
    const parameters = randomParameters(config, 11);
    const bytes = exportOnnx({ layers: config, parameters, head }, { sequenceLens: extras, states: extras });
    const X = randomValues(T * m * config.inputSize, 12);
    const feeds: Record<string, OrtValue> = { X: { type: 'float32', dims: [T, m, config.inputSize], data: X } };
    const lengths = [5, 0, 2];
    const h0 = randomValues(S * m * config.hiddenSize, 13);
    const c0 = randomValues(S * m * config.hiddenSize, 14);
    if (extras) {
      feeds['sequence_lens'] = { type: 'int32', dims: [m], data: lengths };
      feeds['h0'] = { type: 'float32', dims: [S, m, config.hiddenSize], data: h0 };
      if (config.cell === 'lstm') feeds['c0'] = { type: 'float32', dims: [S, m, config.hiddenSize], data: c0 };
    }
    const ours = ourForward(config, parameters, head, X, T, m, backend, extras ? { lengths, h0, c0: config.cell === 'lstm' ? c0 : undefined } : {});
    const name = config.outputSize === undefined ? EXPORT_OUTPUTS.none : EXPORT_OUTPUTS[head];
    const ort = await runOrt(bytes, feeds);
    close(ort[name]?.data ?? [], ours.output, `onnxruntime ${name}`);
    const model = OnnxModel.load(bytes);
    const run = await model.run(await asFeeds(feeds), { backend });
    close(run[name]?.dataSync() ?? [], ours.output, `OnnxModel ${name}`);
    expect(run[name]?.shape).toEqual(ort[name]?.dims);
    if (extras) {
      close(ort['h_n']?.data ?? [], ours.hn, 'onnxruntime h_n');
      close(run['h_n']?.dataSync() ?? [], ours.hn, 'OnnxModel h_n');
      if (ours.cn !== undefined) close(ort['c_n']?.data ?? [], ours.cn, 'onnxruntime c_n');
    }
  });

  it('lays the graph out as PyTorch does', () => {
    const config: LayerConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 3 };
    const model = OnnxModel.load(exportOnnx({ layers: config, parameters: randomParameters(config, 1) }));
    expect(model.info.operators).toEqual(['LSTM', 'Transpose', 'Reshape', 'LSTM', 'Transpose', 'Reshape', 'MatMul', 'Add', 'Softmax']);
    expect(model.inputs).toEqual([{ name: 'X', type: 'float32', shape: ['T', 'batch', 3] }]);
    expect(model.outputs).toEqual([{ name: 'probabilities', type: 'float32', shape: ['T', 'batch', 3] }]);
    expect(model.info.opset).toBe(17);
  });

  it('refuses a missing or mis-sized parameter and a bad configuration, naming them', () => {
    const config: LayerConfig = { cell: 'gru', inputSize: 3, hiddenSize: 4 };
    const parameters = randomParameters(config, 1);
    const { 'l0.Wz': _dropped, ...missing } = parameters;
    expect(() => exportOnnx({ layers: config, parameters: missing })).toThrow(InvalidArgumentError);
    expect(() => exportOnnx({ layers: config, parameters: missing })).toThrow(/model.parameters\['l0.Wz'\] is missing/);
    expect(() => exportOnnx({ layers: config, parameters: { ...parameters, 'l0.bz': [1, 2] } })).toThrow(/holds 2 values; shape \[4, 1\] needs 4/);
    expect(() => exportOnnx({ layers: { ...config, hiddenSize: 0 }, parameters })).toThrow(/model.layers/);
    expect(() => exportOnnx({ layers: config, parameters }, { opset: 11 })).toThrow(/opts.opset must be an integer from 13 to 22/);
  });
});
