/** NumPy's `gradient_check` measure: `‖g − g_fd‖ / (‖g‖ + ‖g_fd‖)`. */
export function relativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  let diff = 0;
  let a = 0;
  let n = 0;
  for (let i = 0; i < analytic.length; i++) {
    diff += ((analytic[i] as number) - (numeric[i] as number)) ** 2;
    a += (analytic[i] as number) ** 2;
    n += (numeric[i] as number) ** 2;
  }
  return Math.sqrt(diff) / (Math.sqrt(a) + Math.sqrt(n));
}

/** Central differences `(f(θ + ε) − f(θ − ε)) / 2ε` for every element of `values`, changed in place and restored. */
export async function numericGradient(values: Float64Array, f: () => number | Promise<number>, eps = 1e-5): Promise<Float64Array> {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const keep = values[i] as number;
    values[i] = keep + eps;
    const plus = await f();
    values[i] = keep - eps;
    const minus = await f();
    values[i] = keep;
    out[i] = (plus - minus) / (2 * eps);
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
