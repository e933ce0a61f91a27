import { BackendError, type Backend, type DataArray, type DType, type SequenceTape, type Tensor } from '@rnn/tensor';
import type { Engine } from './engine/engine.js';
import type { ResidentArrays, ResidentPool } from './engine/resident.js';

/**
 * What a CPU kernel adapter needs from its backend: the engine, the storage of its inputs, and
 * ways to hand results back as tensors. Kernels read each input once and store each output once;
 * the math in between happens on the engine's heap.
 */
export interface CpuContext {
  readonly backend: Backend;
  readonly engine: Engine;
  /** Where tapes keep their arrays in the engine's heap between a forward and its backward. */
  readonly pool: ResidentPool;
  /** The flat values of `t` on this backend (uploaded first if `t` lives elsewhere). Never write to them. */
  read(t: Tensor): DataArray;
  /** A tensor whose storage is `values` (kept, not copied). */
  tensor(values: DataArray, shape: readonly number[]): Tensor;
  /** A tensor whose values `make` computes the first time they are read; `settled` runs once, when they are made or the tensor is released. */
  lazyTensor(shape: readonly number[], dtype: DType, make: () => DataArray, settled?: () => void): Tensor;
  /**
   * Counts `tape` and its arrays as this backend's memory until the returned function is called,
   * and releases the arrays if the tape is garbage collected first.
   */
  trackTape(tape: SequenceTape, arrays: ResidentArrays<string>): () => void;
  /** Tensors `(n, m, T)` whose values also sit, padded and time major, in a tape: kernels that want that layout read it there. */
  readonly timeMajor: WeakMap<Tensor, TimeMajorSource>;
}

/** Where a tensor's values are in a tape, time major: the `(T, n, mp)` block of `name` from element `offset`. */
export interface TimeMajorSource {
  readonly arrays: ResidentArrays<string>;
  readonly name: string;
  readonly offset: number;
}

/**
 * A sequence forward's record on the CPU backend: the padded, time-major arrays its backward
 * reads, kept in the engine's heap (see `ResidentArrays`).
 */
export abstract class CpuTape<K extends string> implements SequenceTape {
  readonly backend: Backend;
  readonly arrays: ResidentArrays<K>;
  #untrack: (() => void) | null;

  protected constructor(ctx: CpuContext, arrays: ResidentArrays<K>) {
    this.backend = ctx.backend;
    this.arrays = arrays;
    this.#untrack = ctx.trackTape(this, arrays);
  }

  get isDisposed(): boolean {
    return this.#untrack === null;
  }

  dispose(): void {
    if (this.#untrack === null) return;
    this.#untrack();
    this.#untrack = null;
    this.arrays.release();
  }

  /** Throws a `BackendError` naming `fn` unless this tape is live and belongs to `backend`. */
  assertUsableBy(fn: string, backend: Backend): void {
    if (this.#untrack === null) throw new BackendError(fn, 'cpu', 'the tape was disposed (disposeCaches frees it); run the forward pass again');
    if (backend !== this.backend) throw new BackendError(fn, 'cpu', 'the tape was made by another backend');
  }

  /**
   * A lazily computed tensor `(n, m, T)` from the time-major block of `name` at `offset` (one
   * transpose when read); kernels reading it in the time-major layout take it from the tape.
   */
  protected sequence(ctx: CpuContext, name: K, offset: number, n: number, m: number, steps: number, mp: number): Tensor {
    const arrays = this.arrays;
    const t = ctx.lazyTensor([n, m, steps], arrays.dtype, () => arrays.timeLast(name, offset, n, m, steps, mp), arrays.addPending());
    ctx.timeMajor.set(t, { arrays, name, offset });
    return t;
  }

  /** A lazily computed tensor `(rows, m)` from `name` at `offset` of the padded arrays. */
  protected view(ctx: CpuContext, name: K, offset: number, rows: number, m: number, mp: number): Tensor {
    const arrays = this.arrays; // not `this`: a view must not keep its tape from being collected
    return ctx.lazyTensor([rows, m], arrays.dtype, () => unpad(arrays.slice(name, offset, rows * mp), rows, m, mp), arrays.addPending());
  }
}

/** `(rows, mp)` values without their padding columns: `(rows, m)`. */
function unpad(padded: DataArray, rows: number, m: number, mp: number): DataArray {
  if (m === mp) return padded;
  const out = new (padded instanceof Float32Array ? Float32Array : Float64Array)(rows * m);
  for (let r = 0; r < rows; r++) out.set(padded.subarray(r * mp, r * mp + m), r * m);
  return out;
}
