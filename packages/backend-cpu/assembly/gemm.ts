// The one matrix product of the engine: C (M×N) [+]= A·B with A packed into panels of MR rows.
//
// Every product of an LSTM/RNN sequence is this shape once its operands are laid out:
// `W·[a; x]`, `Wᵀ·dG`, the output layer, and the weight gradients `dG·concatᵀ` (A = dG packed
// along all T·m columns). Rows of C are vectorised along N (the padded batch), N a multiple of
// the lane count. A 4×(2 vectors) register block keeps eight accumulators and reads each B
// vector once per four rows; K is cut into chunks so a chunk of B stays in cache while every
// panel of A passes over it.

/** Rows of A per packed panel (and of the register block). */
export const MR: i32 = 4;

/** Columns of A's K dimension handled per cache chunk. */
const KC: i32 = 256;

/**
 * Packs A into panels of MR rows: panel p stores, for each k, the MR values A[p·MR + r, k]
 * (rows past M are zero). Element (i, k), with k = s·L + l split into S segments of L, is read
 * at `a + (s·segStride + i·rowStride + l·colStride)·sizeof<T>()`; one segment (S = 1, L = K)
 * is a plain strided matrix, and colStride = 1 with a row stride of 1… reads a transpose.
 */
export function packA<T>(a: usize, rowStride: i32, colStride: i32, segStride: i32, L: i32, S: i32, M: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  const K = L * S;
  for (let p = 0; p < M; p += MR) {
    let out = dst + <usize>(p * K) * size;
    for (let s = 0; s < S; s++) {
      for (let l = 0; l < L; l++) {
        const col = s * segStride + l * colStride;
        for (let r = 0; r < MR; r++) {
          const row = p + r;
          store<T>(out, row < M ? load<T>(a + <usize>(row * rowStride + col) * size) : <T>0);
          out += size;
        }
      }
    }
  }
}

/** Length of `packA`'s output in elements. */
export function packedLength(M: i32, K: i32): i32 {
  return ((M + MR - 1) / MR) * MR * K;
}

// @ts-ignore: decorator
@inline function storeRow<T>(c: usize, v: v128, accumulate: bool): void {
  v128.store(c, accumulate ? v128.add<T>(v128.load(c), v) : v);
}

/** One 4-row × 2-vector block over `kc` values of K. */
// @ts-ignore: decorator
@inline function block2<T>(pa: usize, kc: i32, b: usize, ldbBytes: usize, c: usize, ldcBytes: usize, rows: i32, accumulate: bool): void {
  const size = <usize>sizeof<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load_splat<T>(pa);
    const a1 = v128.load_splat<T>(pa + size);
    const a2 = v128.load_splat<T>(pa + 2 * size);
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0)); c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0)); c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0)); c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0)); c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    b += ldbBytes;
    pa += 4 * size;
  }
  storeRow<T>(c, c00, accumulate); storeRow<T>(c + 16, c01, accumulate);
  if (rows > 1) { c += ldcBytes; storeRow<T>(c, c10, accumulate); storeRow<T>(c + 16, c11, accumulate); }
  if (rows > 2) { c += ldcBytes; storeRow<T>(c, c20, accumulate); storeRow<T>(c + 16, c21, accumulate); }
  if (rows > 3) { c += ldcBytes; storeRow<T>(c, c30, accumulate); storeRow<T>(c + 16, c31, accumulate); }
}

/** One 4-row × 1-vector block, for the last columns when N is an odd number of vectors. */
// @ts-ignore: decorator
@inline function block1<T>(pa: usize, kc: i32, b: usize, ldbBytes: usize, c: usize, ldcBytes: usize, rows: i32, accumulate: bool): void {
  const size = <usize>sizeof<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    c0 = v128.add<T>(c0, v128.mul<T>(v128.load_splat<T>(pa), b0));
    c1 = v128.add<T>(c1, v128.mul<T>(v128.load_splat<T>(pa + size), b0));
    c2 = v128.add<T>(c2, v128.mul<T>(v128.load_splat<T>(pa + 2 * size), b0));
    c3 = v128.add<T>(c3, v128.mul<T>(v128.load_splat<T>(pa + 3 * size), b0));
    b += ldbBytes;
    pa += 4 * size;
  }
  storeRow<T>(c, c0, accumulate);
  if (rows > 1) { c += ldcBytes; storeRow<T>(c, c1, accumulate); }
  if (rows > 2) { c += ldcBytes; storeRow<T>(c, c2, accumulate); }
  if (rows > 3) { c += ldcBytes; storeRow<T>(c, c3, accumulate); }
}

/**
 * For each of `batch` problems: C_b (M×N, row stride ldc) [+]= Ap · B_b (K×N, row stride ldb),
 * with B_b = b + bi·strideB and C_b = c + bi·strideC (all in elements) and one packed A shared
 * by all. N must be a multiple of the lane count (4 for f32, 2 for f64).
 */
export function gemmPacked<T>(ap: usize, M: i32, K: i32, b: usize, ldb: i32, strideB: i32, c: usize, ldc: i32, strideC: i32, N: i32, batch: i32, accumulate: bool): void {
  const size = <usize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  const ldbBytes = <usize>ldb * size;
  const ldcBytes = <usize>ldc * size;
  for (let bi = 0; bi < batch; bi++) {
    const bBase = b + <usize>(bi * strideB) * size;
    const cBase = c + <usize>(bi * strideC) * size;
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      const acc = accumulate || k0 > 0;
      for (let p = 0; p < M; p += MR) {
        const rows = min(MR, M - p);
        const pa = ap + <usize>(p * K + k0 * MR) * size;
        const bRow = bBase + <usize>k0 * ldbBytes;
        const cRow = cBase + <usize>p * ldcBytes;
        let j = 0;
        for (; j + 2 * lanes <= N; j += 2 * lanes) block2<T>(pa, kc, bRow + <usize>j * size, ldbBytes, cRow + <usize>j * size, ldcBytes, rows, acc);
        if (j < N) block1<T>(pa, kc, bRow + <usize>j * size, ldbBytes, cRow + <usize>j * size, ldcBytes, rows, acc);
      }
    }
  }
}
