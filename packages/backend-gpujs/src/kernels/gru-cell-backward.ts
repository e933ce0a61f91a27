import type { DType, GruCellBackwardArgs, GruCellBackwardResult, GruWeightGrads } from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { gateBiasGradDef } from './lstm-cell-backward.js';
import { joinTime, wholePart } from './time-axis.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function sigmoidGradFromOutput(s: number): number;
declare function tanhGradFromOutput(t: number): number;

/**
 * The GRU's gradients at time step `t`, stacked `[dz; dr; dhh; dhpre; direct]` `(5, nA, m)`, from the
 * step's `gates = [zt; rt; hh]` `(3, nA, m)`, the candidates `hct (nA, m, T)`, the states `a (nA, m, T)`
 * (`aPrev = a[:, :, before]`, or `a0` when `before < 0`: the step the walk came from) and the outside
 * gradient `da (nA, m, T)` (SPEC.md, "GRU"):
 *
 *     dA    = da[:, :, t] + daCarry          dhct = dA ⊙ (1 − zt)         dhpre = dhct ⊙ (1 − hct²)
 *     dz    = dA ⊙ (aPrev − hct) ⊙ zt(1 − zt)   dr = dhpre ⊙ hh ⊙ rt(1 − rt)   dhh = dhpre ⊙ rt
 *     direct = dA ⊙ zt                       (the part of daPrev that is no product)
 *
 * `carry = 0` leaves `daCarry` out. With `masked = 1` an example whose length `len[c] ≤ t` gets zero
 * gradients and `direct = daCarry`: its gradient passes the step unchanged. One cell step is
 * `T = 1`, `t = 0`, `before = −1` with `hct` the step's, `a0 = aPrev`.
 */
function gruGateGradKernel(
  this: KernelThis<{ nA: number; m: number; T: number; carry: number; masked: number }>,
  da: DeviceArray, daOff: number, daCarry: DeviceArray, daCarryOff: number, gates: DeviceArray, gatesOff: number,
  hct: DeviceArray, hctOff: number, a: DeviceArray, aOff: number, a0: DeviceArray, a0Off: number, len: DeviceArray, lenOff: number,
  t: number, before: number,
): number {
  const m = this.constants.m;
  const n = this.constants.nA * m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  let carried = 0;
  if (this.constants.carry === 1) {
    carried = daCarry[daCarryOff + i]!;
  }
  if (this.constants.masked === 1) {
    const col = i - Math.floor((i + 0.5) / m) * m;
    if (t >= len[lenOff + col]!) {
      if (part === 4) {
        return carried;
      }
      return 0;
    }
  }
  const at = i * this.constants.T + t;
  const dA = da[daOff + at]! + carried;
  const z = gates[gatesOff + i]!;
  if (part === 4) {
    return dA * z;
  }
  const h = hct[hctOff + at]!;
  if (part === 0) {
    let aPrev = 0;
    if (before < 0) {
      aPrev = a0[a0Off + i]!;
    } else {
      aPrev = a[aOff + i * this.constants.T + before]!;
    }
    return dA * (aPrev - h) * sigmoidGradFromOutput(z);
  }
  const dhpre = dA * (1 - z) * tanhGradFromOutput(h);
  if (part === 3) {
    return dhpre;
  }
  const r = gates[gatesOff + n + i]!;
  if (part === 1) {
    return dhpre * gates[gatesOff + 2 * n + i]! * sigmoidGradFromOutput(r);
  }
  return dhpre * r;
}

/**
 * Rows `rowFrom …` (the output size says how many) of `[daPrev; dx]` `(nA + nX, M)` from
 * `dG = [dz; dr; dhh; dhpre; direct]` `(5, nA, M)`: row `k < nA` is
 * `Σ_r Wz[r, k]·dz + Wr[r, k]·dr + Whh[r, k]·dhh`, plus `direct[k]` when `direct = 1`; row `nA + q` is
 * `Σ_r Wz[r, nA + q]·dz + Wr[r, nA + q]·dr + Whx[r, q]·dhpre`. SPEC.md's `daPrev` and `dxt`.
 */
