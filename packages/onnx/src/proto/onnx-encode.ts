import { WireWriter } from '../protobuf/wire-writer.js';
import { ATTRIBUTE_TYPE, DATA_TYPE } from './onnx-types.js';

/** An element type `exportOnnx` writes. */
export type WriteType = 'float32' | 'int64' | 'int32';

const TYPE_CODE: Readonly<Record<WriteType, number>> = { float32: DATA_TYPE.FLOAT, int64: DATA_TYPE.INT64, int32: DATA_TYPE.INT32 };

/** A tensor to write: an initializer or a `Constant`'s value. */
export interface TensorSpec {
  readonly name?: string | undefined;
  readonly type: WriteType;
  readonly dims: readonly number[];
  /** Row-major values (integers for the integer types). */
  readonly data: ArrayLike<number>;
}

/** An attribute's value, tagged by its ONNX type. */
export type AttributeSpec =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly tensor: TensorSpec };

/** A node to write. */
export interface NodeSpec {
  readonly opType: string;
  readonly name?: string | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeSpec>> | undefined;
}

/** A graph input or output: a tensor type with fixed (number) or symbolic (string) dimensions, or no declared shape. */
export interface ValueSpec {
  readonly name: string;
  readonly type: WriteType;
  readonly shape?: readonly (number | string)[] | undefined;
}

/** A model to write: one graph, the default domain at one opset. */
export interface ModelSpec {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string | undefined;
  /** `metadata_props`: key–value strings. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  readonly graph: {
    readonly name: string;
    readonly nodes: readonly NodeSpec[];
    readonly initializers: readonly TensorSpec[];
    readonly inputs: readonly ValueSpec[];
    readonly outputs: readonly ValueSpec[];
  };
}

/** `TensorProto` with the values little-endian in `raw_data`. */
function tensorMessage(t: TensorSpec): WireWriter {
  const w = new WireWriter().packedInts(1, t.dims).int(2, TYPE_CODE[t.type]).string(8, t.name);
  const n = t.data.length;
  const raw = new Uint8Array(n * (t.type === 'int64' ? 8 : 4));
  const view = new DataView(raw.buffer);
  for (let k = 0; k < n; k++) {
    const v = t.data[k] as number;
    if (t.type === 'float32') view.setFloat32(4 * k, v, true);
    else if (t.type === 'int32') view.setInt32(4 * k, v, true);
    else view.setBigInt64(8 * k, BigInt(v), true);
  }
  return w.bytes(9, raw);
}

function attributeMessage(name: string, a: AttributeSpec): WireWriter {
  const w = new WireWriter().string(1, name);
  if ('int' in a) return w.int(3, a.int).int(20, ATTRIBUTE_TYPE.INT);
  if ('float' in a) return w.float(2, a.float).int(20, ATTRIBUTE_TYPE.FLOAT);
  if ('string' in a) return w.string(4, a.string).int(20, ATTRIBUTE_TYPE.STRING);
  if ('ints' in a) return w.packedInts(8, a.ints).int(20, ATTRIBUTE_TYPE.INTS);
  if ('floats' in a) return w.packedFloats(7, a.floats).int(20, ATTRIBUTE_TYPE.FLOATS);
  if ('strings' in a) {
    for (const s of a.strings) w.string(9, s);
    return w.int(20, ATTRIBUTE_TYPE.STRINGS);
  }
  return w.message(5, tensorMessage(a.tensor)).int(20, ATTRIBUTE_TYPE.TENSOR);
}

function valueMessage(v: ValueSpec): WireWriter {
  let shape: WireWriter | undefined;
  if (v.shape !== undefined) {
    shape = new WireWriter();
    for (const d of v.shape) shape.message(1, typeof d === 'number' ? new WireWriter().int(1, d) : new WireWriter().string(2, d));
  }
  const tensorType = new WireWriter().int(1, TYPE_CODE[v.type]).message(2, shape);
  return new WireWriter().string(1, v.name).message(2, new WireWriter().message(1, tensorType));
}

function nodeMessage(n: NodeSpec): WireWriter {
  const w = new WireWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, attributeMessage(name, a));
  return w;
}

/** Encodes `spec` as a `ModelProto`. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const g = new WireWriter();
  for (const n of spec.graph.nodes) g.message(1, nodeMessage(n));
  g.string(2, spec.graph.name);
  for (const t of spec.graph.initializers) g.message(5, tensorMessage(t));
  for (const v of spec.graph.inputs) g.message(11, valueMessage(v));
  for (const v of spec.graph.outputs) g.message(12, valueMessage(v));
  const model = new WireWriter()
    .int(1, spec.irVersion)
    .string(2, spec.producerName)
    .string(3, spec.producerVersion)
    .string(6, spec.docString)
    .message(7, g)
    .message(8, new WireWriter().string(1, '').int(2, spec.opset));
  for (const [key, value] of Object.entries(spec.metadata ?? {})) model.message(14, new WireWriter().string(1, key).string(2, value));
  return model.finish();
}
