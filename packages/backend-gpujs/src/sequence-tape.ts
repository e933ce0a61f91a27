import { BackendError, checkHasBackward, ShapeMismatchError, track, type Backend, type DType, type SequenceTape, type Tensor } from '@rnn/tensor';
import type { DeviceBuffer } from './device-buffer.js';
import type { BufferSlice, GpuContext } from './gpu-context.js';
import { publicName } from './public-names.js';

/** Sizes of the sequence a tape was recorded on: `x (nX, m, T)`, states `(nA, m)`. */
export interface SequenceSizes {
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  readonly dtype: DType;
}

/**
 * How a sequence forward walked its steps, which its backward walks back: from the last step to
 * the first when `reverse`, and with per-example `lengths` `(m)` on the device (float32), or null
 * when every example ran every step. `forwardOnly` names the forward-only options it ran with
 * (`clip`, `peepholes`…, from `forwardOnlyOptions`), which its backward refuses; empty for none.
 */
export interface DeviceWalk {
  readonly reverse: boolean;
  readonly lengths: DeviceBuffer | null;
  readonly forwardOnly: readonly string[];
}

/**
 * What a gpu.js sequence forward keeps for its backward: one reference on each device buffer it
 * reads, so they outlive the tensors a user disposes. `dispose()` gives them back, once; so does
 * garbage collection of an undisposed tape (the backend's `TapeKeeper`), and a `tidy` or
 * `disposeOnError` scope open when the tape was made (`track`). A backward refuses a disposed
 * tape (`openTape`).
 */
export abstract class DeviceTape implements SequenceTape {
  readonly backend: Backend;
  readonly sizes: SequenceSizes;
  readonly walk: DeviceWalk;
  #release: (() => void) | null;

  /** Takes a reference of its own on every buffer in `held` and on the walk's lengths. */
  protected constructor(ctx: GpuContext, sizes: SequenceSizes, walk: DeviceWalk, held: readonly DeviceBuffer[]) {
    this.backend = ctx.backend;
    this.sizes = sizes;
    this.walk = walk;
    this.#release = ctx.keepForTape(this, walk.lengths === null ? held : [...held, walk.lengths]);
    track(this);
  }

  get isDisposed(): boolean {
    return this.#release === null;
  }

  dispose(): void {
    const release = this.#release;
    if (release === null) return;
    this.#release = null;
    release();
  }
}

/** `rnnSequenceForward`'s tape: `x (nX, m, T)`, `a0 (nA, m)` and the states carried after each step, `a (nA, m, T)` (not masked). */
export class RnnTape extends DeviceTape {
  constructor(
    ctx: GpuContext,
    sizes: SequenceSizes,
    walk: DeviceWalk,
    /** Inputs of every step, time last. */
    readonly x: BufferSlice,
    /** Initial hidden state. */
    readonly a0: BufferSlice,
    /** The hidden state carried after each time step, time last. */
    readonly a: DeviceBuffer,
  ) {
    super(ctx, sizes, walk, [x.buffer, a0.buffer, a]);
  }
}

/**
 * `lstmSequenceForward`'s tape: `x (nX, m, T)`, `a0` and `c0 (nA, m)`, the states carried after
 * each time step `[c; a]` `(2·nA·m, T)` (time last, so `c` starts at 0 and `a` at `nA·m·T`) and
 * each time step's gates `[ft; it; cct; ot]` `(4, nA, m)`.
 */
export class LstmTape extends DeviceTape {
  constructor(
    ctx: GpuContext,
    sizes: SequenceSizes,
    walk: DeviceWalk,
    /** Inputs of every step, time last. */
    readonly x: BufferSlice,
    /** Initial hidden state. */
    readonly a0: BufferSlice,
    /** Initial cell state. */
    readonly c0: BufferSlice,
    /** Cell and hidden states carried after each time step, `[c; a]`, time last. */
    readonly states: DeviceBuffer,
    /** Each time step's gate activations. */
    readonly gates: readonly DeviceBuffer[],
  ) {
    super(ctx, sizes, walk, [x.buffer, a0.buffer, c0.buffer, states, ...gates]);
  }
}

