import { BackendError } from '@rnn/tensor';
import type { DeviceValue, LaunchResult } from './gpu-runtime.js';

type State =
  | { readonly kind: 'ready'; readonly value: DeviceValue }
  | { readonly kind: 'pending'; readonly promise: Promise<DeviceValue> }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'freed' };

/**
 * One kernel output (or upload) on the device: a texture, a WebGPU buffer or a Float32Array,
 * flat, `length` float32 values. Several tensors can view one buffer (the four gates of an
 * LSTM step share one), so it is reference counted: each view and each launch still waiting
 * to read it holds a reference, and the storage is freed when the last one lets go.
 *
 * On webgpu the value arrives later: the buffer is `pending` on a promise that later
 * kernels chain on, and reading it synchronously is refused.
 */
export class DeviceBuffer {
  /** Number of float32 values. */
  readonly length: number;
  #state: State;
  #refs = 0;
  readonly #onDead: (value: DeviceValue | null) => void;

  /** `onDead` runs once, when the last reference is gone and no value is pending, with the value to free (null if the launch failed). */
  constructor(result: LaunchResult, length: number, onDead: (value: DeviceValue | null) => void) {
    this.length = length;
    this.#onDead = onDead;
    if (result instanceof Promise) {
      this.#state = { kind: 'pending', promise: result };
      result.then(
        (value) => this.#settle({ kind: 'ready', value }),
        (error: unknown) => this.#settle({ kind: 'failed', error }),
      );
    } else {
      this.#state = { kind: 'ready', value: result };
    }
  }

  /** Bytes held on the device. */
  get bytes(): number {
    return this.length * 4;
  }

  /** True while a webgpu launch has not delivered the value yet. */
  get isPending(): boolean {
    return this.#state.kind === 'pending';
  }

  /** Takes one reference. */
  retain(): this {
    this.#refs++;
    return this;
  }

  /** Drops one reference; the last one frees the storage (once a pending value arrives). */
  releaseRef(): void {
    if (this.#refs === 0) return;
    this.#refs--;
    if (this.#refs === 0 && this.#state.kind !== 'pending') this.#die();
  }

  /** The value now; throws when it is still pending, failed or freed. */
  valueSync(fn: string): DeviceValue {
    const state = this.#state;
    if (state.kind === 'ready') return state.value;
    if (state.kind === 'pending') throw new BackendError(fn, 'gpujs', 'this tensor is still being computed on an asynchronous device (webgpu): use await tensor.data()');
    if (state.kind === 'failed') throw asBackendError(fn, state.error);
    throw new BackendError(fn, 'gpujs', 'this data was released');
  }

  /** The value once it is there. */
  async value(fn: string): Promise<DeviceValue> {
    const state = this.#state;
    if (state.kind === 'pending') {
      try {
        return await state.promise;
      } catch (error) {
        throw asBackendError(fn, error);
      }
    }
    return this.valueSync(fn);
  }

  #settle(next: State): void {
    if (this.#state.kind !== 'pending') return;
    this.#state = next;
    if (this.#refs === 0) this.#die();
  }

  #die(): void {
    const state = this.#state;
    if (state.kind === 'freed') return;
    this.#state = { kind: 'freed' };
    this.#onDead(state.kind === 'ready' ? state.value : null);
  }
}

function asBackendError(fn: string, error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  return new BackendError(fn, 'gpujs', `a device kernel failed: ${error instanceof Error ? error.message : String(error)}`);
}
