import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from './index.js';
import type { AttributeSpec, ModelSpec, TensorSpec } from './proto/onnx-encode.js';
import { encodeWithOnnxProto } from './test-support/onnx-proto-encode.js';
import { asFeeds, runOrt, type OrtValue } from './test-support/ort.js';
import { drawer } from './test-support/recurrent-models.js';

/**
 * Every host operator against onnxruntime-node, in the forms the exporters emit for each opset
 * (attribute before input, opset-dependent defaults). Each case runs twice: with its data fed as a
 * graph input (the node runs in `OnnxModel.run`) and with everything an initializer (the node is
 * folded while the model loads). The host computes in float32 with float64 accumulation, onnxruntime
 * in float32: rtol 1e-5, atol 1e-6; integer results are exact.
 */
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };
const draw = drawer(21);
const f = (...dims: number[]): OrtValue => ({ type: 'float32', dims, data: draw(dims.reduce((a, b) => a * b, 1)) });
const i64 = (values: readonly number[], dims: readonly number[] = [values.length]): OrtValue => ({ type: 'int64', dims, data: values });
const INT64_MAX = 9223372036854775807; // encoded as INT64_MAX by onnx-proto (Long saturates)
const INT64_MIN = -9223372036854775808;

interface OpCase {
  readonly label: string;
  readonly op: string;
  readonly opset: number;
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  /** Inputs in order; `feed` ones become graph inputs in the first run, `''` an absent optional input. */
  readonly inputs: readonly (readonly [string, OrtValue, 'feed' | 'init'] | '')[];
  readonly outType?: 'float32' | 'int64';
}

