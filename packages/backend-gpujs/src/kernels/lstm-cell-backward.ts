import type { LstmCellBackwardArgs, LstmCellBackwardResult, LstmWeightGrads } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { joinTime, wholePart } from './time-axis.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function tanhOf(x: number): number;
declare function sigmoidGradFromOutput(s: number): number;
declare function tanhGradFromOutput(t: number): number;

type Sizes = { nA: number; nX: number; m: number };

/** Switches and sizes of `lstmGateGradKernel`. */
type GateGradConstants = { nA: number; m: number; T: number; carryA: number; carryC: number; masked: number };

/**
 * The gate gradients and `dcPrev` of time step `t`, stacked `[dft; dit; dcct; dot; dcPrev]` `(5, nA, m)`,
 * from the gates `[ft; it; cct; ot]` `(4, nA, m)`, the cell states `c (nA, m, T)` (`cNext = c[:, :, t]`,
 * `cPrev = c[:, :, before]`, or `c0` when `before < 0`: the step the walk came from) and the outside
 * gradient `da (nA, m, T)`:
 *
 *     dA   = da[:, :, t] + daCarry                 dc   = dcNext + dA ⊙ ot ⊙ (1 − tanh²(cNext))
 *     dot  = dA ⊙ tanh(cNext) ⊙ ot(1 − ot)         dft  = dc ⊙ cPrev ⊙ ft(1 − ft)
 *     dit  = dc ⊙ cct ⊙ it(1 − it)                 dcct = dc ⊙ it ⊙ (1 − cct²)      dcPrev = dc ⊙ ft
 *
 * `carryA = 0` leaves `daCarry` out and `carryC = 0` leaves `dcNext` out (both zero before the
 * first step back). With `masked = 1` a sixth block follows, `daPass`: an example whose length
 * `len[c] ≤ t` gets zero gate gradients, `dcPrev = dcNext` and `daPass = daCarry` (its gradients
 * pass the step unchanged), the others `daPass = 0`. One cell step is `T = 1`, `t = 0`,
 * `before = −1` with `c = cNext`, `c0 = cPrev`.
 */
function lstmGateGradKernel(
  this: KernelThis<GateGradConstants>,
  da: DeviceArray, daOff: number, daCarry: DeviceArray, daCarryOff: number, dcNext: DeviceArray, dcNextOff: number,
  c: DeviceArray, cOff: number, c0: DeviceArray, c0Off: number, gates: DeviceArray, gatesOff: number, len: DeviceArray, lenOff: number,
  t: number, before: number,
): number {
  const m = this.constants.m;
  const n = this.constants.nA * m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  let carriedA = 0;
  if (this.constants.carryA === 1) {
    carriedA = daCarry[daCarryOff + i]!;
  }
  let carriedC = 0;
  if (this.constants.carryC === 1) {
    carriedC = dcNext[dcNextOff + i]!;
  }
  if (this.constants.masked === 1) {
    const col = i - Math.floor((i + 0.5) / m) * m;
    if (t >= len[lenOff + col]!) {
      if (part === 4) {
        return carriedC;
      }
      if (part === 5) {
        return carriedA;
      }
      return 0;
    }
    if (part === 5) {
      return 0;
    }
  }
  const at = i * this.constants.T + t;
  const dA = da[daOff + at]! + carriedA;
  let cPrev = 0;
  if (before < 0) {
    cPrev = c0[c0Off + i]!;
  } else {
    cPrev = c[cOff + i * this.constants.T + before]!;
  }
  const f = gates[gatesOff + i]!;
  const u = gates[gatesOff + n + i]!;
  const cc = gates[gatesOff + 2 * n + i]!;
  const o = gates[gatesOff + 3 * n + i]!;
  const tc = tanhOf(c[cOff + at]!);
  const dc = dA * o * tanhGradFromOutput(tc) + carriedC;
  if (part === 0) {
    return dc * cPrev * sigmoidGradFromOutput(f);
  }
  if (part === 1) {
    return dc * cc * sigmoidGradFromOutput(u);
  }
  if (part === 2) {
    return dc * u * tanhGradFromOutput(cc);
  }
  if (part === 3) {
    return dA * tc * sigmoidGradFromOutput(o);
  }
  return dc * f;
}

/**
 * `lstmGateGradKernel` for a step of a `T`-step sequence, to run on `[da, daCarry, dcNext, c, c0, gates, len, t, before]`;
 * `(5, nA, m)`, or `(6, nA, m)` with the pass-through block when `masked`.
 */
