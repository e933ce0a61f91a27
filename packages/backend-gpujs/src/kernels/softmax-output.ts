import type { DType, SoftmaxOutputArgs, Tensor } from '@rnn/tensor';
import type { GpuContext, KernelInput } from '../gpu-context.js';
import type { DeviceArray, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { affine } from './affine.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';

/** Softmax down each column of `z (nY, M)`: `e^{z[r,c] − max_k z[k,c]} / Σ_k e^{z[k,c] − max_k z[k,c]}`. */
function softmaxColumnsKernel(this: KernelThis<{ nY: number; M: number }>, z: DeviceArray, zOff: number): number {
  const nY = this.constants.nY;
  const M = this.constants.M;
  const r = Math.floor((this.thread.x + 0.5) / M);
  const c = this.thread.x - r * M;
  let top = z[zOff + c]!;
  for (let k = 1; k < nY; k++) {
    top = Math.max(top, z[zOff + k * M + c]!);
  }
  let sum = 0;
  for (let k = 0; k < nY; k++) {
    sum += Math.exp(z[zOff + k * M + c]! - top);
  }
  return Math.exp(z[zOff + r * M + c]! - top) / sum;
}

/**
 * `ŷ = softmax(W·a + b)` `(nY, …columns)` from `a (nA, …columns)`: `columns` is `[m]` for one step and
 * `[m, T]` for a sequence, which time last is the matrix `(nA, m·T)`. Two launches either way:
 * the logits (`affine`) and the column softmax.
 */
export function softmaxOutput(ctx: GpuContext, W: Tensor, a: KernelInput, b: Tensor, nA: number, columns: readonly number[], dtype: DType): Tensor {
  const nY = W.shape[0] ?? 0;
  const M = columns.reduce((x, y) => x * y, 1);
  const logits = affine(ctx, 'logits', W, a, b, { R: nY, n: nA, M, ld: nA, col0: 0 });
  const y = ctx.run({ name: 'softmax', source: KERNEL_SOURCES.softmaxColumnsKernel, size: nY * M, constants: { nY, M } } satisfies KernelDefOf<typeof softmaxColumnsKernel>, [logits]);
  return ctx.view(y, 0, [nY, ...columns], dtype);
}

/** The `softmaxOutput` kernel: the output layer of every step of `a (nA, m, T)` at once, `(nY, m, T)`. */
export function softmaxOutputSequence(ctx: GpuContext, p: SoftmaxOutputArgs): Tensor {
  const [nA = 0, ...columns] = p.a.shape;
  return softmaxOutput(ctx, p.W, p.a, p.b, nA, columns, p.a.dtype);
}

/** The `linearOutput` kernel: `ŷ = W·a + b` for every step of `a (nA, m, T)` at once, `(nY, m, T)`, one launch (the logits alone). */
export function linearOutputSequence(ctx: GpuContext, p: SoftmaxOutputArgs): Tensor {
  const [nA = 0, ...columns] = p.a.shape;
  const nY = p.W.shape[0] ?? 0;
  const M = columns.reduce((x, y) => x * y, 1);
  return ctx.view(affine(ctx, 'linearOutput', p.W, p.a, p.b, { R: nY, n: nA, M, ld: nA, col0: 0 }), 0, [nY, ...columns], p.a.dtype);
}
