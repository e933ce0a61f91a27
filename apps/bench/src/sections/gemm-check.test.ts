import { describe, expect, it } from 'vitest';
import { absProduct, checkProduct, GemmMismatchError } from './gemm-check.js';

/** `A·B` accumulated in float32, in the given order of k. */
function product32(A: Float32Array, B: Float32Array, M: number, K: number, N: number, ks: readonly number[]): Float32Array {
  const C = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = Math.fround(0);
      for (const k of ks) s = Math.fround(s + Math.fround((A[i * K + k] as number) * (B[k * N + j] as number)));
      C[i * N + j] = s;
    }
  }
  return C;
}

describe('checkProduct', () => {
  const [M, K, N] = [6, 200, 5];
  const A = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 1.7) * 3);
  const B = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3) * 2);
  const forward = Array.from({ length: K }, (_, k) => k);
  const expected = product32(A, B, M, K, N, forward);
  const scale = absProduct(A, B, M, K, N);

  it('accepts the same product summed in another order (float32 rounding only)', () => {
    const reordered = product32(A, B, M, K, N, [...forward].reverse());
    expect(reordered).not.toEqual(expected);
    expect(() => checkProduct('reversed', reordered, 'forward', expected, scale, [M, K, N])).not.toThrow();
  });

  it('refuses a product that dropped one term, naming the element', () => {
    const dropped = product32(A, B, M, K, N, forward.slice(1));
    expect(() => checkProduct('dropped', dropped, 'forward', expected, scale, [M, K, N])).toThrow(GemmMismatchError);
    expect(() => checkProduct('dropped', dropped, 'forward', expected, scale, [M, K, N])).toThrow(/dropped and forward disagree on \(6×200\)·\(200×5\): C\[\d, \d\]/);
  });

  it('refuses NaN and a wrong length', () => {
    const nan = expected.slice();
    nan[7] = NaN;
    expect(() => checkProduct('nan', nan, 'forward', expected, scale, [M, K, N])).toThrow(/C\[1, 2\] = NaN/);
    expect(() => checkProduct('short', expected.subarray(1), 'forward', expected, scale, [M, K, N])).toThrow(/returned 29 values/);
  });
});
