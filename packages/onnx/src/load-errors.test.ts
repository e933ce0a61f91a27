import { createCpuBackend } from '@rnn/backend-cpu';
import { InvalidArgumentError, NoBackendError, RnnError, ShapeMismatchError, tensor } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { OnnxImportError, OnnxModel, OnnxRunError } from './index.js';
import { encodeModel, type AttributeSpec, type ModelSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './proto/onnx-encode.js';
import { WireWriter } from './protobuf/wire-writer.js';
import { encodeWithOnnxProto } from './test-support/onnx-proto-encode.js';
import { recurrentModel } from './test-support/recurrent-models.js';

/** A one-graph model around `nodes`. */
function spec(nodes: NodeSpec[], io: { inputs?: ValueSpec[]; outputs?: ValueSpec[]; initializers?: TensorSpec[]; opset?: number; irVersion?: number } = {}): ModelSpec {
  return {
    irVersion: io.irVersion ?? 8, opset: io.opset ?? 17, producerName: 'tests', producerVersion: '0',
    graph: {
      name: 'g', nodes, initializers: io.initializers ?? [],
      inputs: io.inputs ?? [{ name: 'X', type: 'float32', shape: [2, 3] }],
      outputs: io.outputs ?? [{ name: 'Y', type: 'float32' }],
    },
  };
}
const node = (opType: string, inputs: string[], attributes?: Record<string, AttributeSpec>, outputs = ['Y']): NodeSpec => ({ opType, name: 'n', inputs, outputs, attributes });
const load = (s: ModelSpec) => () => OnnxModel.load(encodeModel(s));

function expectImportError(f: () => unknown, pattern: RegExp, at?: { node?: string; op?: string }): OnnxImportError {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(OnnxImportError);
  expect(caught).toBeInstanceOf(RnnError);
  const e = caught as OnnxImportError;
  expect(e.message).toMatch(pattern);
  if (at !== undefined) expect({ node: e.node, op: e.op }).toEqual(at);
  return e;
}

describe('OnnxModel.load refuses malformed bytes quickly with OnnxImportError', () => {
  it('empty bytes, garbage, and a non-Uint8Array', () => {
    expectImportError(() => OnnxModel.load(new Uint8Array(0)), /the bytes are empty/);
    expectImportError(() => OnnxModel.load(new TextEncoder().encode('this is not an ONNX model at all')), /malformed|truncated|IR version|no graph/);
    expect(() => OnnxModel.load('model.onnx' as unknown as Uint8Array)).toThrow(InvalidArgumentError);
  });

  it('every truncation of a valid model', async () => {
    const bytes = await encodeWithOnnxProto(recurrentModel({ cell: 'lstm', direction: 'bidirectional', nX: 2, nA: 3, m: 2, T: 3, initialState: true }, 1).spec);
    expect(OnnxModel.load(bytes).outputs.map((o) => o.name)).toEqual(['Y', 'Y_h', 'Y_c']);
    for (let n = 1; n < bytes.length; n++) expectImportError(() => OnnxModel.load(bytes.subarray(0, n)), /./);
  });

  it('a length beyond the bytes, a varint of 11 bytes, a group, field number 0', () => {
    const lying = new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]); // graph: 4 GiB announced, 1 byte there
    expectImportError(() => OnnxModel.load(lying), /truncated bytes: ModelProto ends at byte 7 while reading a field of 4294967295 bytes/);
    expectImportError(() => OnnxModel.load(new Uint8Array([0x08, ...new Array<number>(10).fill(0xff), 0x01])), /varint longer than 10 bytes/);
    expectImportError(() => OnnxModel.load(new Uint8Array([0x0b])), /groups/);
    expectImportError(() => OnnxModel.load(new Uint8Array([0x00, 0x01])), /field number 0/);
  });

  it('a huge initializer declared over a few bytes is refused before allocating', () => {
    const huge = { name: 'W', type: 'float32' as const, dims: [1_000_000, 1_000_000], data: [] };
    expectImportError(load(spec([node('Identity', ['W'])], { inputs: [], initializers: [huge] })), /would hold 1000000000000 elements, more than the limit/);
    const small = { name: 'W', type: 'float32' as const, dims: [4, 4], data: new Array<number>(16).fill(1) };
    expectImportError(() => OnnxModel.load(encodeModel(spec([node('Identity', ['W'])], { inputs: [], initializers: [small] })), { maxElements: 10 }), /more than the limit of 10/);
    expectImportError(load(spec([node('Identity', ['W'])], { inputs: [], initializers: [{ name: 'W', type: 'float32', dims: [3], data: [1, 2] }] })), /needs 12 bytes of raw_data, got 8/);
  });

  it('huge declared input dimensions and outputs that would be huge', () => {
    expectImportError(load(spec([node('Identity', ['X'])], { inputs: [{ name: 'X', type: 'float32', shape: [1e9, 1e9] }] })), /graph input X .* more than the limit/);
    const col = { name: 'A', type: 'float32' as const, dims: [100000, 1], data: new Array<number>(100000).fill(1) };
    const row = { name: 'B', type: 'float32' as const, dims: [1, 100000], data: new Array<number>(100000).fill(1) };
    expectImportError(load(spec([node('MatMul', ['A', 'B'])], { inputs: [], initializers: [col, row] })), /the output of shape \[100000, 100000\] would hold 10000000000 elements/, { node: 'n', op: 'MatMul' });
  });
});