export function lstmGateGradDef(nA: number, m: number, T: number, carry: { readonly a: boolean; readonly c: boolean }, masked: boolean): KernelDef {
  const constants = { nA, m, T, carryA: carry.a ? 1 : 0, carryC: carry.c ? 1 : 0, masked: masked ? 1 : 0 };
  return { name: 'lstmGateGrad', source: KERNEL_SOURCES.lstmGateGradKernel, size: (masked ? 6 : 5) * nA * m, constants } satisfies KernelDefOf<typeof lstmGateGradKernel>;
}

/**
 * `dconcat = Σ_g W_gᵀ·dg` `(K = nA + nX, m)` from row `rowFrom` on (the output size says how many):
 * `dconcat[k, c] = Σ_g Σ_r W_g[r, k]·dgates[g, r, c]`, `dgates (4, nA, m)`. Rows `< nA` are `daPrev`, the
 * others `dxt`. With `pass = 1`, rows `k < nA` add `dgates[5, k, c]`, the pass-through block of `lstmGateGradKernel`.
 */
function lstmInputGradKernel(
  this: KernelThis<Sizes & { rowFrom: number; pass: number }>,
  Wf: DeviceArray, WfOff: number, Wi: DeviceArray, WiOff: number, Wc: DeviceArray, WcOff: number, Wo: DeviceArray, WoOff: number,
  dgates: DeviceArray, dgatesOff: number,
): number {
  const nA = this.constants.nA;
  const m = this.constants.m;
  const K = nA + this.constants.nX;
  const n = nA * m;
  const row = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - row * m;
  const k = this.constants.rowFrom + row;
  let s = 0;
  for (let r = 0; r < nA; r++) {
    const d = dgatesOff + r * m + c;
    s += Wf[WfOff + r * K + k]! * dgates[d]! + Wi[WiOff + r * K + k]! * dgates[d + n]!
      + Wc[WcOff + r * K + k]! * dgates[d + 2 * n]! + Wo[WoOff + r * K + k]! * dgates[d + 3 * n]!;
  }
  if (this.constants.pass === 1) {
    if (k < nA) {
      s += dgates[dgatesOff + 5 * n + k * m + c]!;
    }
  }
  return s;
}

/**
 * `[dWf; dWi; dWc; dWo]` `(4, nA, K)`, flat: `dW_g[r, k] = Σ_c dg[r, c]·concat[k, c]` with
 * `concat = [aPrev; xt]`, plus its accumulator when `acc = 1`.
 */
function lstmWeightGradKernel(
  this: KernelThis<Sizes & { acc: number }>,
  dgates: DeviceArray, dgatesOff: number, aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
  accWf: DeviceArray, accWfOff: number, accWi: DeviceArray, accWiOff: number,
  accWc: DeviceArray, accWcOff: number, accWo: DeviceArray, accWoOff: number,
): number {
  const nA = this.constants.nA;
  const m = this.constants.m;
  const K = nA + this.constants.nX;
  const g = Math.floor((this.thread.x + 0.5) / (nA * K));
  const q = this.thread.x - g * nA * K;
  const r = Math.floor((q + 0.5) / K);
  const k = q - r * K;
  const d = dgatesOff + (g * nA + r) * m;
  let s = 0;
  if (k < nA) {
    for (let c = 0; c < m; c++) s += dgates[d + c]! * aPrev[aPrevOff + k * m + c]!;
  } else {
    for (let c = 0; c < m; c++) s += dgates[d + c]! * xt[xtOff + (k - nA) * m + c]!;
  }
  if (this.constants.acc === 1) {
    if (g === 0) s += accWf[accWfOff + q]!;
    if (g === 1) s += accWi[accWiOff + q]!;
    if (g === 2) s += accWc[accWcOff + q]!;
    if (g === 3) s += accWo[accWoOff + q]!;
  }
  return s;
}

/**
 * The bias gradients of four stacked gate blocks `(4, nA)`: `db_g[r] = Σ_c dg[r, c]`, plus its
 * accumulator when `acc = 1` (`[dbf; dbi; dbc; dbo]` for the LSTM, `[dbz; dbr; dbhh; dbhx]` for the GRU).
 */
function gateBiasGradKernel(
  this: KernelThis<{ nA: number; m: number; acc: number }>,
  dgates: DeviceArray, dgatesOff: number,
  accBf: DeviceArray, accBfOff: number, accBi: DeviceArray, accBiOff: number,
  accBc: DeviceArray, accBcOff: number, accBo: DeviceArray, accBoOff: number,
): number {
  const nA = this.constants.nA;
  const m = this.constants.m;
  const g = Math.floor((this.thread.x + 0.5) / nA);
  const r = this.thread.x - g * nA;
  let s = 0;
  for (let c = 0; c < m; c++) s += dgates[dgatesOff + this.thread.x * m + c]!;
  if (this.constants.acc === 1) {
    if (g === 0) s += accBf[accBfOff + r]!;
    if (g === 1) s += accBi[accBiOff + r]!;
    if (g === 2) s += accBc[accBcOff + r]!;
    if (g === 3) s += accBo[accBoOff + r]!;
  }
  return s;
}

