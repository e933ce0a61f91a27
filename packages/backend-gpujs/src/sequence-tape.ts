import { BackendError, type Backend, type DType, type SequenceTape } from '@rnn/tensor';
import type { DeviceBuffer } from './device-buffer.js';
import type { BufferSlice } from './gpu-context.js';

/** Sizes of the sequence a tape was recorded on: `x (nX, m, T)`, states `(nA, m)`. */
export interface SequenceSizes {
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  readonly dtype: DType;
}

/**
 * What a gpu.js sequence forward keeps for its backward: one reference (`DeviceBuffer.retain`) on
 * each device buffer it reads, so they outlive the tensors a user disposes. `dispose()` gives them
 * back, once; a backward refuses a disposed tape (`openTape`).
 */
export abstract class DeviceTape implements SequenceTape {
  readonly backend: Backend;
  readonly sizes: SequenceSizes;
  #held: readonly DeviceBuffer[] | null;

  /** Takes a reference of its own on every buffer in `held`. */
  protected constructor(backend: Backend, sizes: SequenceSizes, held: readonly DeviceBuffer[]) {
    this.backend = backend;
    this.sizes = sizes;
    this.#held = held.map((buffer) => buffer.retain());
  }

  get isDisposed(): boolean {
    return this.#held === null;
  }

  dispose(): void {
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    for (const buffer of held) buffer.releaseRef();
  }
}

/** `rnnSequenceForward`'s tape: `x (nX, m, T)`, `a0 (nA, m)` and the hidden states `a (nA, m, T)`. */
export class RnnTape extends DeviceTape {
  constructor(
    backend: Backend,
    sizes: SequenceSizes,
    /** Inputs of every step, time last. */
    readonly x: BufferSlice,
    /** Initial hidden state. */
    readonly a0: BufferSlice,
    /** Hidden states of every step, time last. */
    readonly a: DeviceBuffer,
  ) {
    super(backend, sizes, [x.buffer, a0.buffer, a]);
  }
}

/**
 * `lstmSequenceForward`'s tape: `x (nX, m, T)`, `a0` and `c0 (nA, m)`, the states `[c; a]`
 * `(2·nA·m, T)` (time last, so `c` starts at 0 and `a` at `nA·m·T`) and each step's gates
 * `[ft; it; cct; ot]` `(4, nA, m)`.
 */
export class LstmTape extends DeviceTape {
  constructor(
    backend: Backend,
    sizes: SequenceSizes,
    /** Inputs of every step, time last. */
    readonly x: BufferSlice,
    /** Initial hidden state. */
    readonly a0: BufferSlice,
    /** Initial cell state. */
    readonly c0: BufferSlice,
    /** Cell and hidden states of every step, `[c; a]`, time last. */
    readonly states: DeviceBuffer,
    /** Each step's gate activations. */
    readonly gates: readonly DeviceBuffer[],
  ) {
    super(backend, sizes, [x.buffer, a0.buffer, c0.buffer, states, ...gates]);
  }
}

/**
 * `tape` as a tape of `kind` made by `backend` for the backward `fn` (`lstmSequenceBackward` reads
 * what `lstmSequenceForward` recorded), or a `BackendError` naming `fn` when it comes from another
 * backend or sequence kind, or was disposed.
 */
export function openTape<T extends DeviceTape>(fn: string, tape: SequenceTape, kind: abstract new (...args: never[]) => T, backend: Backend): T {
  const forward = fn.replace('Backward', 'Forward');
  if (!(tape instanceof kind) || tape.backend !== backend) {
    throw new BackendError(fn, 'gpujs', `the tape was not made by this backend's ${forward}: pass the tape that call returned`);
  }
  if (tape.isDisposed) throw new BackendError(fn, 'gpujs', `the tape was disposed: run ${forward} again, and dispose its tape after the backward`);
  return tape;
}