function gruInputGradKernel(
  this: KernelThis<{ nA: number; nX: number; m: number; rowFrom: number; direct: number }>,
  Wz: DeviceArray, WzOff: number, Wr: DeviceArray, WrOff: number, Whh: DeviceArray, WhhOff: number, Whx: DeviceArray, WhxOff: number,
  dG: DeviceArray, dGOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const M = this.constants.m;
  const K = nA + nX;
  const row = Math.floor((this.thread.x + 0.5) / M);
  const c = this.thread.x - row * M;
  const k = this.constants.rowFrom + row;
  let s = 0;
  if (k < nA) {
    for (let r = 0; r < nA; r++) {
      const d = dGOff + r * M + c;
      s += Wz[WzOff + r * K + k]! * dG[d]! + Wr[WrOff + r * K + k]! * dG[d + nA * M]! + Whh[WhhOff + r * nA + k]! * dG[d + 2 * nA * M]!;
    }
    if (this.constants.direct === 1) {
      s += dG[dGOff + (4 * nA + k) * M + c]!;
    }
    return s;
  }
  for (let r = 0; r < nA; r++) {
    const d = dGOff + r * M + c;
    s += Wz[WzOff + r * K + k]! * dG[d]! + Wr[WrOff + r * K + k]! * dG[d + nA * M]! + Whx[WhxOff + r * nX + k - nA]! * dG[d + 3 * nA * M]!;
  }
  return s;
}

/**
 * `[dWz | dWr | dWhh | dWhx]`, flat `2·nA·K + nA·nA + nA·nX`, from `dG (5, nA, M)`, `aPrev (nA, M)` and
 * `x (nX, M)`: `dWz = dz·[aPrev; x]ᵀ`, `dWr = dr·[aPrev; x]ᵀ`, `dWhh = dhh·aPrevᵀ`, `dWhx = dhpre·xᵀ`,
 * each plus its accumulator when `acc = 1`.
 */
function gruWeightGradKernel(
  this: KernelThis<{ nA: number; nX: number; m: number; acc: number }>,
  dG: DeviceArray, dGOff: number, aPrev: DeviceArray, aPrevOff: number, x: DeviceArray, xOff: number,
  accWz: DeviceArray, accWzOff: number, accWr: DeviceArray, accWrOff: number, accWhh: DeviceArray, accWhhOff: number, accWhx: DeviceArray, accWhxOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const M = this.constants.m;
  const K = nA + nX;
  const i = this.thread.x;
  let s = 0;
  if (i < 2 * nA * K) {
    const g = Math.floor((i + 0.5) / (nA * K));
    const q = i - g * nA * K;
    const r = Math.floor((q + 0.5) / K);
    const k = q - r * K;
    const d = dGOff + (g * nA + r) * M;
    if (k < nA) {
      for (let c = 0; c < M; c++) s += dG[d + c]! * aPrev[aPrevOff + k * M + c]!;
    } else {
      for (let c = 0; c < M; c++) s += dG[d + c]! * x[xOff + (k - nA) * M + c]!;
    }
    if (this.constants.acc === 1) {
      if (g === 0) s += accWz[accWzOff + q]!;
      if (g === 1) s += accWr[accWrOff + q]!;
    }
    return s;
  }
  if (i < 2 * nA * K + nA * nA) {
    const q = i - 2 * nA * K;
    const r = Math.floor((q + 0.5) / nA);
    const k = q - r * nA;
    const d = dGOff + (2 * nA + r) * M;
    for (let c = 0; c < M; c++) s += dG[d + c]! * aPrev[aPrevOff + k * M + c]!;
    if (this.constants.acc === 1) {
      s += accWhh[accWhhOff + q]!;
    }
    return s;
  }
  const q = i - 2 * nA * K - nA * nA;
  const r = Math.floor((q + 0.5) / nX);
  const k = q - r * nX;
  const d = dGOff + (3 * nA + r) * M;
  for (let c = 0; c < M; c++) s += dG[d + c]! * x[xOff + k * M + c]!;
  if (this.constants.acc === 1) {
    s += accWhx[accWhxOff + q]!;
  }
  return s;
}

/** `gruGateGradKernel` for a step of a `T`-step sequence, to run on `[da, daCarry, gates, hct, a, a0, len, t, before]`. */
export function gruGateGradDef(nA: number, m: number, T: number, carry: boolean, masked: boolean): KernelDef {
  const constants = { nA, m, T, carry: carry ? 1 : 0, masked: masked ? 1 : 0 };
  return { name: 'gruGateGrad', source: KERNEL_SOURCES.gruGateGradKernel, size: 5 * nA * m, constants } satisfies KernelDefOf<typeof gruGateGradKernel>;
}

