import { elementCount, stridesOf, type HostValue } from './host-value.js';

/** Empty data of `v`'s kind (`Float32Array` for float32, `Float64Array` for the integers). */
export function emptyLike(v: HostValue, n: number): Float32Array | Float64Array {
  return v.type === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** `v` with its axes permuted: output axis `i` is input axis `perm[i]` (NumPy's `transpose`). */
export function transposeValue(v: HostValue, perm: readonly number[]): HostValue {
  const rank = v.shape.length;
  const shape = perm.map((p) => v.shape[p] as number);
  const inStrides = stridesOf(v.shape);
  const step = perm.map((p) => inStrides[p] as number);
  const n = elementCount(shape);
  const data = emptyLike(v, n);
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let k = 0; k < n; k++) {
    data[k] = v.data[from] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      from += step[axis] as number;
      if ((index[axis] as number) < (shape[axis] as number)) break;
      from -= (step[axis] as number) * (shape[axis] as number);
      index[axis] = 0;
    }
  }
  return { type: v.type, shape, data };
}
