import type { Backend, DType, Tensor } from '@rnn/tensor';
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

/** What a kernel needs from the gpu.js backend: launching kernels and wrapping their outputs as tensors. */
export interface GpuContext {
  readonly backend: Backend;
  /**
   * Launches `def` over `inputs` and returns its output buffer, holding one reference that
   * the caller owns and gives up with `free` once it has made its views and later launches.
   * Inputs stay referenced until the launch has read them.
   */
  run(def: KernelDef, inputs: readonly KernelInput[]): DeviceBuffer;
  /** A tensor of `shape` viewing `buffer` from `offset` (flat, C order); it takes its own reference. */
  view(buffer: DeviceBuffer, offset: number, shape: readonly number[], dtype: DType): Tensor;
  /**
   * The storage behind `tensor` on this backend (uploaded first when it lives elsewhere), with
   * one reference taken for the caller, who gives it up with `free(slice.buffer)`: what a tape
   * keeps of its inputs, so they outlive the tensors the user disposes.
   */
  hold(fn: string, tensor: Tensor): BufferSlice;
  /** Gives up the references `run` and `hold` handed out. */
  free(...buffers: DeviceBuffer[]): void;
}
