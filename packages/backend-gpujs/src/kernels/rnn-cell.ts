import type { RnnCellBackwardArgs, RnnCellBackwardResult, RnnCellForwardArgs, RnnCellForwardResult, RnnWeightGrads } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { affineInputGradDef, affineWeightGradDef } from './affine.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { softmaxOutput } from './softmax-output.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function tanhOf(x: number): number;
declare function tanhGradFromOutput(t: number): number;

type Sizes = { nA: number; nX: number; m: number };

/** `aNext[r, c] = tanh(ba[r] + Σ_k Waa[r, k]·aPrev[k, c] + Σ_k Wax[r, k]·xt[k, c])`, `(nA, m)`. */
function rnnStateKernel(
  this: KernelThis<Sizes>,
  Waa: DeviceArray, WaaOff: number, Wax: DeviceArray, WaxOff: number, ba: DeviceArray, baOff: number,
  aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const r = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - r * m;
  let z = ba[baOff + r]!;
  for (let k = 0; k < nA; k++) {
    z += Waa[WaaOff + r * nA + k]! * aPrev[aPrevOff + k * m + c]!;
  }
  for (let k = 0; k < nX; k++) {
    z += Wax[WaxOff + r * nX + k]! * xt[xtOff + k * m + c]!;
  }
  return tanhOf(z);
}

/**
 * `dtanh = (1 − a[:, :, t]²) ⊙ (da[:, :, t] + daCarry)` `(nA, m)` from `a` and `da (nA, m, T)`; `carry = 0`
 * leaves `daCarry` out. One cell step is `T = 1`, `t = 0`. With `masked = 1` the output is
 * `[dtanh; pass]` `(2, nA, m)`: an example whose length `len[c] ≤ t` gets `dtanh = 0` and
 * `pass = daCarry` (its gradient passes the step unchanged, `da` there is ignored), the others `pass = 0`.
 */
function rnnDtanhKernel(
  this: KernelThis<{ nA: number; m: number; T: number; carry: number; masked: number }>,
  a: DeviceArray, aOff: number, da: DeviceArray, daOff: number, daCarry: DeviceArray, daCarryOff: number, len: DeviceArray, lenOff: number, t: number,
): number {
  const m = this.constants.m;
  const n = this.constants.nA * m;
  const half = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - half * n;
  const c = i - Math.floor((i + 0.5) / m) * m;
  let carried = 0;
  if (this.constants.carry === 1) {
    carried = daCarry[daCarryOff + i]!;
  }
  if (this.constants.masked === 1) {
    if (t >= len[lenOff + c]!) {
      if (half === 1) {
        return carried;
      }
      return 0;
    }
    if (half === 1) {
      return 0;
    }
  }
  const at = i * this.constants.T + t;
  return tanhGradFromOutput(a[aOff + at]!) * (da[daOff + at]! + carried);
}

/**
 * The `dtanh` kernel of step `t` of `a, da (nA, m, T)`, with or without a carried gradient, to run on
 * `[a, da, daCarry, len, t]`; `masked` adds the pass-through block (`rnnDtanhKernel`).
 */
export function rnnDtanhDef(nA: number, m: number, T: number, carry: boolean, masked: boolean): KernelDef {
  const constants = { nA, m, T, carry: carry ? 1 : 0, masked: masked ? 1 : 0 };
  return { name: 'rnnDtanh', source: KERNEL_SOURCES.rnnDtanhKernel, size: (masked ? 2 : 1) * nA * m, constants } satisfies KernelDefOf<typeof rnnDtanhKernel>;
}

/** One RNN step forward: the state kernel, then logits and softmax (three launches). */
export function rnnCellForward(ctx: GpuContext, p: RnnCellForwardArgs): RnnCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const a = ctx.run({ name: 'rnnState', source: KERNEL_SOURCES.rnnStateKernel, size: nA * m, constants: { nA, nX, m } } satisfies KernelDefOf<typeof rnnStateKernel>, [p.Waa, p.Wax, p.ba, p.aPrev, p.xt]);
  const aNext = ctx.view(a, 0, [nA, m], dtype);
  const ytPred = softmaxOutput(ctx, p.Wya, a, p.by, nA, [m], dtype);
  return { aNext, ytPred };
}

/** One RNN step backward: `dtanh`, then `[daPrev; dxt] = [Waa | Wax]ᵀ·dtanh` and `[dWaa | dWax | dba]` (three launches). */
export function rnnCellBackward(ctx: GpuContext, p: RnnCellBackwardArgs, acc?: RnnWeightGrads): RnnCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const dtanh = ctx.run(rnnDtanhDef(nA, m, 1, p.daCarry !== undefined, false), [p.aNext, p.daNext, p.daCarry ?? p.daNext, p.daNext, 0]);
  const dconcat = ctx.run(affineInputGradDef('rnnInputGrad', { R: nA, colsA: nA, colsB: nX, M: m, rowFrom: 0, rows: nA + nX }), [p.Waa, p.Wax, dtanh]);
  const accInputs = acc === undefined ? [dtanh, dtanh, dtanh] : [acc.dWaa, acc.dWax, acc.dba];
  const grads = ctx.run(affineWeightGradDef('rnnWeightGrad', { R: nA, nP: nA, nX, M: m, acc: acc !== undefined }), [dtanh, p.aPrev, p.xt, ...accInputs]);
  return {
    daPrev: ctx.view(dconcat, 0, [nA, m], dtype),
    dxt: ctx.view(dconcat, nA * m, [nX, m], dtype),
    dWaa: ctx.view(grads, 0, [nA, nA], dtype),
    dWax: ctx.view(grads, nA * nA, [nA, nX], dtype),
    dba: ctx.view(grads, nA * (nA + nX), [nA, 1], dtype),
  };
}
