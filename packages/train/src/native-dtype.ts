import { BackendError, type Backend, type DataId, type DType } from '@rnn/tensor';

/**
 * The element type a backend computes in: its `computeDType` when it states one (`float32` on
 * gpu.js, which accepts float64 tensors but computes them in float32); otherwise `float64` when it
 * stores float64 tensors (the CPU backend) and `float32` when it refuses them. The probe stores
 * an empty float64 array, which costs no device memory.
 */
export function nativeDType(backend: Backend): DType {
  if (backend.computeDType !== undefined) return backend.computeDType;
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
