import type { Tensor } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';

/** `x (n,m,T)` → `x[:, :, t]` `(n,m)`: a strided gather, time being the last axis. */
export function sliceTime(ctx: CpuContext, x: Tensor, t: number): Tensor {
  const [n = 0, m = 0, T = 0] = x.shape;
  const src = ctx.readTensor(x);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) out[i] = src[i * T + t] as number;
  return ctx.store(out, [n, m], x.dtype).tensor;
}

/** `T` tensors `(n,m)` → `(n,m,T)`, interleaving them along the last axis. */
export function stackTime(ctx: CpuContext, steps: readonly Tensor[]): Tensor {
  const first = steps[0] as Tensor;
  const [n = 0, m = 0] = first.shape;
  const T = steps.length;
  const out = new Float64Array(n * m * T);
  steps.forEach((step, t) => {
    const src = ctx.readTensor(step);
    for (let i = 0; i < n * m; i++) out[i * T + t] = src[i] as number;
  });
  return ctx.store(out, [n, m, T], first.dtype).tensor;
}

/** Element-wise `a + b`. */
export function add(ctx: CpuContext, a: Tensor, b: Tensor): Tensor {
  const x = ctx.readTensor(a);
  const y = ctx.readTensor(b);
  const out = new Float64Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) + (y[i] as number);
  return ctx.store(out, a.shape, a.dtype).tensor;
}