/** Rows `rowFrom … rowFrom + rows − 1` of `Σ_g W_gᵀ·dg` over `M` columns, to run on `[Wf, Wi, Wc, Wo, dgates]`; `pass` adds the pass-through block. */
export function lstmInputGradDef(nA: number, nX: number, M: number, rowFrom: number, rows: number, pass = false): KernelDef {
  const constants = { nA, nX, m: M, rowFrom, pass: pass ? 1 : 0 };
  return { name: 'lstmInputGrad', source: KERNEL_SOURCES.lstmInputGradKernel, size: rows * M, constants } satisfies KernelDefOf<typeof lstmInputGradKernel>;
}

/** `[dWf; dWi; dWc; dWo]` summed over `M` columns, to run on `[dgates, aPrev, xt, accWf, accWi, accWc, accWo]`. */
export function lstmWeightGradDef(nA: number, nX: number, M: number, acc: boolean): KernelDef {
  return { name: 'lstmWeightGrad', source: KERNEL_SOURCES.lstmWeightGradKernel, size: 4 * nA * (nA + nX), constants: { nA, nX, m: M, acc: acc ? 1 : 0 } } satisfies KernelDefOf<typeof lstmWeightGradKernel>;
}

/** The bias gradients of four stacked gate blocks summed over `M` columns, under `name`, to run on `[dgates, acc0, acc1, acc2, acc3]`. */
export function gateBiasGradDef(name: string, nA: number, M: number, acc: boolean): KernelDef {
  return { name, source: KERNEL_SOURCES.gateBiasGradKernel, size: 4 * nA, constants: { nA, m: M, acc: acc ? 1 : 0 } } satisfies KernelDefOf<typeof gateBiasGradKernel>;
}

/**
 * One LSTM step backward in five launches: the gates joined into `[ft; it; cct; ot]`, the stacked
 * gate gradients with `dcPrev`, `dconcat = [daPrev; dxt]`, the weight gradients and the bias
 * gradients (each plus `acc`). Every kernel binds at most seven inputs, WebGPU's limit with the output.
 */
export function lstmCellBackward(ctx: GpuContext, p: LstmCellBackwardArgs, acc?: LstmWeightGrads): LstmCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const K = nA + nX;
  const n = nA * m;
  const dtype = p.xt.dtype;
  const gates = joinTime(ctx, [p.ft, p.it, p.cct, p.ot].map((g) => wholePart(g, n)), 1);
  const dgates = ctx.run(
    lstmGateGradDef(nA, m, 1, { a: p.daCarry !== undefined, c: true }, false),
    [p.daNext, p.daCarry ?? p.daNext, p.dcNext, p.cNext, p.cPrev, gates, p.daNext, 0, -1],
  );
  const dconcat = ctx.run(lstmInputGradDef(nA, nX, m, 0, K), [p.Wf, p.Wi, p.Wc, p.Wo, dgates]);
  const dW = ctx.run(
    lstmWeightGradDef(nA, nX, m, acc !== undefined),
    [dgates, p.aPrev, p.xt, ...(acc === undefined ? [dgates, dgates, dgates, dgates] : [acc.dWf, acc.dWi, acc.dWc, acc.dWo])],
  );
  const db = ctx.run(
    gateBiasGradDef('lstmBiasGrad', nA, m, acc !== undefined),
    [dgates, ...(acc === undefined ? [dgates, dgates, dgates, dgates] : [acc.dbf, acc.dbi, acc.dbc, acc.dbo])],
  );
  const w = [nA, K];
  const b = [nA, 1];
  return {
    daPrev: ctx.view(dconcat, 0, [nA, m], dtype),
    dxt: ctx.view(dconcat, n, [nX, m], dtype),
    dcPrev: ctx.view(dgates, 4 * n, [nA, m], dtype),
    dWf: ctx.view(dW, 0, w, dtype),
    dWi: ctx.view(dW, nA * K, w, dtype),
    dWc: ctx.view(dW, 2 * nA * K, w, dtype),
    dWo: ctx.view(dW, 3 * nA * K, w, dtype),
    dbf: ctx.view(db, 0, b, dtype),
    dbi: ctx.view(db, nA, b, dtype),
    dbc: ctx.view(db, 2 * nA, b, dtype),
    dbo: ctx.view(db, 3 * nA, b, dtype),
  };
}
