/**
 * The GPU backend of `@rnn` on gpu.js (float32): fused cell kernels whose tensors stay on the
 * device; headless-gl or WebAssembly in Node, WebGL2 or WebGPU in the browser.
 *
 * @module @rnn/backend-gpujs
 */
export {
  createGpuJsBackend,
  type Float64Policy,
  type GpuJsBackend,
  type GpuJsBackendOptions,
  type GpuJsStats,
} from './gpujs-backend.js';
export type { GpuJsMode, KernelStats, RequestedMode } from './gpu-runtime.js';
