/**
 * Values between the operators of a model: host arrays in ONNX's row-major layout. Floats are
 * float32 (`Float32Array`); the integer types ONNX uses for shapes, axes, indices and
 * `sequence_lens` (`int64`, `int32`) are kept in a `Float64Array`, exact up to 2^53 (larger
 * values are clamped by the operators that take them: a `Slice` end of INT64_MAX, say).
 */

/** The element types this package computes with. */
export type ElemType = 'float32' | 'int64' | 'int32';

/** A value on the host: its element type, ONNX shape and row-major data. */
export interface HostValue {
  readonly type: ElemType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

/** A dimension known when the model loads, or `null` when it depends on the feeds. */
export type Dim = number | null;

/**
 * What the loader knows about a value before any run: its element type, its shape (dims may be
 * `null`; `undefined` when even the rank is unknown) and, for constants, the value itself.
 */
export interface Known {
  readonly type: ElemType;
  readonly shape: readonly Dim[] | undefined;
  readonly value?: HostValue | undefined;
}

/** Bounds that keep a model from allocating without limit. */
export interface Limits {
  /** The most elements one value may hold. */
  readonly maxElements: number;
}

/** The default `maxElements`: 2^27 (512 MiB of float32). */
export const DEFAULT_MAX_ELEMENTS = 2 ** 27;

/** The number of elements of a concrete shape. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The element count of a partly known shape, or null when a dim or the rank is unknown. */
export function knownCount(shape: readonly Dim[] | undefined): number | null {
  if (shape === undefined) return null;
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Formats a partly known shape: `[T, 2, ?]`. */
export function formatDims(shape: readonly Dim[] | undefined): string {
  return shape === undefined ? '[unknown rank]' : `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * Allocates the data of a value of `shape`, refusing (through `fail`) a shape with a negative or
 * non-integer dimension or more elements than `limits.maxElements`, before allocating.
 */
export function allocateValue(type: ElemType, shape: readonly number[], limits: Limits, fail: (problem: string) => never, what: string): HostValue {
  checkShape(shape, limits, fail, what);
  const n = elementCount(shape);
  return { type, shape: [...shape], data: type === 'float32' ? new Float32Array(n) : new Float64Array(n) };
}

/** Refuses a shape with a bad dimension or too many elements (through `fail`). */
export function checkShape(shape: readonly Dim[], limits: Limits, fail: (problem: string) => never, what: string): void {
  let n = 1;
  for (const d of shape) {
    if (d === null) continue;
    if (!Number.isSafeInteger(d) || d < 0) fail(`${what} has dimension ${d}, which is not a non-negative integer`);
    n *= d;
  }
  if (n > limits.maxElements) fail(`${what} of shape ${formatDims(shape)} would hold ${n} elements, more than the limit of ${limits.maxElements} (OnnxLoadOptions.maxElements)`);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

/** The integers of a 1-D (or scalar) integer value, as numbers. */
export function integers(v: HostValue): number[] {
  return Array.from(v.data);
}
