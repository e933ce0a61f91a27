/** NumPy's `gradient_check` measure: `‖g − g_fd‖ / (‖g‖ + ‖g_fd‖)`; 0 when both are exactly zero (a weight the loss does not reach). */
export function relativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  let diff = 0;
  let a = 0;
  let n = 0;
  for (let i = 0; i < analytic.length; i++) {
    diff += ((analytic[i] as number) - (numeric[i] as number)) ** 2;
    a += (analytic[i] as number) ** 2;
    n += (numeric[i] as number) ** 2;
  }
  return a === 0 && n === 0 ? 0 : Math.sqrt(diff) / (Math.sqrt(a) + Math.sqrt(n));
}

/**
 * Five-point central differences `(−f(θ+2ε) + 8f(θ+ε) − 8f(θ−ε) + f(θ−2ε)) / 12ε` for every element
 * of `values`, changed in place and restored. Its truncation error is O(ε⁴), so a large `ε` keeps
 * the rounding of a loss summed over many steps (≈ 1e-16·|f|/ε) far below the 1e-7 the checks ask.
 */
export async function numericGradient(values: Float64Array, f: () => number | Promise<number>, eps = 1e-3): Promise<Float64Array> {
  const out = new Float64Array(values.length);
  const at = async (i: number, v: number): Promise<number> => {
    values[i] = v;
    return f();
  };
  for (let i = 0; i < values.length; i++) {
    const keep = values[i] as number;
    const [p2, p1, m1, m2] = [await at(i, keep + 2 * eps), await at(i, keep + eps), await at(i, keep - eps), await at(i, keep - 2 * eps)];
    values[i] = keep;
    out[i] = (-p2 + 8 * p1 - 8 * m1 + m2) / (12 * eps);
  }
  return out;
}

/** Random encoded names of the given lengths over classes `1..vocab−1` (0 is the end of name), from a simple LCG. */
export function randomSequences(lengths: readonly number[], vocab: number, seed = 7): number[][] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return lengths.map((L) => Array.from({ length: L }, () => 1 + Math.floor(next() * (vocab - 1))));
}
