import type { Backend, DType, SequenceTape, Tensor } from '@rnn/tensor';
import type { DeviceBuffer } from './device-buffer.js';
import type { KernelDef } from './gpu-runtime.js';

/** Part of a device buffer from `offset` on, for a kernel that reads it where a tensor would start. */
export interface BufferSlice {
  readonly buffer: DeviceBuffer;
  readonly offset: number;
}

/**
 * A kernel input: a tensor (passed to the kernel as two arguments, its device array and the
 * offset where its values start, so a tensor can view part of a larger buffer), an
 * intermediate buffer (offset 0), a slice of one, or an integer.
 */
export type KernelInput = Tensor | DeviceBuffer | BufferSlice | number;

/**
 * What a kernel needs from the gpu.js backend: launching kernels, wrapping their outputs as
 * tensors and keeping what a tape needs.
 *
 * Every kernel runs as one *call* of the backend's kernel table (`KernelCalls`). The buffer
 * references `run`, `hold`, `retain` and `fromHost` hand out belong to that call: the backend gives
 * them up when the call returns **or throws**, so a kernel never frees what it made on its way
 * out and a launch that fails midway leaks nothing. Views (`view`) and tapes take references of
 * their own; tensors and tapes the call made are disposed when it throws.
 */
export interface GpuContext {
  readonly backend: Backend;
  /** Launches `def` over `inputs`; the output buffer belongs to the call. Inputs stay referenced until the launch has read them. */
  run(def: KernelDef, inputs: readonly KernelInput[]): DeviceBuffer;
  /** A tensor of `shape` viewing `buffer` from `offset` (flat, C order); it takes its own reference. */
  view(buffer: DeviceBuffer, offset: number, shape: readonly number[], dtype: DType): Tensor;
  /** The storage behind `tensor` on this backend (uploaded first when it lives elsewhere); the reference belongs to the call. */
  hold(tensor: Tensor): BufferSlice;
  /** One more reference on `buffer`, belonging to the call: for a function that hands back a buffer it did not make. */
  retain(buffer: DeviceBuffer): DeviceBuffer;
  /** Host values as a device buffer belonging to the call (per-example lengths, for one). */
  fromHost(values: Float32Array): DeviceBuffer;
  /** Gives up, before the call returns, references the call owns: a long loop frees what its next step no longer reads. */
  free(...buffers: DeviceBuffer[]): void;
  /**
   * Takes a reference on each of `buffers` for `tape` until the returned function is called, and
   * gives them back if the tape is garbage collected undisposed (or the backend is disposed first).
   */
  keepForTape(tape: SequenceTape, buffers: readonly DeviceBuffer[]): () => void;
}
