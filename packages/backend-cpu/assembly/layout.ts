// Moves between the public layout, time last `(n, m, T)`, and the engine's, time major with the
// batch padded to whole vectors `(T, n, m_pad)`, so that every step is one contiguous slab.
// For each feature row i both are 2-D transposes between the batch and time axes; they move
// 4×4 (f32) or 2×2 (f64) tiles through registers with shuffles, and single values at the edges.

// @ts-ignore: decorator
@inline function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Transposes one tile: `dst[c·ldd + r] = src[r·lds + c]` for a lanes×lanes tile (byte strides). */
// @ts-ignore: decorator
@inline function tile<T>(src: usize, ldsBytes: usize, dst: usize, lddBytes: usize): void {
  if (sizeof<T>() == 4) {
    const r0 = v128.load(src);
    const r1 = v128.load(src + ldsBytes);
    const r2 = v128.load(src + 2 * ldsBytes);
    const r3 = v128.load(src + 3 * ldsBytes);
    const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
    const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
    v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(dst + lddBytes, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(dst + 2 * lddBytes, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(dst + 3 * lddBytes, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
  } else {
    const r0 = v128.load(src);
    const r1 = v128.load(src + ldsBytes);
    v128.store(dst, i64x2.shuffle(r0, r1, 0, 2));
    v128.store(dst + lddBytes, i64x2.shuffle(r0, r1, 1, 3));
  }
}

/** `dst[c, r] = src[r, c]` for `src (rows, cols)`; row strides in elements. */
function transpose2d<T>(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, ldd: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const ldsBytes = <usize>lds * size;
  const lddBytes = <usize>ldd * size;
  const rowsTiled = rows - rows % L;
  const colsTiled = cols - cols % L;
  for (let r = 0; r < rowsTiled; r += L) {
    for (let c = 0; c < colsTiled; c += L) {
      tile<T>(src + <usize>(r * lds + c) * size, ldsBytes, dst + <usize>(c * ldd + r) * size, lddBytes);
    }
    for (let c = colsTiled; c < cols; c++) {
      for (let q = r; q < r + L; q++) store<T>(dst + <usize>(c * ldd + q) * size, load<T>(src + <usize>(q * lds + c) * size));
    }
  }
  for (let r = rowsTiled; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<T>(dst + <usize>(c * ldd + r) * size, load<T>(src + <usize>(r * lds + c) * size));
  }
}

/** `dst (T, n, mp)` from `src (n, m, T)`: `dst[t, i, j] = src[i, j, t]`, columns `j ≥ m` zero. */
export function toTimeMajor<T>(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void {
  const size = <usize>sizeof<T>();
  if (m < mp) memory.fill(dst, 0, <usize>(steps * n * mp) * size);
  // For feature row i: src_i (m, T) → dst_i (T, m) with row stride n·mp.
  for (let i = 0; i < n; i++) transpose2d<T>(src + <usize>(i * m * steps) * size, m, steps, steps, dst + <usize>(i * mp) * size, n * mp);
}

/** `dst (n, m, T)` from `src (T, n, mp)`: the inverse of `toTimeMajor`, padding dropped. */
export function fromTimeMajor<T>(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void {
  const size = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) transpose2d<T>(src + <usize>(i * mp) * size, steps, m, n * mp, dst + <usize>(i * m * steps) * size, steps);
}

/** For each of `batch` blocks: `dst_b[c, r] = src_b[r, c]` for `src_b (rows, cols)` with row stride `lds`, `dst_b` with row stride `ldd`. */
export function transposeBlocks<T>(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void {
  const size = <usize>sizeof<T>();
  for (let bi = 0; bi < batch; bi++) transpose2d<T>(src + <usize>(bi * strideSrc) * size, rows, cols, lds, dst + <usize>(bi * strideDst) * size, ldd);
}
