import type { LayerConfig } from '@rnn/cells';
import { exportOnnx } from '../export-onnx.js';
import { encodeModel, type AttributeSpec, type ModelSpec, type TensorSpec } from '../proto/onnx-encode.js';
import type { OrtValue } from './ort.js';
import { randomParameters } from './layer-models.js';
import { drawer, recurrentModel } from './recurrent-models.js';

/** A committed example model: its file name, what it shows, its bytes and feeds to run it with. */
export interface Fixture {
  readonly file: string;
  readonly shows: string;
  readonly bytes: Uint8Array;
  readonly feeds: Readonly<Record<string, OrtValue>>;
}

/** The draws of the operator fixtures, restarted by every `fixtures()` call so each call builds the same bytes. */
let draw = drawer(101);
const f32 = (...dims: number[]): OrtValue => ({ type: 'float32', dims, data: draw(dims.reduce((a, b) => a * b, 1)) });
const i64 = (data: number[]): TensorSpec => ({ type: 'int64', dims: [data.length], data });

/** A one-node model: `X` fed, the other inputs initializers. */
function single(op: string, opset: number, x: OrtValue, inits: readonly TensorSpec[], attributes: Record<string, AttributeSpec> = {}, outType: 'float32' | 'int64' = 'float32'): { bytes: Uint8Array; feeds: Record<string, OrtValue> } {
  const spec: ModelSpec = {
    irVersion: 8, opset, producerName: '@rnn/onnx fixtures', producerVersion: '0',
    graph: {
      name: op,
      nodes: [{ opType: op, name: `/${op}`, inputs: ['X', ...inits.map((t) => t.name ?? '')], outputs: ['Y'], attributes }],
      initializers: [...inits],
      inputs: [{ name: 'X', type: x.type, shape: [...x.dims] }],
      outputs: [{ name: 'Y', type: outType }],
    },
  };
  return { bytes: encodeModel(spec), feeds: { X: x } };
}

function recurrent(...args: Parameters<typeof recurrentModel>): { bytes: Uint8Array; feeds: Record<string, OrtValue> } {
  const { spec, feeds } = recurrentModel(...args);
  return { bytes: encodeModel(spec), feeds };
}

/** A character model as `exportOnnx` writes it: 2 LSTM layers over a 6-letter vocabulary, softmax head. */
function charModel(): { bytes: Uint8Array; feeds: Record<string, OrtValue> } {
  const layers: LayerConfig = { cell: 'lstm', inputSize: 6, hiddenSize: 5, numLayers: 2, outputSize: 6 };
  const [T, m] = [4, 2];
  const letters = [0, 3, 5, 1, 2, 2, 4, 0];
  const X = new Array<number>(T * m * 6).fill(0);
  letters.forEach((l, k) => {
    X[k * 6 + l] = 1;
  });
  return { bytes: exportOnnx({ layers, parameters: randomParameters(layers, 102) }, { docString: 'a 2-layer character LSTM over a 6-letter vocabulary' }), feeds: { X: { type: 'float32', dims: [T, m, 6], data: X } } };
}