describe('OnnxModel.load refuses models it does not run exactly, naming node, operator and what', () => {
  it('IR versions and opsets', () => {
    expectImportError(load(spec([node('Identity', ['X'])], { opset: 6 })), /opset 6 is not supported: this package runs opsets 7 to 22/);
    expectImportError(load(spec([node('Identity', ['X'])], { opset: 23 })), /opset 23 is not supported/);
    expectImportError(load(spec([node('Identity', ['X'])], { irVersion: 2 })), /IR version 2 is not supported/);
    expectImportError(load(spec([node('Identity', ['X'])], { irVersion: 99 })), /IR version 99 is not supported/);
    const noOpset = new WireWriter().int(1, 8).message(7, new WireWriter().string(2, 'g')).finish();
    expectImportError(() => OnnxModel.load(noOpset), /imports no opset of the default ONNX domain/);
  });

  it('unknown operators and other domains', () => {
    expectImportError(load(spec([node('Relu', ['X'])])), /operator Relu is not supported; supported: LSTM, GRU, RNN/, { node: 'n', op: 'Relu' });
    expectImportError(load(spec([{ ...node('FusedMatMul', ['X', 'X']), domain: 'com.microsoft' } as NodeSpec])), /./);
  });

  it('non-default activations, alpha and beta, unknown or mistyped attributes, attributes newer than the opset', () => {
    const lstm = (attributes: Record<string, AttributeSpec>, opset = 17) => {
      const { spec: s } = recurrentModel({ cell: 'lstm', direction: 'forward', nX: 2, nA: 3, m: 1, T: 2 }, 1);
      const n = s.graph.nodes[0] as NodeSpec;
      return () => OnnxModel.load(encodeModel({ ...s, opset, graph: { ...s.graph, nodes: [{ ...n, attributes: { ...n.attributes, ...attributes } }] } }));
    };
    expectImportError(lstm({ activations: { strings: ['Sigmoid', 'Relu', 'Tanh'] } }), /attribute activations = \[Sigmoid, Relu, Tanh\] is not supported: only the default activations/, { node: '/lstm/LSTM', op: 'LSTM' });
    expectImportError(lstm({ activation_alpha: { floats: [1] } }), /attribute activation_alpha is not supported/);
    expectImportError(lstm({ direction: { string: 'sideways' } }), /direction "sideways"/);
    expectImportError(lstm({ layout: { int: 1 } }, 13), /attribute layout exists from opset 14; the model imports opset 13/);
    expectImportError(lstm({ hidden_size: { float: 3 } }), /attribute hidden_size is FLOAT, expected INT/);
    expectImportError(lstm({ body: { int: 1 } }), /attribute body is not supported/);
    expectImportError(load(spec([node('Softmax', ['X'], { axis: { int: 1 }, foo: { int: 2 } })])), /attribute foo is not supported/, { node: 'n', op: 'Softmax' });
    expectImportError(load(spec([node('Shape', ['X'], { start: { int: 1 } })], { opset: 13, outputs: [{ name: 'Y', type: 'int64' }] })), /attribute start exists from opset 15/);
    expectImportError(load(spec([node('Squeeze', ['X'], { axes: { ints: [0] } })], { opset: 13 })), /replaced by the axes input in opset 13/);
  });

  it('data types other than FLOAT, INT32, INT64 and external data', () => {
    const w = new WireWriter().packedInts(1, [2]).int(2, 11).string(8, 'W').bytes(9, new Uint8Array(16));
    const model = new WireWriter().int(1, 8).message(7, new WireWriter()
      .message(1, new WireWriter().string(1, 'W').string(2, 'Y').string(3, 'n').string(4, 'Identity'))
      .message(5, w)
      .message(12, new WireWriter().string(1, 'Y')))
      .message(8, new WireWriter().int(2, 17)).finish();
    expectImportError(() => OnnxModel.load(model), /initializer W has data type DOUBLE; only FLOAT, INT32 and INT64 are supported/);
    const external = new WireWriter().packedInts(1, [2]).int(2, 1).string(8, 'W').int(14, 1);
    const model2 = new WireWriter().int(1, 8).message(7, new WireWriter().message(5, external)).message(8, new WireWriter().int(2, 17)).finish();
    expectImportError(() => OnnxModel.load(model2), /external data/);
    expectImportError(load(spec([node('Identity', ['X'])], { inputs: [{ name: 'X', type: 'float32', shape: [2] }], outputs: [{ name: 'Y', type: 'int32' }] })), /graph output Y is declared int32 but computes float32/);
  });

  it('inconsistent shapes', () => {
    const base = recurrentModel({ cell: 'gru', direction: 'bidirectional', nX: 2, nA: 3, m: 1, T: 2, linearBeforeReset: 1 }, 1).spec;
    const n = base.graph.nodes[0] as NodeSpec;
    const wrongHidden = { ...base, graph: { ...base.graph, nodes: [{ ...n, attributes: { ...n.attributes, hidden_size: { int: 4 } } }] } };
    expectImportError(load(wrongHidden), /input W of shape \[2, 9, 2\] should be \(num_directions, 3·hidden_size, input_size\), dimension 1: 9 ≠ 12/, { node: '/gru/GRU', op: 'GRU' });
    const oneDirection = { ...base, graph: { ...base.graph, nodes: [{ ...n, attributes: { ...n.attributes, direction: { string: 'forward' } } }] } };
    expectImportError(load(oneDirection), /input W .* dimension 0: 2 ≠ 1/);
    const wrongX = { ...base, graph: { ...base.graph, inputs: [{ name: 'X', type: 'float32' as const, shape: [2, 1, 5] }] } };
    expectImportError(load(wrongX), /input W .* dimension 2: 2 ≠ 5/);
    expectImportError(load(spec([node('MatMul', ['X', 'X'])])), /inner dimensions of A \[2, 3\] and B \[2, 3\]: 3 ≠ 2/);
    expectImportError(load(spec([node('Reshape', ['X', 's'])], { initializers: [{ name: 's', type: 'int64', dims: [2], data: [4, 2] }] })), /cannot reshape 6 elements/);
    expectImportError(load(spec([node('Concat', ['X', 'Z'], { axis: { int: 0 } })], { inputs: [{ name: 'X', type: 'float32', shape: [2, 3] }, { name: 'Z', type: 'float32', shape: [2, 4] }] })), /dimension 1 .*: 3 ≠ 4/);
    expectImportError(load(spec([node('Identity', ['X'])], { outputs: [{ name: 'Y', type: 'float32', shape: [3, 2] }] })), /inconsistent shapes: graph output Y is declared \[3, 2\] but computes \[2, 3\]/);
    expectImportError(load(spec([node('Squeeze', ['X', 'a'])], { initializers: [{ name: 'a', type: 'int64', dims: [1], data: [0] }] })), /cannot squeeze axis 0 of size 2/);
  });

  it('graph structure: undefined inputs, values assigned twice, missing outputs, sparse initializers', () => {
    expectImportError(load(spec([node('Identity', ['Q'])])), /input Q is not a graph input, an initializer or an output of an earlier node/);
    expectImportError(load(spec([node('Identity', ['X'], {}, ['X'])])), /output X is already defined/);
    expectImportError(load(spec([node('Identity', ['X'], {}, ['Z'])])), /graph output Y is computed by no node/);
    expectImportError(load(spec([node('Gemm', ['X'])])), /input 1 is required/);
    const sparse = new WireWriter().int(1, 8).message(7, new WireWriter().message(15, new WireWriter().int(3, 1))).message(8, new WireWriter().int(2, 17)).finish();
    expectImportError(() => OnnxModel.load(sparse), /sparse initializers/);
  });
});

