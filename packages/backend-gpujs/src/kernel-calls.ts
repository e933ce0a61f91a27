import { BackendError, disposeOnError } from '@rnn/tensor';
import type { DeviceBuffer } from './device-buffer.js';

/** One running call of the kernel table: its kernel's name and the buffer references it owns (with counts). */
interface Frame {
  readonly fn: string;
  readonly owned: Map<DeviceBuffer, number>;
}

/**
 * The calls of a backend's kernel table, and the device buffer references each one owns.
 *
 * `run(fn, body)` opens a frame, runs `body` and, whether it returns or throws, drops every
 * reference the frame still owns: intermediate buffers die, buffers that a view or a tape took a
 * reference on live on. When `body` throws, the tensors and tapes it made are disposed as well
 * (`disposeOnError`), so a kernel that fails midway — a launch that fails, a device out of memory —
 * leaves nothing allocated, without a `try` in any kernel. Frames nest (innermost last).
 */
export class KernelCalls {
  readonly #frames: Frame[] = [];

  /** The kernel running now, for error messages; `fallback` outside any call. */
  name(fallback: string): string {
    return this.#frames[this.#frames.length - 1]?.fn ?? fallback;
  }

  /** Runs `body` as a call of the kernel `fn`; see the class comment. */
  run<T>(fn: string, body: () => T): T {
    const frame: Frame = { fn, owned: new Map() };
    this.#frames.push(frame);
    try {
      return disposeOnError(body);
    } finally {
      this.#frames.splice(this.#frames.lastIndexOf(frame), 1);
      for (const [buffer, refs] of frame.owned) for (let i = 0; i < refs; i++) buffer.releaseRef();
    }
  }

  /** Makes one reference the caller took on `buffer` the running call's; returns `buffer`. */
  own(buffer: DeviceBuffer): DeviceBuffer {
    const frame = this.#current('own');
    frame.owned.set(buffer, (frame.owned.get(buffer) ?? 0) + 1);
    return buffer;
  }

  /** Drops one reference the running call owns on each buffer. */
  free(buffers: readonly DeviceBuffer[]): void {
    const frame = this.#current('free');
    for (const buffer of buffers) {
      const refs = frame.owned.get(buffer);
      if (refs === undefined) throw new BackendError(frame.fn, 'gpujs', 'internal error: a kernel freed a buffer its call does not own');
      if (refs === 1) frame.owned.delete(buffer);
      else frame.owned.set(buffer, refs - 1);
      buffer.releaseRef();
    }
  }

  #current(what: string): Frame {
    const frame = this.#frames[this.#frames.length - 1];
    if (frame === undefined) throw new BackendError(what, 'gpujs', 'internal error: device buffers are made only inside a kernel call');
    return frame;
  }
}
