/**
 * The CPU backend of @rnn: kernels on a WebAssembly SIMD engine (or TypeScript loops where
 * WebAssembly SIMD is missing), float64 and float32.
 *
 * @module @rnn/backend-cpu
 */
export { createCpuBackend, type CpuBackend, type CpuBackendOptions } from './cpu-backend.js';
export type { EngineMode } from './engine/engine.js';
export type { PackedMatrix } from './engine/mat-mul.js';
