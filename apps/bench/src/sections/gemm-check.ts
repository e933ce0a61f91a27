/** Two products of the same matrices differ by more than float32 rounding allows: a wrong product, not noise. */
export class GemmMismatchError extends Error {
  override readonly name = 'GemmMismatchError';
  constructor(
    /** The product that disagrees, e.g. `cpu matMul (wasm-simd)`. */
    readonly engine: string,
    /** The reference it was compared with, e.g. `tfjs-wasm tf.matMul`. */
    readonly reference: string,
    /** `(M, K, N)` of `C (M, N) = A (M, K) · B (K, N)`. */
    readonly shape: readonly [number, number, number],
    /** Row-major index into `C` of the worst element. */
    readonly index: number,
    readonly actual: number,
    readonly expected: number,
    readonly tolerance: number,
  ) {
    super(
      `${engine} and ${reference} disagree on (${shape[0]}×${shape[1]})·(${shape[1]}×${shape[2]}): ` +
        `C[${Math.floor(index / shape[2])}, ${index % shape[2]}] = ${actual} vs ${expected}, beyond the float32 tolerance ${tolerance.toExponential(2)}`,
    );
  }
}

/** Unit roundoff of float32, `2^-24`. */
const U32 = 2 ** -24;

/**
 * `|A|·|B|` in float64 for row-major `A (M, K)`, `B (K, N)`: the scale of the rounding error of
 * each element of `A·B` (`|fl(A·B) − A·B| ≤ K·u·|A|·|B|` elementwise, u the unit roundoff).
 */
export function absProduct(A: Float32Array, B: Float32Array, M: number, K: number, N: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const a = Math.abs(A[i * K + k] as number);
      for (let j = 0; j < N; j++) out[i * N + j] = (out[i * N + j] as number) + a * Math.abs(B[k * N + j] as number);
    }
  }
  return out;
}

/**
 * Checks that two float32 products of the same `A (M, K)·B (K, N)` agree within what rounding
 * can explain: `|C₁ − C₂| ≤ 2·K·u·(|A|·|B|)` elementwise (each is within `K·u·|A|·|B|` of the
 * exact product), with `scale = |A|·|B|` from `absProduct`.
 *
 * @throws GemmMismatchError at the element that is furthest beyond its tolerance.
 */
export function checkProduct(engine: string, actual: ArrayLike<number>, reference: string, expected: ArrayLike<number>, scale: Float64Array, shape: readonly [number, number, number]): void {
  const [M, K, N] = shape;
  if (actual.length !== M * N || expected.length !== M * N) throw new Error(`checkProduct: ${engine} returned ${actual.length} values and ${reference} ${expected.length}, expected ${M * N}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < M * N; i++) {
    const excess = Math.abs((actual[i] as number) - (expected[i] as number)) - 2 * K * U32 * (scale[i] as number);
    if (!(excess <= worstExcess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) throw new GemmMismatchError(engine, reference, shape, worst, actual[worst] as number, expected[worst] as number, 2 * K * U32 * (scale[worst] as number));
}