/**
 * `gruSequenceForward`'s tape: `x (nX, m, T)`, `a0 (nA, m)`, `[hct; a]` `(2·nA·m, T)` (the
 * candidate and the state carried after each time step, time last) and each time step's
 * `[zt; rt; hh]` `(3, nA, m)`.
 */
export class GruTape extends DeviceTape {
  constructor(
    ctx: GpuContext,
    sizes: SequenceSizes,
    walk: DeviceWalk,
    /** Inputs of every step, time last. */
    readonly x: BufferSlice,
    /** Initial hidden state. */
    readonly a0: BufferSlice,
    /** Candidates and hidden states after each time step, `[hct; a]`, time last. */
    readonly states: DeviceBuffer,
    /** Each time step's `[zt; rt; hh]`. */
    readonly gates: readonly DeviceBuffer[],
  ) {
    super(ctx, sizes, walk, [x.buffer, a0.buffer, states, ...gates]);
  }
}

/**
 * `tape` as a tape of `kind` made by `backend` for the backward `fn` (`lstmSequenceBackward` reads
 * what `lstmSequenceForward` recorded), or a `BackendError` naming `fn` when it comes from another
 * backend or sequence kind, or was disposed; or naming the public functions that reach `fn` when its
 * forward ran with forward-only options (`clip`, `peepholes`…), which have no backward. The
 * gradient `da` must be `(n_a, m, T_x)` of that forward (`ShapeMismatchError` otherwise).
 */
export function openTape<T extends DeviceTape>(fn: string, tape: SequenceTape, kind: abstract new (...args: never[]) => T, backend: Backend, da: Tensor): T {
  const forward = fn.replace('Backward', 'Forward');
  if (!(tape instanceof kind) || tape.backend !== backend) {
    throw new BackendError(fn, 'gpujs', `the tape was not made by this backend's ${forward}: pass the tape that call returned`);
  }
  if (tape.isDisposed) throw new BackendError(fn, 'gpujs', `the tape was disposed: run ${forward} again, and dispose its tape after the backward`);
  checkHasBackward(publicName(fn), 'gpujs', tape.walk.forwardOnly);
  const { nA, m, T } = tape.sizes;
  if (da.shape.join() !== [nA, m, T].join()) throw new ShapeMismatchError(fn, 'da', [nA, m, T], da.shape, '(n_a, m, T_x) of the forward pass');
  return tape;
}

/** The device buffers one tape holds: what the `TapeKeeper`'s registry keeps for it, never the tape itself. */
interface TapeRecord {
  readonly buffers: readonly DeviceBuffer[];
}

/**
 * A backend's live tapes: references on the buffers each one reads, given back by the tape's
 * `dispose()`, by garbage collection of a tape nobody disposed (a `FinalizationRegistry` whose
 * held value is the record of buffers, so it never keeps the tape alive), or by `releaseAll()`
 * when the backend is disposed.
 */
export class TapeKeeper {
  readonly #live = new Set<TapeRecord>();
  readonly #registry = new FinalizationRegistry<TapeRecord>((record) => this.#release(record));

  /** Takes one reference on each of `buffers` for `tape`; the returned function gives them back (once). */
  keep(tape: SequenceTape, buffers: readonly DeviceBuffer[]): () => void {
    const record: TapeRecord = { buffers: buffers.map((buffer) => buffer.retain()) };
    this.#live.add(record);
    this.#registry.register(tape, record, record);
    return () => this.#release(record);
  }

  /** Gives back what every live tape holds. */
  releaseAll(): void {
    for (const record of [...this.#live]) this.#release(record);
  }

  #release(record: TapeRecord): void {
    if (!this.#live.delete(record)) return;
    this.#registry.unregister(record);
    for (const buffer of record.buffers) buffer.releaseRef();
  }
}
