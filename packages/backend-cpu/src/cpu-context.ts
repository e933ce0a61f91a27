import { BackendError, checkHasBackward, track, type Backend, type DataArray, type DType, type SequenceTape, type Tensor } from '@rnn/tensor';
import type { Engine } from './engine/engine.js';
import type { ResidentArrays, ResidentPool } from './engine/resident.js';
import { slotAfter, stepRuns, type SequenceDims } from './kernels/padded.js';

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
  readonly dims: SequenceDims;
  #untrack: (() => void) | null;

  protected constructor(ctx: CpuContext, arrays: ResidentArrays<K>, dims: SequenceDims) {
    this.backend = ctx.backend;
    this.arrays = arrays;
    this.dims = dims;
    this.#untrack = ctx.trackTape(this, arrays);
    track(this);
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

  /**
   * `tape` as one of this backend's tapes of `kind` (the `cell`'s) that `backend` can run the
   * backward `fn` over.
   *
   * @throws BackendError naming `fn` when it is another kind of tape, or fails `assertUsableBy`.
   */
  static usable<T extends CpuTape<string>>(kind: abstract new (...args: never[]) => T, cell: string, fn: string, tape: SequenceTape, backend: Backend): T {
    if (!(tape instanceof kind)) throw new BackendError(fn, 'cpu', `the tape is not one of this backend's ${cell} tapes`);
    tape.assertUsableBy(fn, backend);
    return tape;
  }

  /** Throws a `BackendError` naming `fn` unless this tape is live, belongs to `backend` and its run has a backward. */
  assertUsableBy(fn: string, backend: Backend): void {
    if (this.#untrack === null) throw new BackendError(fn, 'cpu', 'the tape was disposed (disposeCaches frees it); run the forward pass again');
    if (backend !== this.backend) throw new BackendError(fn, 'cpu', 'the tape was made by another backend');
    checkHasBackward(fn, 'cpu', this.dims.forwardOnly);
  }

  /**
   * The states kept in `name` (`(T+1)` slots of `(rows, mp)`, slot 0 the initial one) as a tensor
   * `(rows, m, T)` in time order, zero where a step did not run; computed when first read. Walked
   * forward over whole sequences, the slots are already in time order and kernels that want them
   * time major read them from the tape.
   */
  protected states(ctx: CpuContext, name: K, rows: number): Tensor {
    const { m, T, mp, reverse, lengths } = this.dims;
    const arrays = this.arrays; // not `this`: a view must not keep its tape from being collected
    if (!reverse && lengths === undefined) {
      const t = ctx.lazyTensor([rows, m, T], arrays.dtype, () => arrays.timeLast(name, rows * mp, rows, m, T, mp), arrays.addPending());
      ctx.timeMajor.set(t, { arrays, name, offset: rows * mp });
      return t;
    }
    const d = this.dims;
    return ctx.lazyTensor([rows, m, T], arrays.dtype, () => {
      const slots = arrays.slice(name, 0, (T + 1) * rows * mp);
      const out = new (slots instanceof Float32Array ? Float32Array : Float64Array)(rows * m * T);
      for (let t = 0; t < T; t++) {
        const slot = slotAfter(d, t) * rows * mp;
        for (let j = 0; j < m; j++) {
          if (!stepRuns(d, t, j)) continue;
          for (let i = 0; i < rows; i++) out[(i * m + j) * T + t] = slots[slot + i * mp + j] as number;
        }
      }
      return out;
    }, arrays.addPending());
  }

  /** The state in `name` after time step `t`, `(rows, m)`, computed when first read. */
  /** Step `t`'s four gate blocks kept in `name` (four `(n_a, mp)` blocks per step), each computed when first read. */
  protected gates(ctx: CpuContext, name: K, t: number): [Tensor, Tensor, Tensor, Tensor] {
    const { nA, mp } = this.dims;
    const n = nA * mp;
    const at = (k: number): Tensor => this.view(ctx, name, (4 * t + k) * n, nA);
    return [at(0), at(1), at(2), at(3)];
  }

  protected stateAfter(ctx: CpuContext, name: K, t: number, rows: number): Tensor {
    return this.view(ctx, name, slotAfter(this.dims, t) * rows * this.dims.mp, rows);
  }

  /** A lazily computed tensor `(rows, m)` from `name` at `offset` of the padded arrays. */
  protected view(ctx: CpuContext, name: K, offset: number, rows: number): Tensor {
    const { m, mp } = this.dims;
    const arrays = this.arrays;
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
