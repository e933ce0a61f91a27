import type { LstmCellBackwardArgs, LstmCellBackwardResult, LstmWeightGrads } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelThis } from '../gpu-runtime.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function tanhOf(x: number): number;
declare function sigmoidGradFromOutput(s: number): number;
declare function tanhGradFromOutput(t: number): number;

type Sizes = { nA: number; nX: number; m: number };

/**
 * The state gradients, `[dc; dot]` `(2, nA, m)`. With `da = daNext (+ daCarry when carry = 1)`:
 * `dc = dcNext + da ⊙ ot ⊙ (1 − tanh²(cNext))`, `dot = da ⊙ tanh(cNext) ⊙ ot(1 − ot)`.
 */
function lstmStateGradKernel(
  this: KernelThis<{ nA: number; m: number; carry: number }>,
  daNext: DeviceArray, daNextOff: number, daCarry: DeviceArray, daCarryOff: number, dcNext: DeviceArray, dcNextOff: number,
  cNext: DeviceArray, cNextOff: number, ot: DeviceArray, otOff: number,
): number {
  const n = this.constants.nA * this.constants.m;
  const half = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - half * n;
  let da = daNext[daNextOff + i]!;
  if (this.constants.carry === 1) {
    da += daCarry[daCarryOff + i]!;
  }
  const tc = tanhOf(cNext[cNextOff + i]!);
  const o = ot[otOff + i]!;
  if (half === 0) {
    return dcNext[dcNextOff + i]! + da * o * tanhGradFromOutput(tc);
  }
  return da * tc * sigmoidGradFromOutput(o);
}

/**
 * The gate gradients and `dcPrev`, stacked `[dft; dit; dcct; dot; dcPrev]` `(5, nA, m)` from
 * `[dc; dot]`: `dft = dc ⊙ cPrev ⊙ ft(1 − ft)`, `dit = dc ⊙ cct ⊙ it(1 − it)`,
 * `dcct = dc ⊙ it ⊙ (1 − cct²)`, `dot` copied so the four gates sit in one buffer, `dcPrev = dc ⊙ ft`.
 */
function lstmGateGradKernel(
  this: KernelThis<{ nA: number; m: number }>,
  dcdot: DeviceArray, dcdotOff: number, cPrev: DeviceArray, cPrevOff: number,
  ft: DeviceArray, ftOff: number, it: DeviceArray, itOff: number, cct: DeviceArray, cctOff: number,
): number {
  const n = this.constants.nA * this.constants.m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  const dc = dcdot[dcdotOff + i]!;
  if (part === 0) {
    return dc * cPrev[cPrevOff + i]! * sigmoidGradFromOutput(ft[ftOff + i]!);
  }
  if (part === 1) {
    return dc * cct[cctOff + i]! * sigmoidGradFromOutput(it[itOff + i]!);
  }
  if (part === 2) {
    return dc * it[itOff + i]! * tanhGradFromOutput(cct[cctOff + i]!);
  }
  if (part === 3) {
    return dcdot[dcdotOff + n + i]!;
  }
  return dc * ft[ftOff + i]!;
}

/** `dconcat = Σ_g W_gᵀ·dg` `(K = nA + nX, m)`: `dconcat[k, c] = Σ_g Σ_r W_g[r, k]·dgates[g, r, c]`. */
function lstmInputGradKernel(
  this: KernelThis<Sizes>,
  Wf: DeviceArray, WfOff: number, Wi: DeviceArray, WiOff: number, Wc: DeviceArray, WcOff: number, Wo: DeviceArray, WoOff: number,
  dgates: DeviceArray, dgatesOff: number,
): number {
  const nA = this.constants.nA;
  const m = this.constants.m;
  const K = nA + this.constants.nX;
  const n = nA * m;
  const k = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - k * m;
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

/**
 * One LSTM step backward in five launches: `[dc; dot]`, the stacked gate gradients with
 * `dcPrev`, `dconcat = [daPrev; dxt]`, the weight gradients and the bias gradients (each
 * plus `acc`). Every kernel binds at most seven inputs, WebGPU's limit with the output.
 */
export function lstmCellBackward(ctx: GpuContext, p: LstmCellBackwardArgs, acc?: LstmWeightGrads): LstmCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const K = nA + nX;
  const n = nA * m;
  const dtype = p.xt.dtype;
  const withAcc = acc === undefined ? 0 : 1;
  const dcdot = ctx.run(
    { name: 'lstmStateGrad', source: lstmStateGradKernel, size: 2 * n, constants: { nA, m, carry: p.daCarry === undefined ? 0 : 1 } },
    [p.daNext, p.daCarry ?? p.daNext, p.dcNext, p.cNext, p.ot],
  );
  const dgates = ctx.run({ name: 'lstmGateGrad', source: lstmGateGradKernel, size: 5 * n, constants: { nA, m } }, [dcdot, p.cPrev, p.ft, p.it, p.cct]);
  const dconcat = ctx.run(
    { name: 'lstmInputGrad', source: lstmInputGradKernel, size: K * m, constants: { nA, nX, m } },
    [p.Wf, p.Wi, p.Wc, p.Wo, dgates],
  );
  const dW = ctx.run(
    { name: 'lstmWeightGrad', source: lstmWeightGradKernel, size: 4 * nA * K, constants: { nA, nX, m, acc: withAcc } },
    [dgates, p.aPrev, p.xt, ...(acc === undefined ? [dgates, dgates, dgates, dgates] : [acc.dWf, acc.dWi, acc.dWc, acc.dWo])],
  );
  const db = ctx.run(
    { name: 'lstmBiasGrad', source: lstmBiasGradKernel, size: 4 * nA, constants: { nA, m, acc: withAcc } },
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
  ctx.free(dcdot, dgates, dconcat, dW, db);
  return result;
}
