import { BackendError, type Backend, type DataId, type DType } from '@rnn/tensor';

/**
 * The element type a backend computes in: `float64` when it stores float64 tensors (the CPU
 * backend, or gpu.js created with `{ float64: 'compute-in-float32' }`), `float32` when it
 * refuses them (gpu.js by default). Found by storing an empty float64 array, which costs no
 * device memory.
 */
export function nativeDType(backend: Backend): DType {
  let id: DataId;
  try {
    id = backend.upload(new Float64Array(0), 'float64');
  } catch (error) {
    if (error instanceof BackendError) return 'float32';
    throw error;
  }
  backend.release(id);
  return 'float64';
}
