import { InvalidArgumentError } from '@rnn/tensor';
import type { HostParameters } from './parameters.js';

/**
 * Clips every gradient element to `[−maxValue, maxValue]` in place, as the NumPy exercise's
 * `clip(gradients, 5)` does with `np.clip(g, -5, 5, out=g)`. NaN stays NaN.
 * @returns how many elements were clipped
 *
 * @example
 * ```ts
 * const grads = { Wf: Float64Array.of(7, -0.5, -12) };
 * clipByValue(grads, 5);   // 2; grads.Wf is now [5, -0.5, -5]
 * ```
 */
export function clipByValue(grads: HostParameters, maxValue: number): number {
  if (!(maxValue > 0)) throw new InvalidArgumentError('clipByValue', 'maxValue', `must be positive, got ${maxValue}`);
  let clipped = 0;
  for (const g of Object.values(grads)) {
    for (let i = 0; i < g.length; i++) {
      const v = g[i] as number;
      if (v > maxValue) {
        g[i] = maxValue;
        clipped++;
      } else if (v < -maxValue) {
        g[i] = -maxValue;
        clipped++;
      }
    }
  }
  return clipped;
}

/** `‖g‖₂` over every element of every gradient, as if they were one vector. */
export function globalNorm(grads: HostParameters): number {
  let sum = 0;
  for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) sum += (g[i] as number) ** 2;
  return Math.sqrt(sum);
}

/**
 * Rescales all gradients together in place when their global norm exceeds `maxNorm`:
 * `g ← g · maxNorm / ‖g‖₂`, so the direction is kept (TensorFlow's `clip_by_global_norm`).
 * @returns the global norm before clipping
 *
 * @example
 * ```ts
 * const grads = { W: Float64Array.of(3, 4) };
 * clipByGlobalNorm(grads, 1);   // 5; grads.W is now [0.6, 0.8]
 * ```
 */
export function clipByGlobalNorm(grads: HostParameters, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new InvalidArgumentError('clipByGlobalNorm', 'maxNorm', `must be positive, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * scale;
  }
  return norm;
}
