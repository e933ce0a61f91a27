import type { DataArray } from '@rnn/tensor';

/** Anything the matrix loops read from: a tensor's storage or a float64 scratch buffer. */
export type Values = DataArray;

/** `src (rows, cols)` → its transpose `(cols, rows)` as float64. */
export function transpose(src: Values, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[row + c] as number;
  }
  return out;
}

/**
 * `out (M,N) += A (M,K) · Bᵀ` with `B (N,K)`: every output is a dot product of two contiguous
 * rows. Blocked 2 rows of `A` × 4 rows of `B`, so each loaded value feeds several of the
 * eight running sums held in registers; this is the one product loop the others build on.
 */
export function gemmNT(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const a0 = i * K;
    const a1 = a0 + K;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      const b0 = j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k] as number;
        const x1 = a[a1 + k] as number;
        const y0 = b[b0 + k] as number;
        const y1 = b[b1 + k] as number;
        const y2 = b[b2 + k] as number;
        const y3 = b[b3 + k] as number;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const o0 = i * N + j;
      const o1 = o0 + N;
      out[o0] = (out[o0] as number) + s00;
      out[o0 + 1] = (out[o0 + 1] as number) + s01;
      out[o0 + 2] = (out[o0 + 2] as number) + s02;
      out[o0 + 3] = (out[o0 + 3] as number) + s03;
      out[o1] = (out[o1] as number) + s10;
      out[o1 + 1] = (out[o1 + 1] as number) + s11;
      out[o1 + 2] = (out[o1 + 2] as number) + s12;
      out[o1 + 3] = (out[o1 + 3] as number) + s13;
    }
    for (; j < N; j++) {
      const bj = j * K;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < K; k++) {
        const y = b[bj + k] as number;
        s0 += (a[a0 + k] as number) * y;
        s1 += (a[a1 + k] as number) * y;
      }
      out[i * N + j] = (out[i * N + j] as number) + s0;
      out[(i + 1) * N + j] = (out[(i + 1) * N + j] as number) + s1;
    }
  }
  for (; i < M; i++) {
    const ai = i * K;
    for (let j = 0; j < N; j++) {
      const bj = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += (a[ai + k] as number) * (b[bj + k] as number);
      out[i * N + j] = (out[i * N + j] as number) + s;
    }
  }
}

/** `out (M,N) += A (M,K) · B (K,N)`: `B` is transposed once so the product runs as row dots. */
export function gemmNN(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  gemmNT(a, transpose(b, K, N), out, M, K, N);
}

/** `out (M,N) += Aᵀ · B` with `A (K,M)` and `B (K,N)`: gradients flowing back through a weight. */
export function gemmTN(a: Values, b: Values, out: Float64Array, M: number, K: number, N: number): void {
  gemmNT(transpose(a, K, M), transpose(b, K, N), out, M, K, N);
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