/** Every fixture, built the same way each time (the committed files must equal these bytes). */
export function fixtures(): Fixture[] {
  draw = drawer(101);
  const list: [string, string, { bytes: Uint8Array; feeds: Record<string, OrtValue> }][] = [
    ['lstm.onnx', 'LSTM: bidirectional, sequence_lens, initial_h and initial_c, peepholes P', recurrent({ cell: 'lstm', direction: 'bidirectional', nX: 3, nA: 4, m: 3, T: 5, lengths: [5, 3, 1], initialState: true, peepholes: true }, 103)],
    ['gru.onnx', 'GRU: reverse, linear_before_reset = 1 (PyTorch\'s), clip', recurrent({ cell: 'gru', direction: 'reverse', nX: 3, nA: 4, m: 2, T: 5, linearBeforeReset: 1, clip: 2 }, 104)],
    ['rnn.onnx', 'RNN: forward, initial_h, no B, explicit default activations', recurrent({ cell: 'rnn', direction: 'forward', nX: 3, nA: 4, m: 2, T: 5, initialState: true, noBias: true, explicitActivations: true }, 105)],
    ['char-lstm.onnx', 'exportOnnx of a 2-layer character LSTM: LSTM, Squeeze, MatMul, Add, Softmax', charModel()],
    ['gemm.onnx', 'Gemm: transB, C (nn.Linear)', single('Gemm', 13, f32(3, 4), [{ name: 'B', type: 'float32', dims: [2, 4], data: draw(8) }, { name: 'C', type: 'float32', dims: [2], data: draw(2) }], { transB: { int: 1 } })],
    ['matmul.onnx', 'MatMul: (T, m, n) · (n, k)', single('MatMul', 13, f32(2, 3, 4), [{ name: 'B', type: 'float32', dims: [4, 2], data: draw(8) }])],
    ['add.onnx', 'Add: broadcast', single('Add', 13, f32(2, 3, 4), [{ name: 'B', type: 'float32', dims: [4], data: draw(4) }])],
    ['softmax.onnx', 'Softmax: axis -1 (opset 13)', single('Softmax', 13, f32(2, 3, 4), [], { axis: { int: -1 } })],
    ['transpose.onnx', 'Transpose: perm [0, 2, 1, 3]', single('Transpose', 13, f32(3, 2, 2, 4), [], { perm: { ints: [0, 2, 1, 3] } })],
    ['squeeze.onnx', 'Squeeze: axes as an input (opset 13)', single('Squeeze', 13, f32(5, 1, 2, 3), [{ name: 'axes', ...i64([1]) }])],
    ['unsqueeze.onnx', 'Unsqueeze: axes as an attribute (opset 11)', single('Unsqueeze', 11, f32(2, 3), [], { axes: { ints: [0] } })],
    ['reshape.onnx', 'Reshape: [0, 0, -1]', single('Reshape', 13, f32(3, 2, 2, 4), [{ name: 'shape', ...i64([0, 0, -1]) }])],
    ['concat.onnx', 'Concat: axis -1', single('Concat', 13, f32(2, 3), [{ name: 'B', type: 'float32', dims: [2, 2], data: draw(4) }], { axis: { int: -1 } })],
    ['slice.onnx', 'Slice: starts, ends, axes, steps as inputs (opset 13), a negative step', single('Slice', 13, f32(5, 2, 3), [{ name: 'starts', ...i64([-1]) }, { name: 'ends', ...i64([-6]) }, { name: 'axes', ...i64([0]) }, { name: 'steps', ...i64([-2]) }])],
    ['gather.onnx', 'Gather: the last step, x[-1]', single('Gather', 13, f32(5, 2, 3), [{ name: 'index', type: 'int64', dims: [], data: [-1] }])],
    ['identity.onnx', 'Identity', single('Identity', 13, f32(2, 3), [])],
    ['constant.onnx', 'Constant: value_ints (opset 12) feeding a Reshape', (() => {
      const spec: ModelSpec = {
        irVersion: 8, opset: 13, producerName: '@rnn/onnx fixtures', producerVersion: '0',
        graph: {
          name: 'constant', initializers: [],
          nodes: [
            { opType: 'Constant', name: '/Constant', inputs: [], outputs: ['shape'], attributes: { value_ints: { ints: [-1, 2] } } },
            { opType: 'Reshape', name: '/Reshape', inputs: ['X', 'shape'], outputs: ['Y'] },
          ],
          inputs: [{ name: 'X', type: 'float32', shape: [2, 3, 2] }],
          outputs: [{ name: 'Y', type: 'float32' }],
        },
      };
      return { bytes: encodeModel(spec), feeds: { X: f32(2, 3, 2) } };
    })()],
    ['constant-of-shape.onnx', 'ConstantOfShape: zeros of a fed shape (PyTorch\'s zero initial state)', single('ConstantOfShape', 13, { type: 'int64', dims: [3], data: [1, 2, 4] }, [])],
    ['expand.onnx', 'Expand: (2, 1) to (3, 2, 4)', single('Expand', 13, f32(2, 1), [{ name: 'shape', ...i64([3, 1, 4]) }])],
    ['shape.onnx', 'Shape: start 1 (opset 15)', single('Shape', 15, f32(2, 3, 4), [], { start: { int: 1 } }, 'int64')],
  ];
  return list.map(([file, shows, { bytes, feeds }]) => ({ file, shows, bytes, feeds }));
}
