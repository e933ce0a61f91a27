/** Element types a tensor can hold. `float64` is the default and matches NumPy. */
export type DType = 'float32' | 'float64';

/** The flat typed array behind a tensor of either dtype. */
export type DataArray = Float32Array | Float64Array;

/** Every dtype, in a stable order, for loops in tests and benchmarks. */
export const DTYPES: readonly DType[] = ['float64', 'float32'];

/** Allocates a zero-filled typed array of `size` elements for `dtype`. */
export function allocate(size: number, dtype: DType): DataArray {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

/** Copies `values` into a new typed array of `dtype` (rounding to float32 when asked). */
export function toDataArray(values: ArrayLike<number>, dtype: DType): DataArray {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

/** Number of elements of a shape: the product of its dimensions (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Formats a shape the way error messages print it: `[5, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** True when two shapes have the same rank and dimensions. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}
