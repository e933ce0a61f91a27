import { BackendError, DataId, Tensor, type Backend, type DataArray, type DType, type Kernels, type MemoryInfo } from '@rnn/tensor';
import type { CpuContext } from './cpu-context.js';
import { lstmCellBackward, lstmCellForward } from './kernels/lstm-cell.js';
import { rnnCellBackward, rnnCellForward } from './kernels/rnn-cell.js';
import { add, sliceTime, stackTime } from './kernels/time-axis.js';

/** The CPU backend: storage is a typed array per tensor, kernels are plain loops. */
export interface CpuBackend extends Backend {
  readonly name: 'cpu';
  readonly mode: 'js';
}

class CpuBackendImpl implements CpuBackend, CpuContext {
  readonly name = 'cpu';
  readonly mode = 'js';
  readonly backend: Backend = this;
  readonly #storage = new Map<DataId, DataArray>();
  #disposed = false;

  readonly kernels: Kernels = {
    sliceTime: (x, t) => sliceTime(this, x, t),
    stackTime: (steps) => stackTime(this, steps),
    add: (a, b) => add(this, a, b),
    rnnCellForward: (args) => rnnCellForward(this, args),
    rnnCellBackward: (args, acc) => rnnCellBackward(this, args, acc),
    lstmCellForward: (args) => lstmCellForward(this, args),
    lstmCellBackward: (args, acc) => lstmCellBackward(this, args, acc),
  };

  upload(values: DataArray, dtype: DType): DataId {
    this.#live('upload');
    const id = new DataId('cpu', values.length, dtype);
    this.#storage.set(id, values);
    return id;
  }

  read(id: DataId): DataArray {
    this.#live('read');
    const values = this.#storage.get(id);
    if (values === undefined) throw new BackendError('read', 'cpu', 'this data was released or belongs to another backend');
    return values;
  }

  async readAsync(id: DataId): Promise<DataArray> {
    return this.read(id);
  }

  release(id: DataId): void {
    this.#storage.delete(id);
  }

  memory(): MemoryInfo {
    let bytes = 0;
    for (const values of this.#storage.values()) bytes += values.byteLength;
    return { tensors: this.#storage.size, bytes };
  }

  dispose(): void {
    this.#storage.clear();
    this.#disposed = true;
  }

  // CpuContext, used by the kernels.
  readTensor(t: Tensor): DataArray {
    return this.read(t.dataIdOn(this));
  }

  store(values: Float64Array, shape: readonly number[], dtype: DType): { tensor: Tensor; values: DataArray } {
    const stored = dtype === 'float64' ? values : Float32Array.from(values);
    return { tensor: Tensor.fromDevice(this, this.upload(stored, dtype), shape), values: stored };
  }

  #live(fn: string): void {
    if (this.#disposed) throw new BackendError(fn, 'cpu', 'this backend was disposed');
  }
}

/**
 * Creates a CPU backend. Each backend owns its storage; `dispose()` drops it all.
 *
 * ```ts
 * import { setBackend } from '@rnn/tensor';
 * import { createCpuBackend } from '@rnn/backend-cpu';
 * setBackend(createCpuBackend());
 * ```
 */
export function createCpuBackend(): CpuBackend {
  return new CpuBackendImpl();
}
