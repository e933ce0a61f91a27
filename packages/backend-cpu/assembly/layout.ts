// Moves between the public layout, time last `(n, m, T)`, and the engine's, time major with the
// batch padded to whole vectors `(T, n, m_pad)`, so that every step is one contiguous slab.

/** `dst (T, n, mp)` from `src (n, m, T)`: `dst[t, i, j] = src[i, j, t]`, columns `j ≥ m` zero. */
export function toTimeMajor<T>(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void {
  const size = <usize>sizeof<T>();
  memory.fill(dst, 0, <usize>(steps * n * mp) * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const from = src + <usize>((i * m + j) * steps) * size;
      let to = dst + <usize>(i * mp + j) * size;
      const stepBytes = <usize>(n * mp) * size;
      for (let t = 0; t < steps; t++) {
        store<T>(to, load<T>(from + <usize>t * size));
        to += stepBytes;
      }
    }
  }
}

/** `dst (n, m, T)` from `src (T, n, mp)`: the inverse of `toTimeMajor`, padding dropped. */
export function fromTimeMajor<T>(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void {
  const size = <usize>sizeof<T>();
  const stepBytes = <usize>(n * mp) * size;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let from = src + <usize>(i * mp + j) * size;
      const to = dst + <usize>((i * m + j) * steps) * size;
      for (let t = 0; t < steps; t++) {
        store<T>(to + <usize>t * size, load<T>(from));
        from += stepBytes;
      }
    }
  }
}

/** For each of `batch` blocks: `dst_b[c, r] = src_b[r, c]` for `src_b (rows, cols)` with row stride `lds`, `dst_b` with row stride `ldd`. */
export function transposeBlocks<T>(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void {
  const size = <usize>sizeof<T>();
  for (let bi = 0; bi < batch; bi++) {
    const s = src + <usize>(bi * strideSrc) * size;
    const d = dst + <usize>(bi * strideDst) * size;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) store<T>(d + <usize>(c * ldd + r) * size, load<T>(s + <usize>(r * lds + c) * size));
    }
  }
}