const CASES: OpCase[] = [
  { label: 'Gemm A·B + C(N)', op: 'Gemm', opset: 13, inputs: [['A', f(3, 4), 'feed'], ['B', f(4, 5), 'init'], ['C', f(5), 'init']] },
  { label: 'Gemm transA, transB, alpha, beta, C(M, N)', op: 'Gemm', opset: 13, attributes: { transA: { int: 1 }, transB: { int: 1 }, alpha: { float: 0.5 }, beta: { float: 2 } }, inputs: [['A', f(4, 3), 'feed'], ['B', f(5, 4), 'init'], ['C', f(3, 5), 'init']] },
  { label: 'Gemm C(1, N), transB (PyTorch nn.Linear)', op: 'Gemm', opset: 9, attributes: { transB: { int: 1 } }, inputs: [['A', f(3, 4), 'feed'], ['B', f(5, 4), 'init'], ['C', f(1, 5), 'init']] },
  { label: 'Gemm without C (opset 11)', op: 'Gemm', opset: 11, inputs: [['A', f(3, 4), 'feed'], ['B', f(4, 2), 'init']] },
  { label: 'Gemm C scalar', op: 'Gemm', opset: 13, inputs: [['A', f(2, 4), 'feed'], ['B', f(4, 3), 'init'], ['C', f(), 'init']] },
  { label: 'MatMul 2-D', op: 'MatMul', opset: 13, inputs: [['A', f(3, 4), 'feed'], ['B', f(4, 5), 'init']] },
  { label: 'MatMul 3-D · 2-D (the head over (T, m, n_a))', op: 'MatMul', opset: 13, inputs: [['A', f(2, 3, 4), 'feed'], ['B', f(4, 5), 'init']] },
  { label: 'MatMul 1-D · 2-D', op: 'MatMul', opset: 9, inputs: [['A', f(4), 'feed'], ['B', f(4, 5), 'init']] },
  { label: 'MatMul 2-D · 1-D', op: 'MatMul', opset: 13, inputs: [['A', f(3, 4), 'feed'], ['B', f(4), 'init']] },
  { label: 'MatMul batch broadcast', op: 'MatMul', opset: 13, inputs: [['A', f(2, 1, 3, 4), 'feed'], ['B', f(5, 4, 2), 'init']] },
  { label: 'Add broadcast (2, 3, 4) + (4)', op: 'Add', opset: 13, inputs: [['A', f(2, 3, 4), 'feed'], ['B', f(4), 'init']] },
  { label: 'Add broadcast (2, 1, 4) + (3, 1)', op: 'Add', opset: 7, inputs: [['A', f(2, 1, 4), 'feed'], ['B', f(3, 1), 'init']] },
  { label: 'Add int64', op: 'Add', opset: 13, outType: 'int64', inputs: [['A', i64([1, -2, 30]), 'feed'], ['B', i64([5], []), 'init']] },
  { label: 'Softmax opset 11, default axis 1 (the tail flattened)', op: 'Softmax', opset: 11, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Softmax opset 11, axis 2', op: 'Softmax', opset: 11, attributes: { axis: { int: 2 } }, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Softmax opset 13, default axis -1', op: 'Softmax', opset: 13, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Softmax opset 13, axis 1', op: 'Softmax', opset: 13, attributes: { axis: { int: 1 } }, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Softmax opset 13, axis 0', op: 'Softmax', opset: 13, attributes: { axis: { int: 0 } }, inputs: [['X', f(3, 2, 2), 'feed']] },
  { label: 'Transpose default (reversed)', op: 'Transpose', opset: 13, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Transpose [1, 0, 2] (batch first ↔ time first)', op: 'Transpose', opset: 13, attributes: { perm: { ints: [1, 0, 2] } }, inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Transpose [0, 2, 1, 3] (Y of a bidirectional layer)', op: 'Transpose', opset: 13, attributes: { perm: { ints: [0, 2, 1, 3] } }, inputs: [['X', f(3, 2, 4, 5), 'feed']] },
  { label: 'Squeeze axes attribute (opset 11)', op: 'Squeeze', opset: 11, attributes: { axes: { ints: [1] } }, inputs: [['X', f(2, 1, 3), 'feed']] },
  { label: 'Squeeze every 1 (opset 11)', op: 'Squeeze', opset: 11, inputs: [['X', f(1, 2, 1, 3), 'feed']] },
  { label: 'Squeeze axes input (opset 13)', op: 'Squeeze', opset: 13, inputs: [['X', f(3, 1, 2, 4), 'feed'], ['axes', i64([-3]), 'init']] },
  { label: 'Squeeze every 1 (opset 13)', op: 'Squeeze', opset: 13, inputs: [['X', f(1, 2, 1), 'feed']] },
  { label: 'Unsqueeze axes attribute (opset 11)', op: 'Unsqueeze', opset: 11, attributes: { axes: { ints: [0, 3] } }, inputs: [['X', f(2, 3), 'feed']] },
  { label: 'Unsqueeze axes input (opset 13)', op: 'Unsqueeze', opset: 13, inputs: [['X', f(2, 3), 'feed'], ['axes', i64([1, -1]), 'init']] },
  { label: 'Unsqueeze int64 scalar (shape arithmetic)', op: 'Unsqueeze', opset: 13, outType: 'int64', inputs: [['X', i64([7], []), 'feed'], ['axes', i64([0]), 'init']] },
  { label: 'Reshape [0, 0, -1] (PyTorch, after a bidirectional layer)', op: 'Reshape', opset: 13, inputs: [['X', f(3, 2, 2, 4), 'feed'], ['shape', i64([0, 0, -1]), 'init']] },
  { label: 'Reshape [-1, 4] (opset 7)', op: 'Reshape', opset: 7, inputs: [['X', f(2, 3, 4), 'feed'], ['shape', i64([-1, 4]), 'init']] },
  { label: 'Reshape allowzero = 1 (opset 14)', op: 'Reshape', opset: 14, attributes: { allowzero: { int: 1 } }, inputs: [['X', f(2, 3, 4), 'feed'], ['shape', i64([4, 6]), 'init']] },
  { label: 'Concat axis 1', op: 'Concat', opset: 13, attributes: { axis: { int: 1 } }, inputs: [['A', f(2, 3), 'feed'], ['B', f(2, 1), 'init']] },
  { label: 'Concat axis -1, three inputs', op: 'Concat', opset: 13, attributes: { axis: { int: -1 } }, inputs: [['A', f(2, 2, 3), 'feed'], ['B', f(2, 2, 1), 'init'], ['C', f(2, 2, 2), 'init']] },
  { label: 'Concat int64 (a shape)', op: 'Concat', opset: 13, outType: 'int64', attributes: { axis: { int: 0 } }, inputs: [['A', i64([1]), 'feed'], ['B', i64([4, -1]), 'init']] },
  { label: 'Slice attributes (opset 9)', op: 'Slice', opset: 9, attributes: { starts: { ints: [1] }, ends: { ints: [3] }, axes: { ints: [1] } }, inputs: [['X', f(2, 4, 3), 'feed']] },
  { label: 'Slice attributes, end INT64_MAX, axes omitted (opset 9)', op: 'Slice', opset: 9, attributes: { starts: { ints: [0, 1] }, ends: { ints: [1, INT64_MAX] } }, inputs: [['X', f(2, 4, 3), 'feed']] },
  { label: 'Slice inputs, ends INT64_MAX, negative start (opset 13)', op: 'Slice', opset: 13, inputs: [['X', f(3, 4, 2), 'feed'], ['starts', i64([-1, 1]), 'init'], ['ends', i64([INT64_MAX, INT64_MAX]), 'init'], ['axes', i64([0, 1]), 'init']] },
  { label: 'Slice step -1 to INT64_MIN (reverse a sequence)', op: 'Slice', opset: 13, inputs: [['X', f(5, 2, 3), 'feed'], ['starts', i64([-1]), 'init'], ['ends', i64([INT64_MIN]), 'init'], ['axes', i64([0]), 'init'], ['steps', i64([-1]), 'init']] },
  { label: 'Slice step 2, axes omitted', op: 'Slice', opset: 13, inputs: [['X', f(5, 3), 'feed'], ['starts', i64([0, 2]), 'init'], ['ends', i64([5, 0]), 'init'], '', ['steps', i64([2, -1]), 'init']] },
  { label: 'Slice int32 starts and ends', op: 'Slice', opset: 13, inputs: [['X', f(4, 3), 'feed'], ['starts', { type: 'int32', dims: [1], data: [1] }, 'init'], ['ends', { type: 'int32', dims: [1], data: [3] }, 'init']] },
  { label: 'Gather axis 0', op: 'Gather', opset: 13, inputs: [['X', f(3, 4), 'feed'], ['i', i64([2, 0]), 'init']] },
  { label: 'Gather axis 1, 2-D indices, negative', op: 'Gather', opset: 13, attributes: { axis: { int: 1 } }, inputs: [['X', f(2, 4, 3), 'feed'], ['i', i64([-1, 0, 2, 1], [2, 2]), 'init']] },
  { label: 'Gather scalar index (x[:, -1], the last step)', op: 'Gather', opset: 11, attributes: { axis: { int: 0 } }, inputs: [['X', f(5, 2, 3), 'feed'], ['i', i64([-1], []), 'init']] },
  { label: 'Gather int64 data (a dim of a Shape)', op: 'Gather', opset: 13, outType: 'int64', inputs: [['X', i64([5, 2, 3]), 'feed'], ['i', i64([1], []), 'init']] },
  { label: 'ConstantOfShape, default value (zeros)', op: 'ConstantOfShape', opset: 13, inputs: [['X', i64([2, 3, 4]), 'feed']] },
  { label: 'ConstantOfShape, int64 value', op: 'ConstantOfShape', opset: 9, outType: 'int64', attributes: { value: { tensor: { type: 'int64', dims: [1], data: [7] } } }, inputs: [['X', i64([3]), 'feed']] },
  { label: 'Expand (2, 1) to (3, 2, 4)', op: 'Expand', opset: 13, inputs: [['X', f(2, 1), 'feed'], ['shape', i64([3, 1, 4]), 'init']] },
  { label: 'Identity', op: 'Identity', opset: 13, inputs: [['X', f(2, 3), 'feed']] },
  { label: 'Shape (opset 13)', op: 'Shape', opset: 13, outType: 'int64', inputs: [['X', f(2, 3, 4), 'feed']] },
  { label: 'Shape start 1, end -1 (opset 15)', op: 'Shape', opset: 15, outType: 'int64', attributes: { start: { int: 1 }, end: { int: -1 } }, inputs: [['X', f(2, 3, 4, 5), 'feed']] },
];

