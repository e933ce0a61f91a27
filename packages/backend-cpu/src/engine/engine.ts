import type { DataArray, DType } from '@rnn/tensor';
import type { HeapAllocator } from './heap-allocator.js';

/** What executes the CPU kernels: WebAssembly SIMD128, or plain TypeScript loops where that is missing. */
export type EngineMode = 'wasm-simd' | 'js';

/**
 * The batch dimension inside the engine is padded to a multiple of this, so that every row of
 * a `(rows, m)` block is whole SIMD vectors (4 float32 or 2×2 float64 lanes). Padding columns
 * hold zeros on the way in and are dropped on the way out.
 */
export const BATCH_PAD = 4;

/** `m` rounded up to a multiple of `BATCH_PAD`. */
export function padBatch(m: number): number {
  return Math.ceil(m / BATCH_PAD) * BATCH_PAD;
}

/**
 * The primitives of one dtype, on the engine's heap. Pointers are element indices into the
 * heap of that dtype (`heap()`), sizes and strides count elements. Both engines implement the
 * same functions with the same arguments, so a kernel written once runs on either.
 */
export interface EngineOps {
  readonly dtype: DType;
  /** The whole heap as a typed array of this dtype; take it again after any `alloc`. */
  heap(): DataArray;
  /**
   * Packs A `(M, K)` into panels of 4 rows for `gemm`. Element `(i, k)`, with `k = s·L + l`
   * over `S` segments of `L`, is read at `a + s·segStride + i·rowStride + l·colStride`.
   */
  packA(a: number, rowStride: number, colStride: number, segStride: number, L: number, S: number, M: number, dst: number): void;
  /** Elements `packA` writes for `(M, K)`. */
  packedLength(M: number, K: number): number;
  /**
   * For each of `batch` problems: `C_b (M×N) [+]= A · B_b (K×N)` with `A` packed by `packA`,
   * `B_b = b + bi·strideB` (row stride `ldb`), `C_b = c + bi·strideC` (row stride `ldc`);
   * `N` a multiple of `BATCH_PAD`.
   */
  gemm(ap: number, M: number, K: number, b: number, ldb: number, strideB: number, c: number, ldc: number, strideC: number, N: number, batch: number, accumulate: boolean): void;
  /**
   * One LSTM step forward for the hidden units `[u0, u1)`: `G += W_a·hPrev` for those rows of the
   * four gates (`wa` packed `(4·n_a, K)`), then `g` → `[ft; it; cct; ot]`, `c`, `h` for those
   * units. `mask` (0 for none) is the step's row of `stepMasks`: columns off keep their state.
   * Disjoint unit ranges may run at once.
   */
  lstmStep(wa: number, K: number, hPrev: number, g: number, cPrev: number, c: number, h: number, mask: number, nA: number, mp: number, u0: number, u1: number): void;
  /**
   * One LSTM step backward for the units `[u0, u1)`: with `withCarry`, first
   * `daCarry += W_aᵀ·dGNext` for those rows (`waT` packed `(n_a, 4·n_a)`), then `dG` of those units
   * from `dh + daCarry` and `dcCarry`, which becomes `dc ⊙ ft`, and `daCarry ← 0` (masked columns:
   * `dG = 0`, carries kept).
   */
  lstmBackStep(waT: number, dGNext: number, daCarry: number, dh: number, dcCarry: number, c: number, cPrev: number, g: number, dG: number, mask: number, nA: number, mp: number, u0: number, u1: number, withCarry: boolean): void;
  /** One RNN step forward for the units `[u0, u1)`: `z += Waa·hPrev` for those rows, `h = tanh(z)`. */
  rnnStep(wa: number, hPrev: number, z: number, h: number, mask: number, nA: number, mp: number, u0: number, u1: number): void;
  /** One RNN step backward for the units `[u0, u1)`: with `withCarry`, first `daCarry += Waaᵀ·dzNext`, then `dz = (1 − h²) ⊙ (dh + daCarry)`, `daCarry ← 0`. */
  rnnBackStep(waT: number, dzNext: number, daCarry: number, dh: number, h: number, dz: number, mask: number, nA: number, mp: number, u0: number, u1: number, withCarry: boolean): void;
  /**
   * One GRU step forward for the units `[u0, u1)`: `g[0:3] += [Wz_a; Wr_a; Whh]·hPrev` (`w`
   * packed `(3·n_a, n_a)`), then `g = [zt; rt; hh; hct]` and `h = (1 − zt) ⊙ hct + zt ⊙ hPrev`.
   */
  gruStep(w: number, hPrev: number, g: number, h: number, mask: number, nA: number, mp: number, u0: number, u1: number): void;
  /**
   * One GRU step backward for the units `[u0, u1)`: with `withCarry`, first
   * `daCarry += [Wz_a; Wr_a; Whh]ᵀ·dGNext[0:3]`, then `dG = [dz; dr; dhh; dhpre]` and `daCarry ← da ⊙ zt`.
   */
  gruBackStep(wT: number, dGNext: number, daCarry: number, dh: number, hPrev: number, g: number, dG: number, mask: number, nA: number, mp: number, u0: number, u1: number, withCarry: boolean): void;
  /**
   * LSTM step forward with ONNX's options, all units: peepholes `peep` (`[Pi; Po; Pf]`, three
   * `n_a` vectors; 0 for none), pre-activations clamped to `[−clip, clip]` (Infinity for none),
   * `ft = 1 − it` when `coupled`.
   */
  lstmStepVariant(wa: number, K: number, hPrev: number, g: number, cPrev: number, c: number, h: number, mask: number, nA: number, mp: number, peep: number, clip: number, coupled: boolean): void;
  /** RNN step forward with pre-activations clamped to `[−clip, clip]`, all units. */
  rnnStepVariant(wa: number, hPrev: number, z: number, h: number, mask: number, nA: number, mp: number, clip: number): void;
  /**
   * GRU step forward with pre-activations clamped to `[−clip, clip]`, all units; `resetAfter` false
   * applies the reset gate before the recurrent product (`whh`: `Whh` packed on its own; `rh`: `n_a·mp` scratch).
   */
  gruStepVariant(w: number, whh: number, hPrev: number, g: number, h: number, rh: number, mask: number, nA: number, mp: number, clip: number, resetAfter: boolean): void;
  /** Column softmax of `batch` blocks `(rows, cols)`, in place. */
  softmaxColumns(z: number, rows: number, cols: number, stride: number, batch: number): void;
  /** `c[r, j] = b[r]` for `batch` blocks `(rows, cols)`. */
  fillRows(c: number, b: number, rows: number, cols: number, stride: number, batch: number): void;
  /** `out[r] [+]= Σ` of row `r` over `batch` blocks `(rows, cols)`. */
  sumRows(a: number, rows: number, cols: number, stride: number, batch: number, out: number, accumulate: boolean): void;
  /** Applies `exp`, `sigmoid` or `tanh` to `n` elements in place (`n` a multiple of `BATCH_PAD`): the vector functions alone, for tests. */
  mapInPlace(fn: 'exp' | 'sigmoid' | 'tanh', a: number, n: number): void;
  /** `out = a + b` over `n` elements (`n` a multiple of `BATCH_PAD`). */
  add(a: number, b: number, out: number, n: number): void;
  /** `dst (T, n, mp)` from `src (n, m, T)`, padding columns zeroed. */
  toTimeMajor(src: number, n: number, m: number, T: number, dst: number, mp: number): void;
  /** `dst (n, m, T)` from `src (T, n, mp)`. */
  fromTimeMajor(src: number, n: number, m: number, T: number, dst: number, mp: number): void;
  /** `dst_b[c, r] = src_b[r, c]` for `batch` blocks. */
  transposeBlocks(src: number, rows: number, cols: number, lds: number, strideSrc: number, dst: number, ldd: number, strideDst: number, batch: number): void;
}

/** A heap, its allocator and the primitives over it, for float32 and float64. */
export interface Engine {
  readonly mode: EngineMode;
  /** The primitives of one dtype. */
  ops(dtype: DType): EngineOps;
  /** Blocks of the heap (byte offsets); the heap grows as they need. */
  readonly allocator: HeapAllocator;
  /** Bytes the heap holds now. */
  readonly byteLength: number;
}
