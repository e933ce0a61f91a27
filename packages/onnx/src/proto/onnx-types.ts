/**
 * The subset of ONNX's protobuf messages this package reads and writes, as plain data. Field
 * numbers follow `onnx.proto` (ONNX 1.10 and later); fields outside the subset are skipped when
 * reading, and the parts that change what a model computes (sparse initializers, external data,
 * subgraph attributes, non-tensor types) are recorded so the loader can refuse them.
 */

/** `TensorProto.DataType` codes. */
export const DATA_TYPE = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
} as const;

/** A data type code's name, for messages: `7` → `INT64`. */
export function dataTypeName(code: number): string {
  const hit = Object.entries(DATA_TYPE).find(([, v]) => v === code);
  return hit === undefined ? `data type ${code}` : hit[0];
}

/** `AttributeProto.AttributeType` codes. */
export const ATTRIBUTE_TYPE = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10,
  SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

/** `TensorProto`: dims, element type and data in whichever field held it. */
export interface TensorData {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** `raw_data`, little-endian, a view into the model's bytes. */
  readonly raw: Uint8Array | undefined;
  readonly floatData: readonly number[];
  readonly int32Data: readonly number[];
  readonly int64Data: readonly number[];
  /** Fields we never read values from (`string_data`, `double_data`, `uint64_data`, `segment`), by name. */
  readonly otherData: readonly string[];
  /** `data_location = EXTERNAL` or `external_data` entries. */
  readonly external: boolean;
}

/** `AttributeProto`: its name, declared type and whichever value fields were set. */
export interface AttributeData {
  readonly name: string;
  /** The declared `type`, 0 when the (old) model left it out. */
  readonly type: number;
  readonly f: number | undefined;
  readonly i: number | undefined;
  readonly s: Uint8Array | undefined;
  readonly t: TensorData | undefined;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
  readonly strings: readonly Uint8Array[];
  /** `ref_attr_name` (only meaningful inside functions). */
  readonly refAttrName: string | undefined;
  /** Value fields outside the subset that were set (`g`, `graphs`, `tensors`, `sparse_tensor`, `tp`, …). */
  readonly other: readonly string[];
}

/** `NodeProto`. */
export interface NodeData {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly attributes: readonly AttributeData[];
}

/** `TensorShapeProto.Dimension`: a number, a symbolic name, or neither (unknown). */
export interface DimData {
  readonly value: number | undefined;
  readonly param: string | undefined;
}

/** `TypeProto` as far as this package uses it: a tensor type, or another kind (sequence, map, …) by name. */
export type TypeData =
  | { readonly kind: 'tensor'; readonly elemType: number; readonly shape: readonly DimData[] | undefined }
  | { readonly kind: 'other'; readonly what: string };

/** `ValueInfoProto`. */
export interface ValueInfoData {
  readonly name: string;
  readonly type: TypeData | undefined;
}

/** `GraphProto`. */
export interface GraphData {
  readonly name: string;
  readonly nodes: readonly NodeData[];
  readonly initializers: readonly TensorData[];
  readonly inputs: readonly ValueInfoData[];
  readonly outputs: readonly ValueInfoData[];
  readonly valueInfo: readonly ValueInfoData[];
  readonly sparseInitializers: number;
}

/** `OperatorSetIdProto`. */
export interface OpsetData {
  readonly domain: string;
  readonly version: number;
}

/** `ModelProto`. */
export interface ModelData {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly opsetImports: readonly OpsetData[];
  readonly graph: GraphData | undefined;
  readonly functions: number;
  readonly docString: string;
  /** `metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>;
}
