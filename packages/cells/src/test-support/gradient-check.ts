import { Tensor } from '@rnn/tensor';

/**
 * Relative error `‖numeric − analytic‖ / (‖numeric‖ + ‖analytic‖)` between a central-difference
 * gradient of `loss` with respect to `input` and the analytic gradient, as the NumPy course's
 * `gradient_check` computes it.
 */
export function gradientError(
  input: Tensor,
  analytic: Tensor,
  loss: (perturbed: Tensor) => number,
  eps = 1e-6,
): number {
  const base = input.dataSync();
  const exact = analytic.dataSync();
  let diff = 0;
  let normNumeric = 0;
  let normAnalytic = 0;
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    plus[i] = (plus[i] as number) + eps;
    const minus = base.slice();
    minus[i] = (minus[i] as number) - eps;
    const numeric = (loss(Tensor.fromHost(plus, input.shape, input.dtype)) - loss(Tensor.fromHost(minus, input.shape, input.dtype))) / (2 * eps);
    const a = exact[i] as number;
    diff += (numeric - a) ** 2;
    normNumeric += numeric ** 2;
    normAnalytic += a ** 2;
  }
  const denominator = Math.sqrt(normNumeric) + Math.sqrt(normAnalytic);
  return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
}

/** `Σ t ⊙ weights`: a scalar loss whose gradient with respect to `t` is `weights`. */
export function weightedSum(t: Tensor, weights: Tensor): number {
  const x = t.dataSync();
  const w = weights.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (w[i] as number);
  return s;
}
