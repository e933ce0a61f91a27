import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { exportOnnx, exportSafetensors, importPytorch, readSafetensors, WeightImportError, writeSafetensors } from '../index.js';
import { encodeWithOnnxProto } from '../test-support/onnx-proto-encode.js';
import { runOrt } from '../test-support/ort.js';
import { ourForward, randomParameters, randomValues } from '../test-support/layer-models.js';
import { torchOnnxGraph, torchStateDict, type TorchRnn } from '../test-support/pytorch-reference.js';

/**
 * PyTorch weights: a `state_dict` built here with PyTorch's names, shapes and gate orders, saved
 * as `.safetensors`, imported with `importPytorch` and run with our `layersForward` (float64),
 * against onnxruntime on the ONNX graph PyTorch's exporter makes of the same module (its gate
 * reordering written independently in test-support): rtol 1e-4, atol 2e-5.
 */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };
const backend = createCpuBackend();

const MODULES: TorchRnn[] = [];
for (const mode of ['LSTM', 'GRU', 'RNN'] as const) {
  MODULES.push({ mode, inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: false, bias: true });
  MODULES.push({ mode, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, bias: true });
  MODULES.push({ mode, inputSize: 2, hiddenSize: 3, numLayers: 3, bidirectional: false, bias: false });
}

async function torchOutput(r: TorchRnn, sd: Parameters<typeof torchOnnxGraph>[1], X: number[], T: number, m: number, prefix = ''): Promise<Float64Array> {
  const out = await runOrt(await encodeWithOnnxProto(torchOnnxGraph(r, sd, prefix)), { input: { type: 'float32', dims: [T, m, r.inputSize], data: X } });
  return out['output']?.data ?? new Float64Array(0);
}

