import type { ConformanceTolerances } from '@rnn/tensor/testing';

/**
 * Float32 tolerances of this backend against the float64 reference. Inputs are rounded to
 * float32 (relative 6e-8) and every product and sum rounds again; `tanh` is `2σ(2x) − 1`,
 * about 1.2e-7 absolute. Gradients sum up to K = 50 terms over the batch and contraction.
 */
export const GPUJS_TOLERANCES: ConformanceTolerances = {
  values: { rtol: 1e-5, atol: 1e-6 },
  gradients: { rtol: 1e-4, atol: 1e-5 },
};
