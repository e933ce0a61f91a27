/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function sigmoid(x: number): number;

/**
 * `tanh(x) = 2σ(2x) − 1`, on the device. GLSL ES 1.00 has no `tanh`, and gpu.js's stand-in,
 * `(e^{2x} − 1) / (e^{2x} + 1)`, overflows to NaN for `|x| > 44`; GPU built-ins are not
 * guaranteed to do better. Through `@rnn/tensor`'s `sigmoid`, `±∞` map to `±1`, NaN stays
 * NaN, and the absolute error stays near one float32 ulp of 1 (about 1.2e-7).
 */
export function tanhOf(x: number): number {
  return 2 * sigmoid(2 * x) - 1;
}
