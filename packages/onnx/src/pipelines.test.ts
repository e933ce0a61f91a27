import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from './index.js';
import type { ModelSpec, NodeSpec, TensorSpec } from './proto/onnx-encode.js';
import { encodeWithOnnxProto } from './test-support/onnx-proto-encode.js';
import { asFeeds, runOrt } from './test-support/ort.js';
import { drawer } from './test-support/recurrent-models.js';

/**
 * Whole graphs as the exporters emit them around a recurrent layer, with a dynamic batch size:
 * PyTorch's TorchScript exporter for a `batch_first` `nn.LSTM` called without `h0` (the zero state
 * built from the input's shape: Shape, Gather, Unsqueeze, Concat, ConstantOfShape) followed by an
 * `nn.Linear`, and tf2onnx for a Keras `GRU(return_sequences=False)` + `Dense(softmax)` (Transpose,
 * GRU, Gather of the last step, Squeeze, MatMul, Add, Softmax). Each runs at two batch sizes on the
 * CPU backend against onnxruntime-node: rtol 1e-4, atol 1e-5.
 */
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const backend = createCpuBackend();
const draw = drawer(61);
const [I, H, O] = [3, 4, 2];
const f32 = (name: string, dims: number[], scale = 0.5): TensorSpec => ({ name, type: 'float32', dims, data: draw(dims.reduce((a, b) => a * b, 1), scale) });
const i64 = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, type: 'int64', dims, data });

function pytorchBatchFirst(): ModelSpec {
  const n = (opType: string, inputs: string[], outputs: string[], attributes?: NodeSpec['attributes']): NodeSpec => ({ opType, name: `/${outputs[0]}`, inputs, outputs, attributes });
  return {
    irVersion: 8, opset: 17, producerName: 'pytorch', producerVersion: '2.3.0',
    graph: {
      name: 'main_graph',
      inputs: [{ name: 'input', type: 'float32', shape: ['batch', 'T', I] }],
      outputs: [{ name: 'output', type: 'float32', shape: ['batch', 'T', O] }, { name: 'h_n', type: 'float32', shape: [1, 'batch', H] }],
      initializers: [f32('W', [1, 4 * H, I]), f32('R', [1, 4 * H, H]), f32('B', [1, 8 * H]), f32('fc.weight_T', [H, O]), f32('fc.bias', [O]),
        i64('zero', [0], []), i64('axes0', [0]), i64('one', [1]), i64('hidden', [H]), i64('axes1', [1])],
      nodes: [
        n('Transpose', ['input'], ['x_tm'], { perm: { ints: [1, 0, 2] } }),
        n('Shape', ['input'], ['shape']),
        n('Gather', ['shape', 'zero'], ['batch'], { axis: { int: 0 } }),
        n('Unsqueeze', ['batch', 'axes0'], ['batch_1']),
        n('Concat', ['one', 'batch_1', 'hidden'], ['state_shape'], { axis: { int: 0 } }),
        n('ConstantOfShape', ['state_shape'], ['h0'], { value: { tensor: { type: 'float32', dims: [1], data: [0] } } }),
        n('ConstantOfShape', ['state_shape'], ['c0'], { value: { tensor: { type: 'float32', dims: [1], data: [0] } } }),
        n('LSTM', ['x_tm', 'W', 'R', 'B', '', 'h0', 'c0'], ['Y', 'h_n', 'c_n'], { hidden_size: { int: H } }),
        n('Squeeze', ['Y', 'axes1'], ['y']),
        n('Transpose', ['y'], ['y_bf'], { perm: { ints: [1, 0, 2] } }),
        n('MatMul', ['y_bf', 'fc.weight_T'], ['logits0']),
        n('Add', ['logits0', 'fc.bias'], ['output']),
      ],
    },
  };
}

function tf2onnxGru(): ModelSpec {
  const n = (opType: string, inputs: string[], outputs: string[], attributes?: NodeSpec['attributes']): NodeSpec => ({ opType, name: `sequential/${outputs[0]}`, inputs, outputs, attributes });
  return {
    irVersion: 8, opset: 13, producerName: 'tf2onnx', producerVersion: '1.16.1',
    graph: {
      name: 'tf2onnx',
      inputs: [{ name: 'gru_input', type: 'float32', shape: ['unk__1', 5, I] }],
      outputs: [{ name: 'dense', type: 'float32', shape: ['unk__1', O] }],
      initializers: [f32('W', [1, 3 * H, I]), f32('R', [1, 3 * H, H]), f32('B', [1, 6 * H]), f32('kernel', [H, O]), f32('bias', [O]), i64('last', [-1], []), i64('axes', [0])],
      nodes: [
        n('Transpose', ['gru_input'], ['x_tm'], { perm: { ints: [1, 0, 2] } }),
        n('GRU', ['x_tm', 'W', 'R', 'B'], ['Y'], { hidden_size: { int: H }, linear_before_reset: { int: 1 }, activations: { strings: ['Sigmoid', 'Tanh'] } }),
        n('Gather', ['Y', 'last'], ['last_step'], { axis: { int: 0 } }),
        n('Squeeze', ['last_step', 'axes'], ['h']),
        n('MatMul', ['h', 'kernel'], ['logits0']),
        n('Add', ['logits0', 'bias'], ['logits']),
        n('Softmax', ['logits'], ['dense'], { axis: { int: -1 } }),
      ],
    },
  };
}

describe('exporters\' whole graphs with a dynamic batch', () => {
  it.each([
    { label: 'PyTorch: batch_first nn.LSTM without h0, then nn.Linear', spec: pytorchBatchFirst(), input: 'input', T: 4 },
    { label: 'tf2onnx: Keras GRU(return_sequences=False) + Dense(softmax)', spec: tf2onnxGru(), input: 'gru_input', T: 5 },
  ])('$label', async ({ spec, input, T }) => {
    const bytes = await encodeWithOnnxProto(spec, { raw: true });
    const model = OnnxModel.load(bytes);
    for (const batch of [1, 3]) {
      const feeds = { [input]: { type: 'float32' as const, dims: [batch, T, I], data: draw(batch * T * I, 1) } };
      const want = await runOrt(bytes, feeds);
      const got = await model.run(await asFeeds(feeds), { backend });
      for (const [name, w] of Object.entries(want)) {
        expect(got[name]?.shape, name).toEqual(w.dims);
        const report = compareClose(got[name]?.dataSync() ?? [], w.data, TOLERANCE);
        expect(report.ok, `${name} (batch ${batch}): ${report.message}`).toBe(true);
      }
    }
  });
});
