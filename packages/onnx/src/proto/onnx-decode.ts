import { WIRE, WireReader, type WireFail } from '../protobuf/wire-reader.js';
import type { AttributeData, DimData, GraphData, ModelData, NodeData, OpsetData, TensorData, TypeData, ValueInfoData } from './onnx-types.js';

/**
 * Decodes a `ModelProto` from `bytes` into plain data. Unknown fields are skipped; every length
 * is bounded by the bytes left (see `WireReader`), so this takes time and memory linear in the
 * input whatever the bytes say. The message nesting is fixed (model → graph → node → attribute →
 * tensor); subgraphs are recorded, not decoded, so hostile nesting cannot recurse.
 */
export function decodeModel(bytes: Uint8Array, fail: WireFail): ModelData {
  const r = new WireReader(bytes, 'ModelProto', fail);
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  let docString = '';
  const opsetImports: OpsetData[] = [];
  let graph: GraphData | undefined;
  let functions = 0;
  const metadata: Record<string, string> = {};
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.varint) irVersion = r.int64();
    else if (field === 2 && wire === WIRE.bytes) producerName = r.string();
    else if (field === 3 && wire === WIRE.bytes) producerVersion = r.string();
    else if (field === 6 && wire === WIRE.bytes) docString = r.string();
    else if (field === 7 && wire === WIRE.bytes) graph = decodeGraph(r.message('graph'));
    else if (field === 8 && wire === WIRE.bytes) opsetImports.push(decodeOpset(r.message('opset_import')));
    else if (field === 14 && wire === WIRE.bytes) {
      const entry = r.message('metadata_props');
      let key = '';
      let value = '';
      while (!entry.done) {
        const t = entry.tag();
        if (t.field === 1 && t.wire === WIRE.bytes) key = entry.string();
        else if (t.field === 2 && t.wire === WIRE.bytes) value = entry.string();
        else entry.skip(t.wire);
      }
      metadata[key] = value;
    }
    else if (field === 25 && wire === WIRE.bytes) {
      functions++;
      r.skip(wire);
    } else r.skip(wire);
  }
  return { irVersion, producerName, producerVersion, opsetImports, graph, functions, docString, metadata };
}

function decodeOpset(r: WireReader): OpsetData {
  let domain = '';
  let version = 0;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.bytes) domain = r.string();
    else if (field === 2 && wire === WIRE.varint) version = r.int64();
    else r.skip(wire);
  }
  return { domain, version };
}

function decodeGraph(r: WireReader): GraphData {
  let name = '';
  const nodes: NodeData[] = [];
  const initializers: TensorData[] = [];
  const inputs: ValueInfoData[] = [];
  const outputs: ValueInfoData[] = [];
  const valueInfo: ValueInfoData[] = [];
  let sparseInitializers = 0;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== WIRE.bytes) r.skip(wire);
    else if (field === 1) nodes.push(decodeNode(r.message(`node[${nodes.length}]`)));
    else if (field === 2) name = r.string();
    else if (field === 5) initializers.push(decodeTensor(r.message(`initializer[${initializers.length}]`)));
    else if (field === 11) inputs.push(decodeValueInfo(r.message(`input[${inputs.length}]`)));
    else if (field === 12) outputs.push(decodeValueInfo(r.message(`output[${outputs.length}]`)));
    else if (field === 13) valueInfo.push(decodeValueInfo(r.message(`value_info[${valueInfo.length}]`)));
    else if (field === 15) {
      sparseInitializers++;
      r.skip(wire);
    } else r.skip(wire);
  }
  return { name, nodes, initializers, inputs, outputs, valueInfo, sparseInitializers };
}

function decodeNode(r: WireReader): NodeData {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: AttributeData[] = [];
  let name = '';
  let opType = '';
  let domain = '';
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== WIRE.bytes) r.skip(wire);
    else if (field === 1) inputs.push(r.string());
    else if (field === 2) outputs.push(r.string());
    else if (field === 3) name = r.string();
    else if (field === 4) opType = r.string();
    else if (field === 5) attributes.push(decodeAttribute(r.message(`attribute[${attributes.length}]`)));
    else if (field === 7) domain = r.string();
    else r.skip(wire);
  }
  return { inputs, outputs, name, opType, domain, attributes };
}

const ATTRIBUTE_OTHER: Readonly<Record<number, string>> = { 6: 'g', 10: 'tensors', 11: 'graphs', 14: 'tp', 15: 'type_protos', 22: 'sparse_tensor', 23: 'sparse_tensors' };

