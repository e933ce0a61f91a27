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
type GateGradConstants = { nA: number; m: number; T: number; carryA: number; carryC: number };

/**
 * The gate gradients and `dcPrev` of step `t`, stacked `[dft; dit; dcct; dot; dcPrev]` `(5, nA, m)`,
 * from the gates `[ft; it; cct; ot]` `(4, nA, m)`, the cell states `c (nA, m, T)` (`cNext = c[:, :, t]`,
 * `cPrev = c[:, :, t − 1]`, or `c0` at `t = 0`) and the outside gradient `da (nA, m, T)`:
 *
 *     dA   = da[:, :, t] + daCarry                 dc   = dcNext + dA ⊙ ot ⊙ (1 − tanh²(cNext))
 *     dot  = dA ⊙ tanh(cNext) ⊙ ot(1 − ot)         dft  = dc ⊙ cPrev ⊙ ft(1 − ft)
 *     dit  = dc ⊙ cct ⊙ it(1 − it)                 dcct = dc ⊙ it ⊙ (1 − cct²)      dcPrev = dc ⊙ ft
 *
 * `carryA = 0` leaves `daCarry` out and `carryC = 0` leaves `dcNext` out (both zero after the last
 * step). One cell step is `T = 1`, `t = 0` with `c = cNext`, `c0 = cPrev`.
 */
function lstmGateGradKernel(
  this: KernelThis<GateGradConstants>,
  da: DeviceArray, daOff: number, daCarry: DeviceArray, daCarryOff: number, dcNext: DeviceArray, dcNextOff: number,
  c: DeviceArray, cOff: number, c0: DeviceArray, c0Off: number, gates: DeviceArray, gatesOff: number, t: number,
): number {
  const n = this.constants.nA * this.constants.m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  const at = i * this.constants.T + t;
  let dA = da[daOff + at]!;
  if (this.constants.carryA === 1) {
    dA += daCarry[daCarryOff + i]!;
  }
  let cPrev = 0;
  if (t === 0) {
    cPrev = c0[c0Off + i]!;
  } else {
    cPrev = c[cOff + at - 1]!;
  }
  const f = gates[gatesOff + i]!;
  const u = gates[gatesOff + n + i]!;
  const cc = gates[gatesOff + 2 * n + i]!;
  const o = gates[gatesOff + 3 * n + i]!;
  const tc = tanhOf(c[cOff + at]!);
  let dc = dA * o * tanhGradFromOutput(tc);
  if (this.constants.carryC === 1) {
    dc += dcNext[dcNextOff + i]!;
  }
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

/** `lstmGateGradKernel` for step `t` of a `T`-step sequence, to run on `[da, daCarry, dcNext, c, c0, gates, t]`. */
export function lstmGateGradDef(nA: number, m: number, T: number, carry: { readonly a: boolean; readonly c: boolean }): KernelDef {
  return { name: 'lstmGateGrad', source: KERNEL_SOURCES.lstmGateGradKernel, size: 5 * nA * m, constants: { nA, m, T, carryA: carry.a ? 1 : 0, carryC: carry.c ? 1 : 0 } } satisfies KernelDefOf<typeof lstmGateGradKernel>;
}

/**
 * `dconcat = Σ_g W_gᵀ·dg` `(K = nA + nX, m)` from row `rowFrom` on (the output size says how many):
 * `dconcat[k, c] = Σ_g Σ_r W_g[r, k]·dgates[g, r, c]`, `dgates (4, nA, m)`. Rows `< nA` are `daPrev`, the others `dxt`.
 */
function lstmInputGradKernel(
  this: KernelThis<Sizes & { rowFrom: number }>,
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

/** `[dbf; dbi; dbc; dbo]` `(4, nA)`: `db_g[r] = Σ_c dg[r, c]`, plus its accumulator when `acc = 1`. */
function lstmBiasGradKernel(
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

/** Rows `rowFrom … rowFrom + rows − 1` of `Σ_g W_gᵀ·dg` over `M` columns, to run on `[Wf, Wi, Wc, Wo, dgates]`. */
export function lstmInputGradDef(nA: number, nX: number, M: number, rowFrom: number, rows: number): KernelDef {
  return { name: 'lstmInputGrad', source: KERNEL_SOURCES.lstmInputGradKernel, size: rows * M, constants: { nA, nX, m: M, rowFrom } } satisfies KernelDefOf<typeof lstmInputGradKernel>;
}

/** `[dWf; dWi; dWc; dWo]` summed over `M` columns, to run on `[dgates, aPrev, xt, accWf, accWi, accWc, accWo]`. */
export function lstmWeightGradDef(nA: number, nX: number, M: number, acc: boolean): KernelDef {
  return { name: 'lstmWeightGrad', source: KERNEL_SOURCES.lstmWeightGradKernel, size: 4 * nA * (nA + nX), constants: { nA, nX, m: M, acc: acc ? 1 : 0 } } satisfies KernelDefOf<typeof lstmWeightGradKernel>;
}

/** `[dbf; dbi; dbc; dbo]` summed over `M` columns, to run on `[dgates, accBf, accBi, accBc, accBo]`. */
export function lstmBiasGradDef(nA: number, M: number, acc: boolean): KernelDef {
  return { name: 'lstmBiasGrad', source: KERNEL_SOURCES.lstmBiasGradKernel, size: 4 * nA, constants: { nA, m: M, acc: acc ? 1 : 0 } } satisfies KernelDefOf<typeof lstmBiasGradKernel>;
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
    lstmGateGradDef(nA, m, 1, { a: p.daCarry !== undefined, c: true }),
    [p.daNext, p.daCarry ?? p.daNext, p.dcNext, p.cNext, p.cPrev, gates, 0],
  );
  const dconcat = ctx.run(lstmInputGradDef(nA, nX, m, 0, K), [p.Wf, p.Wi, p.Wc, p.Wo, dgates]);
  const dW = ctx.run(
    lstmWeightGradDef(nA, nX, m, acc !== undefined),
    [dgates, p.aPrev, p.xt, ...(acc === undefined ? [dgates, dgates, dgates, dgates] : [acc.dWf, acc.dWi, acc.dWc, acc.dWo])],
  );
  const db = ctx.run(
    lstmBiasGradDef(nA, m, acc !== undefined),
    [dgates, ...(acc === undefined ? [dgates, dgates, dgates, dgates] : [acc.dbf, acc.dbi, acc.dbc, acc.dbo])],
  );
  const w = [nA, K];
  const b = [nA, 1];
  const result: LstmCellBackwardResult = {
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
  ctx.free(gates, dgates, dconcat, dW, db);
  return result;
}
