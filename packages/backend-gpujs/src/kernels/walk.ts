import { checkLengths, forwardOnlyOptions, type ForwardOnlyArgs, type SequenceOptions } from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { BufferSlice, GpuContext, KernelInput } from '../gpu-context.js';
import type { DeviceArray, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { publicName } from '../public-names.js';
import type { DeviceWalk } from '../sequence-tape.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { joinTime, wholePart, type TimePart } from './time-axis.js';

// How the sequence kernels walk their steps (`SequenceOptions`): forward or in reverse, and with
// per-example lengths, ONNX's `sequence_lens`. A step `t` runs for example `c` when
// `t < len[c]`; one that does not leaves the state unchanged, outputs zero and takes no gradient,
// its carried gradients passing through. Kernels read the lengths as a float32 array `len (m)`
// and take the walk as the constants `reverse` and `masked` (0 or 1).

/**
 * `x (Q, T)` with the steps that did not run zeroed: `out[q, t] = x[q, t]` where `t < len[q mod m]`,
 * else 0. `Q` stacks rows of `m` examples, so row `q` belongs to example `q mod m`.
 */
function maskTimeKernel(this: KernelThis<{ m: number; T: number }>, x: DeviceArray, xOff: number, len: DeviceArray, lenOff: number): number {
  const T = this.constants.T;
  const q = Math.floor((this.thread.x + 0.5) / T);
  const t = this.thread.x - q * T;
  const row = Math.floor((q + 0.5) / this.constants.m);
  const c = q - row * this.constants.m;
  if (t < len[lenOff + c]!) {
    return x[xOff + this.thread.x]!;
  }
  return 0;
}

/**
 * The walk of the sequence forward `fn` over `T` steps of `m` examples, with the lengths on the
 * device (one upload) when there are any, and the forward-only options it runs with. Lengths that
 * are not `m` integers in `[0, T]` are refused with an `InvalidArgumentError` naming the public
 * function, before any work.
 */
export function openWalk(ctx: GpuContext, fn: string, options: SequenceOptions & ForwardOnlyArgs, m: number, T: number): DeviceWalk {
  const reverse = options.reverse === true;
  const lengths = options.lengths;
  checkLengths(publicName(fn), lengths, m, T);
  const forwardOnly = forwardOnlyOptions(options);
  if (lengths === undefined) return { reverse, lengths: null, forwardOnly };
  return { reverse, lengths: ctx.fromHost(Float32Array.from(lengths, Number)), forwardOnly };
}

/** The time step walked `s`-th: `s`, or `T − 1 − s` in reverse. */
export function timeAt(walk: DeviceWalk, T: number, s: number): number {
  return walk.reverse ? T - 1 - s : s;
}

/** The time step whose state step `t` starts from: `t − 1`, or `t + 1` in reverse; outside `[0, T)` it is the initial state. */
export function timeBefore(walk: DeviceWalk, t: number): number {
  return walk.reverse ? t + 1 : t - 1;
}

/** The walk as kernel constants. */
export function walkConstants(walk: DeviceWalk): { reverse: number; masked: number } {
  return { reverse: walk.reverse ? 1 : 0, masked: walk.lengths === null ? 0 : 1 };
}

/** The `len` input of a kernel: the lengths, or `placeholder` (never read: `masked` is 0) when there are none. */
export function lengthsInput(walk: DeviceWalk, placeholder: KernelInput): KernelInput {
  return walk.lengths ?? placeholder;
}

/** `x (Q, T)` as the user sees it, the steps that did not run zeroed (one launch); `x` itself without lengths. */
export function maskedTime(ctx: GpuContext, walk: DeviceWalk, x: DeviceBuffer, Q: number, m: number, T: number): DeviceBuffer {
  if (walk.lengths === null) return x;
  return ctx.run({ name: 'maskTime', source: KERNEL_SOURCES.maskTimeKernel, size: Q * T, constants: { m, T } } satisfies KernelDefOf<typeof maskTimeKernel>, [x, walk.lengths]);
}

/**
 * The state each time step started from, `(Q, T)`, from the states carried after each step
 * `(Q, T)`: `[init, s⟨0⟩ … s⟨T−2⟩]`, or `[s⟨1⟩ … s⟨T−1⟩, init]` in reverse; one join.
 */
export function statesBefore(ctx: GpuContext, walk: DeviceWalk, init: TimePart['input'], states: BufferSlice, Q: number, T: number): DeviceBuffer {
  const first = wholePart(init, 1);
  if (walk.reverse) return joinTime(ctx, [{ input: { buffer: states.buffer, offset: states.offset + 1 }, steps: T - 1, stride: T }, first], Q);
  return joinTime(ctx, [first, { input: states, steps: T - 1, stride: T }], Q);
}
