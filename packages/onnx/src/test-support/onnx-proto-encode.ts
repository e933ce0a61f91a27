import type { AttributeSpec, ModelSpec, TensorSpec, ValueSpec } from '../proto/onnx-encode.js';

/**
 * Encodes a `ModelSpec` with the `onnx-proto` package (protobufjs), an encoder independent of
 * ours, storing tensors in their typed fields (`float_data`, `int64_data`, `int32_data`) where our
 * `encodeModel` uses `raw_data`: what the tests feed `OnnxModel.load` is then not only what our
 * own writer produces.
 */
export async function encodeWithOnnxProto(spec: ModelSpec, opts: { raw?: boolean } = {}): Promise<Uint8Array> {
  const { onnx } = (await import('onnx-proto')).default;
  const CODE = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64, int32: onnx.TensorProto.DataType.INT32 } as const;
  const tensor = (t: TensorSpec) => {
    const base = { name: t.name ?? '', dims: [...t.dims], dataType: CODE[t.type] };
    if (opts.raw === true) {
      const b = t.type === 'float32' ? new Uint8Array(Float32Array.from(t.data).buffer) : t.type === 'int32' ? new Uint8Array(Int32Array.from(t.data).buffer) : new Uint8Array(BigInt64Array.from(Array.from(t.data, (v) => BigInt(v))).buffer);
      return onnx.TensorProto.create({ ...base, rawData: b });
    }
    if (t.type === 'float32') return onnx.TensorProto.create({ ...base, floatData: Array.from(t.data) });
    if (t.type === 'int32') return onnx.TensorProto.create({ ...base, int32Data: Array.from(t.data) });
    return onnx.TensorProto.create({ ...base, int64Data: Array.from(t.data) });
  };
  const T = onnx.AttributeProto.AttributeType;
  const attribute = (name: string, a: AttributeSpec) => {
    if ('int' in a) return onnx.AttributeProto.create({ name, i: a.int, type: T.INT });
    if ('float' in a) return onnx.AttributeProto.create({ name, f: a.float, type: T.FLOAT });
    if ('string' in a) return onnx.AttributeProto.create({ name, s: new TextEncoder().encode(a.string), type: T.STRING });
    if ('ints' in a) return onnx.AttributeProto.create({ name, ints: [...a.ints], type: T.INTS });
    if ('floats' in a) return onnx.AttributeProto.create({ name, floats: [...a.floats], type: T.FLOATS });
    if ('strings' in a) return onnx.AttributeProto.create({ name, strings: a.strings.map((s) => new TextEncoder().encode(s)), type: T.STRINGS });
    return onnx.AttributeProto.create({ name, t: tensor(a.tensor), type: T.TENSOR });
  };
  const value = (v: ValueSpec) => onnx.ValueInfoProto.create({
    name: v.name,
    type: { tensorType: { elemType: CODE[v.type], ...(v.shape === undefined ? {} : { shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }) } },
  });
  const graph = onnx.GraphProto.create({
    name: spec.graph.name,
    node: spec.graph.nodes.map((n) => onnx.NodeProto.create({
      opType: n.opType, name: n.name ?? '', input: [...n.inputs], output: [...n.outputs],
      attribute: Object.entries(n.attributes ?? {}).map(([k, a]) => attribute(k, a)),
    })),
    initializer: spec.graph.initializers.map(tensor),
    input: spec.graph.inputs.map(value),
    output: spec.graph.outputs.map(value),
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: spec.irVersion, producerName: spec.producerName, producerVersion: spec.producerVersion,
    opsetImport: [{ domain: '', version: spec.opset }], graph,
  })).finish();
}