const CONSTANTS: { label: string; opset: number; attributes: Record<string, AttributeSpec>; outType: 'float32' | 'int64' }[] = [
  { label: 'Constant value (a tensor)', opset: 9, outType: 'float32', attributes: { value: { tensor: { type: 'float32', dims: [2, 2], data: [1, -2, 3.5, 4] } } } },
  { label: 'Constant value (int64 tensor)', opset: 13, outType: 'int64', attributes: { value: { tensor: { type: 'int64', dims: [3], data: [0, 0, -1] } } } },
  { label: 'Constant value_ints (opset 12)', opset: 13, outType: 'int64', attributes: { value_ints: { ints: [1, -1, 3] } } },
  { label: 'Constant value_float (opset 12)', opset: 13, outType: 'float32', attributes: { value_float: { float: 0.25 } } },
  { label: 'Constant value_floats (opset 12)', opset: 12, outType: 'float32', attributes: { value_floats: { floats: [0.5, -1.5] } } },
  { label: 'Constant value_int (opset 12)', opset: 12, outType: 'int64', attributes: { value_int: { int: -7 } } },
];

function model(c: OpCase, fold: boolean): { spec: ModelSpec; feeds: Record<string, OrtValue> } {
  const feeds: Record<string, OrtValue> = {};
  const initializers: TensorSpec[] = [];
  const inputs = c.inputs.map((entry) => {
    if (entry === '') return '';
    const [name, value, kind] = entry;
    if (kind === 'feed' && !fold) feeds[name] = value;
    else initializers.push({ name, type: value.type, dims: value.dims, data: value.data });
    return name;
  });
  return {
    spec: {
      irVersion: 8, opset: c.opset, producerName: 'rnn-onnx-tests', producerVersion: '0',
      graph: {
        name: c.op, initializers,
        nodes: [{ opType: c.op, name: `/${c.op}`, inputs, outputs: ['Y'], attributes: c.attributes }],
        inputs: Object.entries(feeds).map(([name, v]) => ({ name, type: v.type, shape: [...v.dims] })),
        outputs: [{ name: 'Y', type: c.outType ?? 'float32' }],
      },
    },
    feeds,
  };
}

