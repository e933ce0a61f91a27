import { describe, expect, it } from 'vitest';
import { compareClose } from '@rnn/tensor/testing';
import { createCpuBackend } from '../index.js';

function reference(A: ArrayLike<number>, B: ArrayLike<number>, M: number, K: number, N: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (A[i * K + k] as number) * (B[k * N + j] as number);
    C[i * N + j] = s;
  }
  return C;
}

describe('CpuBackend.matMul', () => {
  for (const engine of ['wasm-simd', 'js'] as const) {
    for (const [M, K, N] of [[1, 1, 1], [5, 3, 7], [512, 128, 32], [13, 300, 10], [64, 257, 9]] as const) {
      it(`${engine}: (${M}×${K})·(${K}×${N}) matches a plain triple loop in float64 and float32`, () => {
        const backend = createCpuBackend({ engine });
        const A = Float64Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.7));
        const B = Float64Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3));
        expect(compareClose(backend.matMul(A, B, M, K, N), reference(A, B, M, K, N), { rtol: 1e-12, atol: 1e-12 }).ok).toBe(true);
        const A32 = Float32Array.from(A);
        const B32 = Float32Array.from(B);
        const C32 = backend.matMul(A32, B32, M, K, N);
        expect(C32).toBeInstanceOf(Float32Array);
        expect(compareClose(C32, reference(A32, B32, M, K, N), { rtol: 1e-4, atol: 1e-4 }).ok).toBe(true);
      });
    }
  }

  it('a prepared left factor gives the same products, many times, and frees its memory', () => {
    const backend = createCpuBackend();
    const A = Float32Array.from({ length: 64 * 40 }, (_, i) => Math.sin(i));
    const packed = backend.prepareMatMul(A, 64, 40);
    for (const N of [32, 7]) {
      const B = Float32Array.from({ length: 40 * N }, (_, i) => Math.cos(i * 0.1));
      expect(Array.from(packed.multiply(B, N))).toEqual(Array.from(backend.matMul(A, B, 64, 40, N)));
    }
    packed.dispose();
    expect(() => packed.multiply(new Float32Array(40), 1)).toThrow(/was disposed/);
  });

  it('refuses mismatched lengths and dtypes with typed errors', () => {
    const backend = createCpuBackend();
    expect(() => backend.matMul(new Float64Array(6), new Float64Array(6), 2, 3, 3)).toThrow(/matMul: B holds 6 values/);
    expect(() => backend.matMul(new Float64Array(6), new Float32Array(6), 2, 3, 2)).toThrow(/matMul: B has another dtype/);
  });
});