/** Rows `rowFrom … rowFrom + rows − 1` of `[daPrev; dx]` over `M` columns, to run on `[Wz, Wr, Whh, Whx, dG]`; `direct` adds `dG`'s fifth block to `daPrev`. */
export function gruInputGradDef(nA: number, nX: number, M: number, rowFrom: number, rows: number, direct: boolean): KernelDef {
  const constants = { nA, nX, m: M, rowFrom, direct: direct ? 1 : 0 };
  return { name: 'gruInputGrad', source: KERNEL_SOURCES.gruInputGradKernel, size: rows * M, constants } satisfies KernelDefOf<typeof gruInputGradKernel>;
}

/** `[dWz | dWr | dWhh | dWhx]` summed over `M` columns, to run on `[dG, aPrev, x, accWz, accWr, accWhh, accWhx]`. */
export function gruWeightGradDef(nA: number, nX: number, M: number, acc: boolean): KernelDef {
  const size = nA * (2 * (nA + nX) + nA + nX);
  return { name: 'gruWeightGrad', source: KERNEL_SOURCES.gruWeightGradKernel, size, constants: { nA, nX, m: M, acc: acc ? 1 : 0 } } satisfies KernelDefOf<typeof gruWeightGradKernel>;
}

/** The GRU's weight gradients as views of `[dWz | dWr | dWhh | dWhx]` and `[dbz; dbr; dbhh; dbhx]`. */
export function gruWeightGradViews(ctx: GpuContext, dW: DeviceBuffer, db: DeviceBuffer, nA: number, nX: number, dtype: DType): GruWeightGrads {
  const K = nA + nX;
  const bias = [nA, 1];
  return {
    dWz: ctx.view(dW, 0, [nA, K], dtype),
    dWr: ctx.view(dW, nA * K, [nA, K], dtype),
    dWhh: ctx.view(dW, 2 * nA * K, [nA, nA], dtype),
    dWhx: ctx.view(dW, 2 * nA * K + nA * nA, [nA, nX], dtype),
    dbz: ctx.view(db, 0, bias, dtype),
    dbr: ctx.view(db, nA, bias, dtype),
    dbhh: ctx.view(db, 2 * nA, bias, dtype),
    dbhx: ctx.view(db, 3 * nA, bias, dtype),
  };
}

/**
 * One GRU step backward in five launches: `[zt; rt; hh]` joined, `dG = [dz; dr; dhh; dhpre; direct]`,
 * `[daPrev; dxt]`, the weight gradients and the bias gradients (each plus `acc`).
 */
export function gruCellBackward(ctx: GpuContext, p: GruCellBackwardArgs, acc?: GruWeightGrads): GruCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const n = nA * m;
  const dtype = p.xt.dtype;
  const gates = joinTime(ctx, [p.zt, p.rt, p.hh].map((g) => wholePart(g, n)), 1);
  const dG = ctx.run(gruGateGradDef(nA, m, 1, p.daCarry !== undefined, false), [p.daNext, p.daCarry ?? p.daNext, gates, p.hct, p.hct, p.aPrev, p.daNext, 0, -1]);
  const dconcat = ctx.run(gruInputGradDef(nA, nX, m, 0, nA + nX, true), [p.Wz, p.Wr, p.Whh, p.Whx, dG]);
  const dW = ctx.run(gruWeightGradDef(nA, nX, m, acc !== undefined), [dG, p.aPrev, p.xt, ...(acc === undefined ? [dG, dG, dG, dG] : [acc.dWz, acc.dWr, acc.dWhh, acc.dWhx])]);
  const db = ctx.run(gateBiasGradDef('gruBiasGrad', nA, m, acc !== undefined), [dG, ...(acc === undefined ? [dG, dG, dG, dG] : [acc.dbz, acc.dbr, acc.dbhh, acc.dbhx])]);
  return {
    daPrev: ctx.view(dconcat, 0, [nA, m], dtype),
    dxt: ctx.view(dconcat, n, [nX, m], dtype),
    ...gruWeightGradViews(ctx, dW, db, nA, nX, dtype),
  };
}
