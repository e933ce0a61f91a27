import type { RnnCellBackwardArgs, RnnCellBackwardResult, RnnCellForwardArgs, RnnCellForwardResult, RnnWeightGrads } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelThis } from '../gpu-runtime.js';
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

/** `dtanh = (1 − aNext²) ⊙ (daNext + daCarry)`, `(nA, m)`; `carry = 0` leaves `daCarry` out. */
function rnnDtanhKernel(
  this: KernelThis<{ carry: number }>,
  aNext: DeviceArray, aNextOff: number, daNext: DeviceArray, daNextOff: number, daCarry: DeviceArray, daCarryOff: number,
): number {
  let da = daNext[daNextOff + this.thread.x]!;
  if (this.constants.carry === 1) {
    da += daCarry[daCarryOff + this.thread.x]!;
  }
  return tanhGradFromOutput(aNext[aNextOff + this.thread.x]!) * da;
}

/** `[daPrev; dxt]` `(nA + nX, m)`: row `r < nA` is `Σ_k Waa[k, r]·dtanh[k, c]`, row `nA + q` is `Σ_k Wax[k, q]·dtanh[k, c]`. */
function rnnInputGradKernel(
  this: KernelThis<Sizes>,
  Waa: DeviceArray, WaaOff: number, Wax: DeviceArray, WaxOff: number, dtanh: DeviceArray, dtanhOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const r = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - r * m;
  let s = 0;
  if (r < nA) {
    for (let k = 0; k < nA; k++) {
      s += Waa[WaaOff + k * nA + r]! * dtanh[dtanhOff + k * m + c]!;
    }
  } else {
    for (let k = 0; k < nA; k++) {
      s += Wax[WaxOff + k * nX + r - nA]! * dtanh[dtanhOff + k * m + c]!;
    }
  }
  return s;
}

/**
 * `[dWaa | dWax | dba]`, flat `nA·nA + nA·nX + nA`: `dWaa = dtanh·aPrevᵀ`, `dWax = dtanh·xtᵀ`,
 * `dba = Σ_c dtanh`, each plus its accumulator when `acc = 1`.
 */
function rnnWeightGradKernel(
  this: KernelThis<Sizes & { acc: number }>,
  dtanh: DeviceArray, dtanhOff: number, aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
  accWaa: DeviceArray, accWaaOff: number, accWax: DeviceArray, accWaxOff: number, accBa: DeviceArray, accBaOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const p = this.thread.x;
  let s = 0;
  if (p < nA * nA) {
    const r = Math.floor((p + 0.5) / nA);
    const k = p - r * nA;
    for (let c = 0; c < m; c++) {
      s += dtanh[dtanhOff + r * m + c]! * aPrev[aPrevOff + k * m + c]!;
    }
    if (this.constants.acc === 1) {
      s += accWaa[accWaaOff + p]!;
    }
  } else if (p < nA * (nA + nX)) {
    const q = p - nA * nA;
    const r = Math.floor((q + 0.5) / nX);
    const k = q - r * nX;
    for (let c = 0; c < m; c++) {
      s += dtanh[dtanhOff + r * m + c]! * xt[xtOff + k * m + c]!;
    }
    if (this.constants.acc === 1) {
      s += accWax[accWaxOff + q]!;
    }
  } else {
    const r = p - nA * (nA + nX);
    for (let c = 0; c < m; c++) {
      s += dtanh[dtanhOff + r * m + c]!;
    }
    if (this.constants.acc === 1) {
      s += accBa[accBaOff + r]!;
    }
  }
  return s;
}

/** One RNN step forward: the state kernel, then logits and softmax (three launches). */
export function rnnCellForward(ctx: GpuContext, p: RnnCellForwardArgs): RnnCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const a = ctx.run({ name: 'rnnState', source: rnnStateKernel, size: nA * m, constants: { nA, nX, m } }, [p.Waa, p.Wax, p.ba, p.aPrev, p.xt]);
  const aNext = ctx.view(a, 0, [nA, m], dtype);
  const ytPred = softmaxOutput(ctx, p.Wya, a, p.by, nA, m, dtype);
  ctx.free(a);
  return { aNext, ytPred };
}

/** One RNN step backward: `dtanh`, then `[daPrev; dxt]` and the weight gradients (three launches). */
export function rnnCellBackward(ctx: GpuContext, p: RnnCellBackwardArgs, acc?: RnnWeightGrads): RnnCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const carry = p.daCarry === undefined ? 0 : 1;
  const dtanh = ctx.run(
    { name: 'rnnDtanh', source: rnnDtanhKernel, size: nA * m, constants: { carry } },
    [p.aNext, p.daNext, p.daCarry ?? p.daNext],
  );
  const dconcat = ctx.run({ name: 'rnnInputGrad', source: rnnInputGradKernel, size: (nA + nX) * m, constants: { nA, nX, m } }, [p.Waa, p.Wax, dtanh]);
  const accInputs = acc === undefined ? [dtanh, dtanh, dtanh] : [acc.dWaa, acc.dWax, acc.dba];
  const grads = ctx.run(
    { name: 'rnnWeightGrad', source: rnnWeightGradKernel, size: nA * (nA + nX + 1), constants: { nA, nX, m, acc: acc === undefined ? 0 : 1 } },
    [dtanh, p.aPrev, p.xt, ...accInputs],
  );
  const result = {
    daPrev: ctx.view(dconcat, 0, [nA, m], dtype),
    dxt: ctx.view(dconcat, nA * m, [nX, m], dtype),
    dWaa: ctx.view(grads, 0, [nA, nA], dtype),
    dWax: ctx.view(grads, nA * nA, [nA, nX], dtype),
    dba: ctx.view(grads, nA * (nA + nX), [nA, 1], dtype),
  };
  ctx.free(dtanh, dconcat, grads);
  return result;
}
