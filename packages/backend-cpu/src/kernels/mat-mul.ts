import type { DataArray } from '@rnn/tensor';

/** Anything the matrix loops read from: a tensor's storage or a float64 scratch buffer. */
export type Values = DataArray;

/**
 * `out (M,N) += A (M,K) · B (K,N)`, all row-major. The i-k-j loop order walks `B` and `out`
 * along rows, so the inner loop is a contiguous axpy.
 */
export function gemmNN(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const outRow = i * N;
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k] as number;
      if (aik === 0) continue;
      const bRow = k * N;
      for (let j = 0; j < N; j++) out[outRow + j] = (out[outRow + j] as number) + aik * (b[bRow + j] as number);
    }
  }
}

/** `out (M,N) += Aᵀ · B` with `A (K,M)` and `B (K,N)`: gradients flowing back through a weight. */
export function gemmTN(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  for (let k = 0; k < K; k++) {
    const aRow = k * M;
    const bRow = k * N;
    for (let i = 0; i < M; i++) {
      const aki = a[aRow + i] as number;
      if (aki === 0) continue;
      const outRow = i * N;
      for (let j = 0; j < N; j++) out[outRow + j] = (out[outRow + j] as number) + aki * (b[bRow + j] as number);
    }
  }
}

/** `out (M,N) += A · Bᵀ` with `A (M,K)` and `B (N,K)`: weight gradients `dW = dz · inputᵀ`. */
export function gemmNT(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const aRow = i * K;
    for (let j = 0; j < N; j++) {
      const bRow = j * K;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (a[aRow + k] as number) * (b[bRow + k] as number);
      out[i * N + j] = (out[i * N + j] as number) + sum;
    }
  }
}

/** `out (n,1) += Σ_columns z` for `z (n,m)`: bias gradients. */
export function sumColumnsInto(z: Values, out: Float64Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += z[i * m + j] as number;
    out[i] = (out[i] as number) + sum;
  }
}

/** Softmax down each column of `z (n,m)` in place, shifted by the column maximum for stability. */
export function softmaxColumnsInPlace(z: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) max = Math.max(max, z[i * m + j] as number);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp((z[i * m + j] as number) - max);
      z[i * m + j] = e;
      sum += e;
    }
    for (let i = 0; i < n; i++) z[i * m + j] = (z[i * m + j] as number) / sum;
  }
}

/** `z (n,m) += b (n,1)` broadcast over columns. */
export function addBiasInPlace(z: Float64Array, b: Values, n: number, m: number): void {
  for (let i = 0; i < n; i++) {
    const bi = b[i] as number;
    for (let j = 0; j < m; j++) z[i * m + j] = (z[i * m + j] as number) + bi;
  }
}
