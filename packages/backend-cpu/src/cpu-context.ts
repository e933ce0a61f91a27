import { BackendError, type Backend, type DataArray, type DType, type SequenceTape, type Tensor } from '@rnn/tensor';
import type { Engine } from './engine/engine.js';

/**
 * What a CPU kernel adapter needs from its backend: the engine, the storage of its inputs, and
 * ways to hand results back as tensors. Kernels read each input once and store each output once;
 * the math in between happens on the engine's heap.
 */
export interface CpuContext {
  readonly backend: Backend;
  readonly engine: Engine;
  /** The flat values of `t` on this backend (uploaded first if `t` lives elsewhere). Never write to them. */
  read(t: Tensor): DataArray;
  /** A tensor whose storage is `values` (kept, not copied). */
  tensor(values: DataArray, shape: readonly number[]): Tensor;
  /** A tensor whose values `make` computes the first time they are read. */
  lazyTensor(shape: readonly number[], dtype: DType, make: () => DataArray): Tensor;
  /** Counts `arrays` as this backend's memory until the returned function is called. */
  hold(arrays: readonly DataArray[]): () => void;
}

/**
 * A sequence forward's record on the CPU backend: the padded, time-major arrays its backward
 * reads (see the subclasses). Its arrays count in `backend.memory()` until `dispose()`.
 */
export abstract class CpuTape implements SequenceTape {
  readonly backend: Backend;
  #release: (() => void) | null;

  protected constructor(ctx: CpuContext, arrays: readonly DataArray[]) {
    this.backend = ctx.backend;
    this.#release = ctx.hold(arrays);
  }

  get isDisposed(): boolean {
    return this.#release === null;
  }

  dispose(): void {
    this.#release?.();
    this.#release = null;
  }

  /** Throws a `BackendError` naming `fn` unless this tape is live and belongs to `backend`. */
  assertUsableBy(fn: string, backend: Backend): void {
    if (this.#release === null) throw new BackendError(fn, 'cpu', 'the tape was disposed (disposeCaches frees it); run the forward pass again');
    if (backend !== this.backend) throw new BackendError(fn, 'cpu', 'the tape was made by another backend');
  }
}