function decodeAttribute(r: WireReader): AttributeData {
  let name = '';
  let type = 0;
  let f: number | undefined;
  let i: number | undefined;
  let s: Uint8Array | undefined;
  let t: TensorData | undefined;
  let refAttrName: string | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: Uint8Array[] = [];
  const other: string[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.bytes) name = r.string();
    else if (field === 20 && wire === WIRE.varint) type = r.int64();
    else if (field === 2 && wire === WIRE.fixed32) f = r.float();
    else if (field === 3 && wire === WIRE.varint) i = r.int64();
    else if (field === 4 && wire === WIRE.bytes) s = r.bytes();
    else if (field === 5 && wire === WIRE.bytes) t = decodeTensor(r.message('t'));
    else if (field === 7) r.repeatedFloat(wire, floats, 'floats');
    else if (field === 8) r.repeatedInt64(wire, ints, 'ints');
    else if (field === 9 && wire === WIRE.bytes) strings.push(r.bytes());
    else if (field === 21 && wire === WIRE.bytes) refAttrName = r.string();
    else {
      const known = ATTRIBUTE_OTHER[field];
      if (known !== undefined && !other.includes(known)) other.push(known);
      r.skip(wire);
    }
  }
  return { name, type, f, i, s, t, floats, ints, strings, refAttrName, other };
}

const TENSOR_OTHER: Readonly<Record<number, string>> = { 3: 'segment', 6: 'string_data', 10: 'double_data', 11: 'uint64_data' };

/** Decodes a `TensorProto`; the data stays in the field that held it until the loader checks dims and type. */
export function decodeTensor(r: WireReader): TensorData {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floatData: number[] = [];
  const int32Data: number[] = [];
  const int64Data: number[] = [];
  const otherData: string[] = [];
  let external = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) r.repeatedInt64(wire, dims, 'dims');
    else if (field === 2 && wire === WIRE.varint) dataType = r.int64();
    else if (field === 4) r.repeatedFloat(wire, floatData, 'float_data');
    else if (field === 5) r.repeatedInt64(wire, int32Data, 'int32_data');
    else if (field === 7) r.repeatedInt64(wire, int64Data, 'int64_data');
    else if (field === 8 && wire === WIRE.bytes) name = r.string();
    else if (field === 9 && wire === WIRE.bytes) raw = r.bytes();
    else if (field === 13) {
      external = true;
      r.skip(wire);
    } else if (field === 14 && wire === WIRE.varint) {
      if (r.int64() !== 0) external = true;
    } else {
      const known = TENSOR_OTHER[field];
      if (known !== undefined && !otherData.includes(known)) otherData.push(known);
      r.skip(wire);
    }
  }
  return { name, dims, dataType, raw, floatData, int32Data, int64Data, otherData, external };
}

function decodeValueInfo(r: WireReader): ValueInfoData {
  let name = '';
  let type: TypeData | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.bytes) name = r.string();
    else if (field === 2 && wire === WIRE.bytes) type = decodeType(r.message('type'));
    else r.skip(wire);
  }
  return { name, type };
}

const TYPE_KIND: Readonly<Record<number, string>> = { 4: 'sequence', 5: 'map', 8: 'sparse tensor', 9: 'optional' };

function decodeType(r: WireReader): TypeData | undefined {
  let type: TypeData | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.bytes) type = decodeTensorType(r.message('tensor_type'));
    else {
      const kind = TYPE_KIND[field];
      if (kind !== undefined) type = { kind: 'other', what: kind };
      r.skip(wire);
    }
  }
  return type;
}

function decodeTensorType(r: WireReader): TypeData {
  let elemType = 0;
  let shape: DimData[] | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.varint) elemType = r.int64();
    else if (field === 2 && wire === WIRE.bytes) {
      shape = [];
      const s = r.message('shape');
      while (!s.done) {
        const t = s.tag();
        if (t.field === 1 && t.wire === WIRE.bytes) shape.push(decodeDim(s.message('dim')));
        else s.skip(t.wire);
      }
    } else r.skip(wire);
  }
  return { kind: 'tensor', elemType, shape };
}

function decodeDim(r: WireReader): DimData {
  let value: number | undefined;
  let param: string | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.varint) value = r.int64();
    else if (field === 2 && wire === WIRE.bytes) param = r.string();
    else r.skip(wire);
  }
  return { value, param };
}
