import { BackendError, checkConcatFlat, checkMaskColumns, checkSliceFlat, InvalidArgumentError, type Tensor } from '@rnn/tensor';
import { DeviceBuffer } from '../device-buffer.js';
import type { BufferSlice, GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { publicName } from '../public-names.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';

/** `out[i] = a[aOff + i]`, `(n)`: uploads host values (offset 0) or copies a view. */
function copyKernel(this: KernelThis<object>, a: DeviceArray, aOff: number): number {
  return a[aOff + this.thread.x]!;
}

/**
 * `L` consecutive steps of `x (Q, T)` from step `t`, time first: `out[s, i] = x[i, t + s]` for flat
 * `p = s·Q + i`; `x (n, m, T)` stores `x[i, j, t]` at `(i·m + j)·T + t`, so `Q = n·m`. One step
 * (`L = 1`) is `x[:, :, t]`.
 */
function timeSlicesKernel(this: KernelThis<{ Q: number; T: number }>, x: DeviceArray, xOff: number, t: number): number {
  const s = Math.floor((this.thread.x + 0.5) / this.constants.Q);
  const i = this.thread.x - s * this.constants.Q;
  return x[xOff + i * this.constants.T + t + s]!;
}

/** Steps taken (`T1…T6`) and own time lengths (`S1…S6`) of the six inputs of `joinTimeKernel`. */
type JoinConstants = {
  T1: number; T2: number; T3: number; T4: number; T5: number; T6: number;
  S1: number; S2: number; S3: number; S4: number; S5: number; S6: number;
};

/**
 * Joins up to six inputs along time into `(Q, T)`, `T = T1 + … + T6`: input `i` is `(Q, S_i)` and
 * gives its first `T_i ≤ S_i` steps. For flat output `p = q·T + s`, the input with
 * `T1 + … + T(i−1) ≤ s < T1 + … + T_i` gives `in_i[q·S_i + s − (T1 + … + T(i−1))]`. With `Q = 1`
 * it concatenates flat arrays; an unused input has `T_i = 0`.
 */
function joinTimeKernel(
  this: KernelThis<JoinConstants>,
  a: DeviceArray, aOff: number, b: DeviceArray, bOff: number, c: DeviceArray, cOff: number,
  d: DeviceArray, dOff: number, e: DeviceArray, eOff: number, f: DeviceArray, fOff: number,
): number {
  const T = this.constants.T1 + this.constants.T2 + this.constants.T3 + this.constants.T4 + this.constants.T5 + this.constants.T6;
  const q = Math.floor((this.thread.x + 0.5) / T);
  let s = this.thread.x - q * T;
  if (s < this.constants.T1) {
    return a[aOff + q * this.constants.S1 + s]!;
  }
  s -= this.constants.T1;
  if (s < this.constants.T2) {
    return b[bOff + q * this.constants.S2 + s]!;
  }
  s -= this.constants.T2;
  if (s < this.constants.T3) {
    return c[cOff + q * this.constants.S3 + s]!;
  }
  s -= this.constants.T3;
  if (s < this.constants.T4) {
    return d[dOff + q * this.constants.S4 + s]!;
  }
  s -= this.constants.T4;
  if (s < this.constants.T5) {
    return e[eOff + q * this.constants.S5 + s]!;
  }
  s -= this.constants.T5;
  return f[fOff + q * this.constants.S6 + s]!;
}

/** `out = a + b`, element-wise. */
function addKernel(this: KernelThis<object>, a: DeviceArray, aOff: number, b: DeviceArray, bOff: number): number {
  return a[aOff + this.thread.x]! + b[bOff + this.thread.x]!;
}

/** The kernel that copies `size` values: `upload` of host values, `copy` of a device view, `probe` to learn the mode. */
export function copyDef(name: 'probe' | 'upload' | 'copy', size: number): KernelDef {
  return { name, source: KERNEL_SOURCES.copyKernel, size, constants: {} } satisfies KernelDefOf<typeof copyKernel>;
}

/** `x (n,m,T)` → `x[:, :, t]` `(n,m)`: one launch, `t` is an argument so one kernel serves every step. */
export function sliceTime(ctx: GpuContext, x: Tensor, t: number): Tensor {
  const [n = 0, m = 0, T = 1] = x.shape;
  const out = ctx.run({ name: 'sliceTime', source: KERNEL_SOURCES.timeSlicesKernel, size: n * m, constants: { Q: n * m, T } } satisfies KernelDefOf<typeof timeSlicesKernel>, [x, t]);
  return ctx.view(out, 0, [n, m], x.dtype);
}

/**
 * `x (n, m, T)` time first, `(T, n, m)`, in one launch: step `t` is the `(n, m)` block from
 * `t·n·m`, so per-step tensors can view it.
 */
export function timeMajor(ctx: GpuContext, x: Tensor): DeviceBuffer {
  const [n = 0, m = 0, T = 1] = x.shape;
  return ctx.run({ name: 'timeMajor', source: KERNEL_SOURCES.timeSlicesKernel, size: n * m * T, constants: { Q: n * m, T } } satisfies KernelDefOf<typeof timeSlicesKernel>, [x, 0]);
}

/** One input of `joinTime`: the first `steps` time steps of `input`, `(Q, stride)` with `stride ≥ steps`. */
export interface TimePart {
  readonly input: Tensor | DeviceBuffer | BufferSlice;
  readonly steps: number;
  readonly stride: number;
}

/** Inputs per `joinTime` launch: six and the output, within the eight storage buffers a WebGPU kernel binds. */
const JOIN_FAN_IN = 6;

/** A whole buffer as one part of `joinTime`: `(Q, steps)`. */
export function wholePart(input: Tensor | DeviceBuffer | BufferSlice, steps: number): TimePart {
  return { input, steps, stride: steps };
}

/**
 * Joins `parts` along time into `(Q, Σ steps)`, up to six per launch, level after level: `P` parts
 * take about `(P − 1)/5` launches and each value is copied `⌈log₆ P⌉` times. One whole part that is
 * already a buffer is returned as it is. Intermediate levels are freed as soon as the next one is made.
 */
export function joinTime(ctx: GpuContext, parts: readonly TimePart[], Q: number): DeviceBuffer {
  let level = parts.filter((part) => part.steps > 0);
  const made = new Set<DeviceBuffer>();
  if (level.length === 0) throw new BackendError('joinTime', 'gpujs', 'there are no time steps to join');
  for (;;) {
    const [first] = level;
    if (level.length === 1 && isWhole(first)) return made.has(first.input) ? first.input : ctx.retain(first.input);
    const next: TimePart[] = [];
    for (let g = 0; g < level.length; g += JOIN_FAN_IN) {
      const group = level.slice(g, g + JOIN_FAN_IN);
      const [single] = group;
      if (group.length === 1 && level.length > 1 && isWhole(single)) {
        next.push(single);
        continue;
      }
      const joined = join(ctx, group, Q);
      made.add(joined);
      next.push(wholePart(joined, group.reduce((sum, part) => sum + part.steps, 0)));
    }
    for (const buffer of made) {
      if (!next.some((part) => part.input === buffer)) {
        made.delete(buffer);
        ctx.free(buffer);
      }
    }
    level = next;
  }
}

/** A part that is a whole buffer, which `joinTime` can hand on without copying it. */
function isWhole(part: TimePart | undefined): part is TimePart & { input: DeviceBuffer } {
  return part !== undefined && part.input instanceof DeviceBuffer && part.steps === part.stride;
}

/** One `joinTimeKernel` launch over up to six parts; the unused slots repeat the first input (their `T_i = 0`, never read). */
function join(ctx: GpuContext, group: readonly TimePart[], Q: number): DeviceBuffer {
  const [first] = group;
  if (first === undefined) throw new BackendError('joinTime', 'gpujs', 'a join needs at least one part');
  const steps = (i: number): number => group[i]?.steps ?? 0;
  const stride = (i: number): number => group[i]?.stride ?? 1;
  const T = group.reduce((sum, part) => sum + part.steps, 0);
  const def = {
    name: 'joinTime',
    source: KERNEL_SOURCES.joinTimeKernel,
    size: Q * T,
    constants: {
      T1: steps(0), T2: steps(1), T3: steps(2), T4: steps(3), T5: steps(4), T6: steps(5),
      S1: stride(0), S2: stride(1), S3: stride(2), S4: stride(3), S5: stride(4), S6: stride(5),
    },
  } satisfies KernelDefOf<typeof joinTimeKernel>;
  return ctx.run(def, Array.from({ length: JOIN_FAN_IN }, (_, i) => group[i]?.input ?? first.input));
}

/** `T` tensors `(n,m)` → `(n,m,T)`, joined six at a time (`joinTime`); always a new buffer. */
export function stackTime(ctx: GpuContext, steps: readonly Tensor[]): Tensor {
  const first = steps[0] as Tensor;
  const [n = 0, m = 0] = first.shape;
  const buffer = joinTime(ctx, steps.map((s) => wholePart(s, 1)), n * m);
  return ctx.view(buffer, 0, [n, m, steps.length], first.dtype);
}

/** Element-wise `a + b`. */
export function add(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
  const out = ctx.run({ name: 'add', source: KERNEL_SOURCES.addKernel, size: a.size, constants: {} } satisfies KernelDefOf<typeof addKernel>, [a, b]);
  return ctx.view(out, 0, a.shape, a.dtype);
}

/** `x` with column `j = p mod M` of its last axis zeroed where `keep[j] < 0.5`. */
function maskColumnsKernel(this: KernelThis<{ M: number }>, x: DeviceArray, xOff: number, keep: DeviceArray, keepOff: number): number {
  const M = this.constants.M;
  const j = this.thread.x - Math.floor((this.thread.x + 0.5) / M) * M;
  if (keep[keepOff + j]! < 0.5) {
    return 0;
  }
  return x[xOff + this.thread.x]!;
}

/**
 * The elements `[offset, offset + size(shape))` of `t` as a tensor of `shape`: a view of `t`'s
 * storage, no launch. A range outside `t` is refused with an `InvalidArgumentError`.
 */
export function sliceFlat(ctx: GpuContext, t: Tensor, offset: number, shape: readonly number[]): Tensor {
  checkSliceFlat(publicName('sliceFlat'), t, offset, shape);
  const held = ctx.hold(t);
  return ctx.view(held.buffer, held.offset + offset, shape, t.dtype);
}

/**
 * The elements of `parts` one after another as a tensor of `shape`: joined six at a time (`joinTime`
 * over flat arrays). A `shape` whose size is not the parts' total is refused with an `InvalidArgumentError`.
 */
export function concatFlat(ctx: GpuContext, parts: readonly Tensor[], shape: readonly number[]): Tensor {
  checkConcatFlat(publicName('concatFlat'), parts, shape);
  const first = parts[0] as Tensor;
  return ctx.view(joinTime(ctx, parts.map((part) => wholePart(part, part.size)), 1), 0, shape, first.dtype);
}

/** `t` with every column `j` of its last axis zeroed where `keep[j]` is false: `keep` (one flag per column) uploaded, one launch. */
export function maskColumns(ctx: GpuContext, t: Tensor, keep: readonly boolean[]): Tensor {
  checkMaskColumns(publicName('maskColumns'), t, keep);
  const flags = ctx.fromHost(Float32Array.from(keep, (k) => (k ? 1 : 0)));
  const out = ctx.run({ name: 'maskColumns', source: KERNEL_SOURCES.maskColumnsKernel, size: t.size, constants: { M: keep.length } } satisfies KernelDefOf<typeof maskColumnsKernel>, [t, flags]);
  return ctx.view(out, 0, t.shape, t.dtype);
}
