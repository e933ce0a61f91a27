import { WeightImportError } from '../errors.js';

/** The element types of a `.safetensors` file this package reads (`writeSafetensors` writes `F32` or `F64`). */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';

const WIDTH: Readonly<Record<SafetensorsDType, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };

/** One tensor of a `.safetensors` file: its stored type, its shape and its values widened to float64. */
export interface SafetensorsTensor {
  /** The type stored in the file. */
  readonly dtype: SafetensorsDType;
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Row-major values (integers as numbers, exact up to 2^53). */
  readonly data: Float64Array;
}

/** What `readSafetensors` returns: the tensors by name, and the header's `__metadata__` strings. */
export interface SafetensorsFile {
  /** Every tensor by its name (`weight_ih_l0`, `rnn.bias_hh_l1_reverse`, …). */
  readonly tensors: Readonly<Record<string, SafetensorsTensor>>;
  /** The header's `__metadata__` (empty when there is none). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The largest JSON header read (the format's own limit is 100 MB). */
const MAX_HEADER = 100_000_000;
const FN = 'readSafetensors';

function fail(problem: string): never {
  throw new WeightImportError(FN, problem);
}

/** A half-precision (`F16`) bit pattern as a number. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Reads a `.safetensors` file (a little-endian u64 header length, a JSON header naming each
 * tensor's `dtype`, `shape` and `data_offsets`, then the raw little-endian data), as PyTorch's
 * `safetensors.torch.save_file(model.state_dict(), …)` writes it. Every offset and size is checked
 * against the bytes and the shape before anything is copied; the tensors must tile the data
 * without gaps or overlaps, as the format requires. `F64`, `F32`, `F16`, `BF16`, `I64` and `I32`
 * are read; other types are refused with a `WeightImportError`.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) throw new WeightImportError(FN, 'bytes must be a Uint8Array (a Buffer)');
  if (bytes.length < 8) fail(`${bytes.length} bytes are too few for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const claimed = view.getBigUint64(0, true);
  if (claimed > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) fail(`the header claims ${claimed} bytes; the file has ${bytes.length - 8} after the length`);
  const headerLength = Number(claimed);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, SafetensorsTensor> = {};
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Object.values(entry).some((v) => typeof v !== 'string')) fail('__metadata__ must map strings to strings');
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) fail(`tensor ${name} has no description`);
    const dtype = e.dtype;
    if (typeof dtype !== 'string' || !(dtype in WIDTH)) fail(`tensor ${name} has dtype ${String(dtype)}; only ${Object.keys(WIDTH).join(', ')} are read`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor ${name} has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) fail(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    const width = WIDTH[dtype as SafetensorsDType];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLength) fail(`tensor ${name}'s data_offsets [${begin}, ${end}] fall outside the ${dataLength} data bytes`);
    if (count * width !== end - begin) fail(`tensor ${name} of shape [${(shape as number[]).join(', ')}] and dtype ${dtype} needs ${count * width} bytes, its offsets give ${end - begin}`);
    spans.push([begin, end, name]);
    tensors[name] = { dtype: dtype as SafetensorsDType, shape: [...(shape as number[])], data: decode(view, dataStart + begin, count, dtype as SafetensorsDType) };
  }
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== at) fail(`tensor ${name} starts at data byte ${begin}, expected ${at}: the tensors must tile the data without gaps or overlaps`);
    at = end;
  }
  if (at !== dataLength) fail(`the tensors cover ${at} of the ${dataLength} data bytes`);
  return { tensors, metadata };
}

function decode(view: DataView, offset: number, count: number, dtype: SafetensorsDType): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    if (dtype === 'F64') out[k] = view.getFloat64(offset + 8 * k, true);
    else if (dtype === 'F32') out[k] = view.getFloat32(offset + 4 * k, true);
    else if (dtype === 'F16') out[k] = half(view.getUint16(offset + 2 * k, true));
    else if (dtype === 'BF16') {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint16(0, view.getUint16(offset + 2 * k, true), false);
      out[k] = b.getFloat32(0, false);
    } else if (dtype === 'I64') out[k] = Number(view.getBigInt64(offset + 8 * k, true));
    else out[k] = view.getInt32(offset + 4 * k, true);
  }
  return out;
}

/** A tensor to write: its shape and row-major values. */
export interface SafetensorsInput {
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Row-major values, as many as the shape holds. */
  readonly data: ArrayLike<number>;
}

/**
 * Writes tensors as a `.safetensors` file that `safetensors.torch.load_file` reads: each as `dtype`
 * (`F32` by default, as PyTorch's parameters are; `F64` keeps float64 exactly), in name order,
 * with `metadata` in the header's `__metadata__` (strings only). The header is padded to a
 * multiple of 8 bytes, as the format recommends.
 */
export function writeSafetensors(tensors: Readonly<Record<string, SafetensorsInput>>, metadata: Readonly<Record<string, string>> = {}, dtype: 'F32' | 'F64' = 'F32'): Uint8Array {
  const width = WIDTH[dtype];
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = { ...metadata };
  let at = 0;
  for (const name of names) {
    const t = tensors[name] as SafetensorsInput;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new WeightImportError('writeSafetensors', `tensor ${name} of shape [${t.shape.join(', ')}] has ${t.data.length} values`);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [at, at + count * width] };
    at += count * width;
  }
  let json = JSON.stringify(header);
  const encoded = (): Uint8Array => new TextEncoder().encode(json);
  while (encoded().length % 8 !== 0) json += ' ';
  const head = encoded();
  const out = new Uint8Array(8 + head.length + at);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let offset = 8 + head.length;
  for (const name of names) {
    const t = tensors[name] as SafetensorsInput;
    for (let k = 0; k < t.data.length; k++) {
      if (dtype === 'F32') view.setFloat32(offset, t.data[k] as number, true);
      else view.setFloat64(offset, t.data[k] as number, true);
      offset += width;
    }
  }
  return out;
}
