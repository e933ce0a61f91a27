import type { DType, Tensor } from '@rnn/tensor';
import type { GpuContext, KernelInput } from '../gpu-context.js';
import type { DeviceArray, KernelThis } from '../gpu-runtime.js';

/** `z = W·a + b` `(nY, m)` for flat `p = r·m + c`: `z[r, c] = b[r] + Σ_k W[r, k]·a[k, c]`, `W (nY, nA)`. */
function logitsKernel(
  this: KernelThis<{ nY: number; nA: number; m: number }>,
  W: DeviceArray, WOff: number, a: DeviceArray, aOff: number, b: DeviceArray, bOff: number,
): number {
  const nA = this.constants.nA;
  const m = this.constants.m;
  const r = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - r * m;
  let z = b[bOff + r]!;
  for (let k = 0; k < nA; k++) {
    z += W[WOff + r * nA + k]! * a[aOff + k * m + c]!;
  }
  return z;
}

/** Softmax down each column of `z (nY, m)`: `e^{z[r,c] − max_k z[k,c]} / Σ_k e^{z[k,c] − max_k z[k,c]}`. */
function softmaxColumnsKernel(this: KernelThis<{ nY: number; m: number }>, z: DeviceArray, zOff: number): number {
  const nY = this.constants.nY;
  const m = this.constants.m;
  const r = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - r * m;
  let top = z[zOff + c]!;
  for (let k = 1; k < nY; k++) {
    top = Math.max(top, z[zOff + k * m + c]!);
  }
  let sum = 0;
  for (let k = 0; k < nY; k++) {
    sum += Math.exp(z[zOff + k * m + c]! - top);
  }
  return Math.exp(z[zOff + r * m + c]! - top) / sum;
}

/** `ytPred = softmax(W·a + b)` `(nY, m)` from `a (nA, m)`: two launches, logits then the column softmax. */
export function softmaxOutput(ctx: GpuContext, W: Tensor, a: KernelInput, b: Tensor, nA: number, m: number, dtype: DType): Tensor {
  const nY = W.shape[0] ?? 0;
  const logits = ctx.run({ name: 'logits', source: logitsKernel, size: nY * m, constants: { nY, nA, m } }, [W, a, b]);
  const y = ctx.run({ name: 'softmax', source: softmaxColumnsKernel, size: nY * m, constants: { nY, m } }, [logits]);
  const ytPred = ctx.view(y, 0, [nY, m], dtype);
  ctx.free(logits, y);
  return ytPred;
}
