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