async function expectSame(spec: ModelSpec, feeds: Record<string, OrtValue>): Promise<void> {
  const bytes = await encodeWithOnnxProto(spec);
  const want = (await runOrt(bytes, feeds))['Y'];
  const got = (await OnnxModel.load(bytes).run(await asFeeds(feeds)))['Y'];
  expect(got?.shape).toEqual(want?.dims);
  const report = compareClose(got?.dataSync() ?? [], want?.data ?? [], TOLERANCE);
  expect(report.ok, report.message).toBe(true);
}

describe('host operators equal onnxruntime-node', () => {
  it.each(CASES)('$label', async (c) => {
    const run = model(c, false);
    await expectSame(run.spec, run.feeds);
  });

  it.each(CASES)('$label, folded at load', async (c) => {
    const folded = model(c, true);
    const loaded = OnnxModel.load(await encodeWithOnnxProto(folded.spec));
    expect(loaded.info.operators).toEqual([]);
    await expectSame(folded.spec, {});
  });

  it.each(CONSTANTS)('$label', async (c) => {
    await expectSame({
      irVersion: 8, opset: c.opset, producerName: 'rnn-onnx-tests', producerVersion: '0',
      graph: { name: 'constant', initializers: [], inputs: [], nodes: [{ opType: 'Constant', inputs: [], outputs: ['Y'], attributes: c.attributes }], outputs: [{ name: 'Y', type: c.outType }] },
    }, {});
  });
});
