import type { Tensor } from '@rnn/tensor';
import { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelThis } from '../gpu-runtime.js';

/** `out[i] = a[aOff + i]`, `(n)`: uploads host values (offset 0) or copies a view. */
function copyKernel(this: KernelThis<object>, a: DeviceArray, aOff: number): number {
  return a[aOff + this.thread.x]!;
}

/** `out[i, j] = x[i, j, t]` over the flat index `i·m + j` of `(n, m)`; `x (n, m, T)` stores `x[i, j, t]` at `(i·m + j)·T + t`. */
function sliceTimeKernel(this: KernelThis<{ T: number }>, x: DeviceArray, xOff: number, t: number): number {
  return x[xOff + this.thread.x * this.constants.T + t]!;
}

/**
 * Concatenates `a (n, m, T1)` and `b (n, m, T2)` along time into `(n, m, T1 + T2)`:
 * for flat output `p = q·T + s` (q = i·m + j), `s < T1` takes `a[q·T1 + s]`, else `b[q·T2 + s − T1]`.
 */
function joinTimeKernel(this: KernelThis<{ T1: number; T2: number }>, a: DeviceArray, aOff: number, b: DeviceArray, bOff: number): number {
  const T = this.constants.T1 + this.constants.T2;
  const q = Math.floor((this.thread.x + 0.5) / T);
  const s = this.thread.x - q * T;
  if (s < this.constants.T1) {
    return a[aOff + q * this.constants.T1 + s]!;
  }
  return b[bOff + q * this.constants.T2 + s - this.constants.T1]!;
}

/** `out = a + b`, element-wise. */
function addKernel(this: KernelThis<object>, a: DeviceArray, aOff: number, b: DeviceArray, bOff: number): number {
  return a[aOff + this.thread.x]! + b[bOff + this.thread.x]!;
}

/** The kernel that copies `size` values: `upload` of host values, `copy` of a device view. */
export function copyDef(name: 'upload' | 'copy', size: number): KernelDef {
  return { name, source: copyKernel, size, constants: {} };
}

/** `x (n,m,T)` → `x[:, :, t]` `(n,m)`: one launch, `t` is an argument so one kernel serves every step. */
export function sliceTime(ctx: GpuContext, x: Tensor, t: number): Tensor {
  const [n = 0, m = 0, T = 1] = x.shape;
  const out = ctx.run({ name: 'sliceTime', source: sliceTimeKernel, size: n * m, constants: { T } }, [x, t]);
  const step = ctx.view(out, 0, [n, m], x.dtype);
  ctx.free(out);
  return step;
}

/**
 * `T` tensors `(n,m)` → `(n,m,T)`. A kernel takes a fixed number of inputs, so the steps are
 * joined pairwise in a balanced tree: `T − 1` launches, each value copied `⌈log₂ T⌉` times.
 */
export function stackTime(ctx: GpuContext, steps: readonly Tensor[]): Tensor {
  const first = steps[0] as Tensor;
  const [n = 0, m = 0] = first.shape;
  const join = (from: number, to: number): { input: Tensor | DeviceBuffer; T: number } => {
    if (to - from === 1) return { input: steps[from] as Tensor, T: 1 };
    const mid = from + Math.floor((to - from) / 2);
    const left = join(from, mid);
    const right = join(mid, to);
    const def = { name: 'stackTime', source: joinTimeKernel, size: n * m * (to - from), constants: { T1: left.T, T2: right.T } };
    const joined = ctx.run(def, [left.input, right.input]);
    for (const part of [left.input, right.input]) if (part instanceof DeviceBuffer) ctx.free(part);
    return { input: joined, T: to - from };
  };
  const all = join(0, steps.length);
  const buffer = all.input instanceof DeviceBuffer ? all.input : ctx.run(copyDef('copy', n * m), [all.input]);
  const stacked = ctx.view(buffer, 0, [n, m, steps.length], first.dtype);
  ctx.free(buffer);
  return stacked;
}

/** Element-wise `a + b`. */
export function add(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
  const out = ctx.run({ name: 'add', source: addKernel, size: a.size, constants: {} }, [a, b]);
  const sum = ctx.view(out, 0, a.shape, a.dtype);
  ctx.free(out);
  return sum;
}
