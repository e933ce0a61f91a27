/**
 * The scalar activations and their derivatives, written once for every backend. They are
 * plain functions of numbers using only `Math`, so gpu.js can compile them into kernels too.
 */

/** Logistic sigmoid `σ(x) = 1 / (1 + e^−x)`; `σ(−∞) = 0`, `σ(+∞) = 1`, NaN stays NaN. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Hyperbolic tangent. */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/** `σ'(x)` from `s = σ(x)`: `s (1 − s)`. */
export function sigmoidGradFromOutput(s: number): number {
  return s * (1 - s);
}

/** `tanh'(x)` from `t = tanh(x)`: `1 − t²`. */
export function tanhGradFromOutput(t: number): number {
  return 1 - t * t;
}
