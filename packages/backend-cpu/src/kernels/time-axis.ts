import { allocate, checkConcatFlat, checkMaskColumns, checkSliceFlat, type Tensor } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';

/** `x (n,m,T)` → `x[:, :, t]` `(n,m)`: a strided gather, time being the last axis. */
export function sliceTime(ctx: CpuContext, x: Tensor, t: number): Tensor {
  const [n = 0, m = 0, T = 0] = x.shape;
  const src = ctx.read(x);
  const out = allocate(n * m, x.dtype);
  for (let i = 0; i < n * m; i++) out[i] = src[i * T + t] as number;
  return ctx.tensor(out, [n, m]);
}

/** `T` tensors `(n,m)` → `(n,m,T)`, interleaving them along the last axis. */
export function stackTime(ctx: CpuContext, steps: readonly Tensor[]): Tensor {
  const first = steps[0] as Tensor;
  const [n = 0, m = 0] = first.shape;
  const T = steps.length;
  const out = allocate(n * m * T, first.dtype);
  steps.forEach((step, t) => {
    const src = ctx.read(step);
    for (let i = 0; i < n * m; i++) out[i * T + t] = src[i] as number;
  });
  return ctx.tensor(out, [n, m, T]);
}

/** Element-wise `a + b`. */
export function add(ctx: CpuContext, a: Tensor, b: Tensor): Tensor {
  const x = ctx.read(a);
  const y = ctx.read(b);
  const out = allocate(a.size, a.dtype);
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) + (y[i] as number);
  return ctx.tensor(out, a.shape);
}

/** The elements `[offset, offset + size(shape))` of `t`, as a tensor of `shape` (a copy); a range outside `t` is refused. */
export function sliceFlat(ctx: CpuContext, t: Tensor, offset: number, shape: readonly number[]): Tensor {
  checkSliceFlat('sliceFlat', t, offset, shape);
  const size = shape.reduce((a, b) => a * b, 1);
  return ctx.tensor(ctx.read(t).slice(offset, offset + size), shape);
}

/** The elements of `parts` one after another, as a tensor of `shape` (whose size must be their total). */
export function concatFlat(ctx: CpuContext, parts: readonly Tensor[], shape: readonly number[]): Tensor {
  checkConcatFlat('concatFlat', parts, shape);
  const first = parts[0] as Tensor;
  const out = allocate(shape.reduce((a, b) => a * b, 1), first.dtype);
  let at = 0;
  for (const part of parts) {
    out.set(ctx.read(part), at);
    at += part.size;
  }
  return ctx.tensor(out, shape);
}

/** `t` with the columns `j` of its last axis zeroed where `keep[j]` is false (one flag per column). */
export function maskColumns(ctx: CpuContext, t: Tensor, keep: readonly boolean[]): Tensor {
  checkMaskColumns('maskColumns', t, keep);
  const out = ctx.read(t).slice();
  const m = keep.length;
  for (let i = 0; i < out.length; i++) if (keep[i % m] !== true) out[i] = 0;
  return ctx.tensor(out, t.shape);
}
