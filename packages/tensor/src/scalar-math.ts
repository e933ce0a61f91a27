/**
 * The scalar activations and their derivatives, written once for every backend. They are
 * plain functions of numbers using only `Math` and calling nothing else, so gpu.js can compile
 * their source text into kernels too, even after a bundler renamed module-level names.
 */

/** Logistic sigmoid `σ(x) = 1 / (1 + e^−x)`; `σ(−∞) = 0`, `σ(+∞) = 1`, NaN stays NaN. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Hyperbolic tangent. */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/**
 * `tanh(x) = 2σ(2x) − 1`, for devices whose own tanh cannot be trusted (GLSL ES 1.00 has none,
 * and the usual `(e^{2x} − 1) / (e^{2x} + 1)` stand-in overflows to NaN for `|x| > 44`). It
 * saturates to ±1 and keeps NaN, with an absolute error near one float32 ulp of 1; near 0 it
 * loses relative precision, so float64 code uses `tanh`.
 */
export function tanhFromSigmoid(x: number): number {
  return 2 / (1 + Math.exp(-2 * x)) - 1;
}

/** `σ'(x)` from `s = σ(x)`: `s (1 − s)`. */
export function sigmoidGradFromOutput(s: number): number {
  return s * (1 - s);
}

/** `tanh'(x)` from `t = tanh(x)`: `1 − t²`. */
export function tanhGradFromOutput(t: number): number {
  return 1 - t * t;
}
