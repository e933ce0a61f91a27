import type { ConformanceTolerances } from '@rnn/tensor/testing';
import type { RequestedMode } from '../gpu-runtime.js';

const MODES: readonly RequestedMode[] = ['headlessgl', 'webgl2', 'webgl', 'webgpu', 'webasm', 'cpu', 'gpu'];

/**
 * The mode `RNN_GPUJS_MODE` demands (CI sets `headlessgl`), or undefined to take whatever
 * runs. A demanded mode that does not run makes `createGpuJsBackend` throw, failing the suite.
 */
export function requiredMode(): RequestedMode | undefined {
  const value = process.env['RNN_GPUJS_MODE'];
  if (value === undefined || value === '') return undefined;
  const mode = MODES.find((m) => m === value);
  if (mode === undefined) throw new Error(`RNN_GPUJS_MODE=${value} is not one of ${MODES.join(', ')}`);
  return mode;
}

/**
 * Float32 tolerances of this backend against the float64 reference. Inputs are rounded to
 * float32 (relative 6e-8) and every product and sum rounds again; `tanh` is `2σ(2x) − 1`,
 * about 1.2e-7 absolute. Gradients sum up to K = 50 terms over the batch and contraction.
 */
export const GPUJS_TOLERANCES: ConformanceTolerances = {
  values: { rtol: 1e-5, atol: 1e-6 },
  gradients: { rtol: 1e-4, atol: 1e-5 },
};
