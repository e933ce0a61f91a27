import { DATA_TYPE, dataTypeName, type TensorData } from '../proto/onnx-types.js';
import { allocateValue, type ElemType, type HostValue, type Limits } from './host-value.js';
import type { Fail } from './shape.js';

/** The ONNX data type codes this package computes with, and their element types. */
export const ELEM_TYPES: ReadonlyMap<number, ElemType> = new Map([
  [DATA_TYPE.FLOAT, 'float32'],
  [DATA_TYPE.INT64, 'int64'],
  [DATA_TYPE.INT32, 'int32'],
]);

/** The element type of data type `code`, refusing the ones this package does not run. */
export function elemTypeOf(code: number, fail: Fail, what: string): ElemType {
  const t = ELEM_TYPES.get(code);
  if (t === undefined) fail(`${what} has data type ${dataTypeName(code)}; only FLOAT, INT32 and INT64 are supported`);
  return t;
}

/**
 * A `TensorProto` (an initializer or a `Constant`'s value) as a host value, checking its type,
 * dims, element count (against `limits` before allocating) and that its data holds exactly that
 * many elements, from `raw_data` or the typed field.
 */
export function tensorValue(t: TensorData, limits: Limits, fail: Fail, what: string): HostValue {
  if (t.external) fail(`${what} keeps its data outside the model (external data), which is not supported: save the model with its weights inside`);
  const type = elemTypeOf(t.dataType, fail, what);
  if (t.otherData.length > 0) fail(`${what} stores data in ${t.otherData.join(', ')}, which a ${dataTypeName(t.dataType)} tensor does not use`);
  const value = allocateValue(type, t.dims, limits, fail, what);
  const n = value.data.length;
  const width = type === 'int64' ? 8 : 4;
  const typed = type === 'float32' ? t.floatData : type === 'int32' ? t.int32Data : t.int64Data;
  const wrongField = (type === 'float32' ? [t.int32Data, t.int64Data] : type === 'int32' ? [t.floatData, t.int64Data] : [t.floatData, t.int32Data]).some((d) => d.length > 0);
  if (wrongField) fail(`${what} is ${dataTypeName(t.dataType)} but holds data in another type's field`);
  if (t.raw !== undefined) {
    if (typed.length > 0) fail(`${what} holds both raw_data and typed data`);
    if (t.raw.length !== n * width) fail(`${what} of shape [${t.dims.join(', ')}] needs ${n * width} bytes of raw_data, got ${t.raw.length}`);
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    for (let k = 0; k < n; k++) {
      value.data[k] = type === 'float32' ? view.getFloat32(4 * k, true) : type === 'int32' ? view.getInt32(4 * k, true) : Number(view.getBigInt64(8 * k, true));
    }
    return value;
  }
  if (typed.length !== n) fail(`${what} of shape [${t.dims.join(', ')}] has ${n} elements but ${typed.length} values`);
  value.data.set(typed);
  return value;
}