describe('importPytorch: a state_dict computes what PyTorch\'s module computes', () => {
  it.each(MODULES)('nn.$mode, num_layers $numLayers, bidirectional $bidirectional, bias $bias', async (r) => {
    const sd = torchStateDict(r, 5);
    const imported = importPytorch(writeSafetensors(sd));
    expect(imported.layers).toEqual({ cell: r.mode.toLowerCase(), inputSize: r.inputSize, hiddenSize: r.hiddenSize, numLayers: r.numLayers, bidirectional: r.bidirectional });
    const [T, m] = [4, 2];
    const X = randomValues(T * m * r.inputSize, 6);
    const ours = ourForward(imported.layers, imported.parameters, 'softmax', X, T, m, backend);
    const report = compareClose(ours.output, await torchOutput(r, sd, X, T, m), TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });

  it('a module inside a model, with an nn.Linear head, by prefix', async () => {
    const r: TorchRnn = { mode: 'GRU', inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: true, bias: true };
    const sd = { ...torchStateDict(r, 8, 'encoder.rnn.'), 'embedding.weight': { shape: [5, 3], data: randomValues(15, 1) }, 'fc.weight': { shape: [2, 8], data: randomValues(16, 2) }, 'fc.bias': { shape: [2], data: [0.5, -0.5] } };
    const imported = importPytorch(writeSafetensors(sd), { head: { prefix: 'fc.', activation: 'linear' } });
    expect(imported.layers).toEqual({ cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: true, outputSize: 2 });
    expect(imported.head).toBe('linear');
    const [T, m] = [3, 2];
    const X = randomValues(T * m * 3, 9);
    const hidden = await torchOutput(r, sd, X, T, m, 'encoder.rnn.');
    const want = new Float64Array(T * m * 2);
    for (let k = 0; k < T * m; k++) for (let o = 0; o < 2; o++) want[k * 2 + o] = (sd['fc.bias'].data[o] as number) + Array.from({ length: 8 }, (_, i) => (sd['fc.weight'].data[o * 8 + i] as number) * (hidden[k * 8 + i] as number)).reduce((a, b) => a + b, 0);
    const report = compareClose(ourForward(imported.layers, imported.parameters, 'linear', X, T, m, backend).output, want, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });

  it('refuses what is not an nn.LSTM/GRU/RNN state dict, naming the tensor', () => {
    const r: TorchRnn = { mode: 'LSTM', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: false, bias: true };
    const sd = torchStateDict(r, 1);
    const { weight_hh_l1: _dropped, ...missing } = sd;
    expect(() => importPytorch(writeSafetensors(missing))).toThrow(WeightImportError);
    expect(() => importPytorch(writeSafetensors(missing))).toThrow(/weight_hh_l1 is missing/);
    expect(() => importPytorch(writeSafetensors({ ...sd, weight_hr_l0: { shape: [4, 2], data: new Array<number>(8).fill(0) } }))).toThrow(/proj_size is not supported/);
    expect(() => importPytorch(writeSafetensors({ ...sd, bias_ih_l1: { shape: [15], data: new Array<number>(15).fill(0) } }))).toThrow(/bias_ih_l1 has shape \[15\], expected \[16\]/);
    expect(() => importPytorch(writeSafetensors({ 'fc.weight': { shape: [2, 2], data: [1, 2, 3, 4] } }))).toThrow(/no tensor is named …weight_ih_l0/);
    expect(() => importPytorch(writeSafetensors(sd), { cell: 'gru' })).toThrow(/the weights are a lstm \(4 gate blocks\), not a gru/);
  });
});

describe('exportSafetensors: our weights as a PyTorch state_dict', () => {
  it.each(MODULES.filter((r) => r.bias))('nn.$mode, num_layers $numLayers, bidirectional $bidirectional: PyTorch\'s module on the exported state_dict computes our forward', async (r) => {
    const layers = { cell: r.mode.toLowerCase() as 'lstm' | 'gru' | 'rnn', inputSize: r.inputSize, hiddenSize: r.hiddenSize, numLayers: r.numLayers, bidirectional: r.bidirectional };
    const parameters = randomParameters(layers, 3);
    const bytes = exportSafetensors({ layers, parameters });
    const { tensors } = readSafetensors(bytes);
    const sd = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    expect(Object.keys(sd)).toContain(r.bidirectional ? 'weight_hh_l1_reverse' : 'bias_hh_l0');
    const [T, m] = [4, 2];
    const X = randomValues(T * m * r.inputSize, 4);
    const report = compareClose(await torchOutput(r, sd, X, T, m), ourForward(layers, parameters, 'softmax', X, T, m, backend).output, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });

  it('round-trips a model with a head through its metadata, and refuses a variant PyTorch has no module for', async () => {
    const layers = { cell: 'lstm' as const, inputSize: 5, hiddenSize: 4, numLayers: 2, outputSize: 5 };
    const parameters = randomParameters(layers, 2);
    const bytes = exportSafetensors({ layers, parameters, head: 'softmax' }, { dtype: 'F64' });
    expect(Object.keys(readSafetensors(bytes).tensors)).toContain('head.weight');
    expect(readSafetensors(bytes).metadata['rnn.head']).toBe('softmax');
    const back = importPytorch(bytes);
    expect(back.layers).toEqual({ ...layers, bidirectional: false });
    expect(back.head).toBe('softmax');
    for (const [k, v] of Object.entries(parameters)) {
      const report = compareClose(back.parameters[k] ?? [], v, { rtol: 1e-15, atol: 1e-15 });
      expect(report.ok, `${k}: ${report.message}`).toBe(true);
    }
    expect(exportOnnx(back).length).toBeGreaterThan(0);
    expect(() => exportSafetensors({ layers: { cell: 'gru', inputSize: 2, hiddenSize: 2 }, parameters: randomParameters({ cell: 'gru', inputSize: 2, hiddenSize: 2 }, 1), variant: { linearBeforeReset: false } })).toThrow(/no PyTorch equivalent/);
  });
});