describe('OnnxModel.run checks its feeds before running', () => {
  const model = OnnxModel.load(encodeModel(spec([node('MatMul', ['X', 'K'])], {
    inputs: [{ name: 'X', type: 'float32', shape: ['batch', 3] }, { name: 'K', type: 'float32', shape: ['k', 2] }],
  })));

  it('missing, unknown, not a tensor, wrong shape', async () => {
    const X = tensor(new Float32Array(6), [2, 3], 'float32');
    const K = tensor(new Float32Array(6), [3, 2], 'float32');
    await expect(model.run({ X })).rejects.toThrow(InvalidArgumentError);
    await expect(model.run({ X })).rejects.toThrow(/feeds.K is missing/);
    await expect(model.run({ X, K, Z: X })).rejects.toThrow(/feeds.Z is not an input of the model/);
    await expect(model.run({ X, K: [1, 2] as unknown as typeof K })).rejects.toThrow(/feeds.K must be a Tensor/);
    await expect(model.run({ X: tensor(new Float32Array(8), [2, 4], 'float32'), K })).rejects.toThrow(ShapeMismatchError);
    const ok = await model.run({ X, K });
    expect(ok['Y']?.shape).toEqual([2, 2]);
  });

  it('a symbolic dimension that does not fit at run time: OnnxRunError naming the node', async () => {
    const X = tensor(new Float32Array(6), [2, 3], 'float32');
    const K = tensor(new Float32Array(8), [4, 2], 'float32');
    await expect(model.run({ X, K })).rejects.toThrow(OnnxRunError);
    await expect(model.run({ X, K })).rejects.toThrow(/node n \(MatMul\): inner dimensions of A \[2, 3\] and B \[4, 2\]: 3 ≠ 4/);
  });

  it('sequence_lens beyond the sequence, a non-integer length, and no backend for a recurrent node', async () => {
    const { spec: s, feeds } = recurrentModel({ cell: 'rnn', direction: 'forward', nX: 2, nA: 3, m: 2, T: 3, lengths: [3, 4] }, 1);
    const rnn = OnnxModel.load(encodeModel(s));
    const X = tensor(Float32Array.from(feeds['X']?.data ?? []), [3, 2, 2], 'float32');
    const backend = createCpuBackend();
    await expect(rnn.run({ X, sequence_lens: tensor([3, 4], [2]) }, { backend })).rejects.toThrow(/sequence_lens\[1\] = 4 is outside \[0, 3\]/);
    await expect(rnn.run({ X, sequence_lens: tensor([3, 1.5], [2]) }, { backend })).rejects.toThrow(/int32 input but element 1 is 1.5/);
    await expect(rnn.run({ X, sequence_lens: tensor([3, 1], [2]) })).rejects.toThrow(NoBackendError);
    const fine = await rnn.run({ X, sequence_lens: tensor([3, 1], [2]) }, { backend });
    expect(fine['Y']?.shape).toEqual([3, 1, 2, 3]);
  });
});

describe('a loaded model keeps its weights', () => {
  it('loaded inside tidy(), it still runs afterwards; dispose() ends it', async () => {
    const { tidy } = await import('@rnn/tensor');
    const { spec: s, feeds } = recurrentModel({ cell: 'lstm', direction: 'forward', nX: 2, nA: 3, m: 1, T: 2 }, 1);
    const model = tidy(() => OnnxModel.load(encodeModel(s)));
    const X = tensor(Float32Array.from(feeds['X']?.data ?? []), [2, 1, 2], 'float32');
    const backend = createCpuBackend();
    expect((await model.run({ X }, { backend }))['Y']?.shape).toEqual([2, 1, 1, 3]);
    model.dispose();
    await expect(model.run({ X }, { backend })).rejects.toThrow(/was disposed/);
  });
});
