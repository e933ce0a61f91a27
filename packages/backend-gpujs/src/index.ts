export {
  createGpuJsBackend,
  type Float64Policy,
  type GpuJsBackend,
  type GpuJsBackendOptions,
  type GpuJsStats,
} from './gpujs-backend.js';
export type { GpuJsMode, KernelStats, RequestedMode } from './gpu-runtime.js';
