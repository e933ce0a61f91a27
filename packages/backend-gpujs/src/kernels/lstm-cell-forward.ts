import type { LstmCellForwardArgs, LstmCellForwardResult } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelThis } from '../gpu-runtime.js';
import { softmaxOutput } from './softmax-output.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function sigmoid(x: number): number;
declare function tanhOf(x: number): number;

type Sizes = { nA: number; nX: number; m: number };

/**
 * All four gates in one launch, stacked `[ft; it; cct; ot]` `(4, nA, m)`. For flat
 * `p = (g·nA + r)·m + c` and `concat = [aPrev; xt]` `(K = nA + nX, m)`:
 * `z = b_g[r] + Σ_k W_g[r, k]·concat[k, c]`, then `σ(z)` for f, i, o and `tanh(z)` for the
 * candidate `cct` (g = 2). WebGPU kernels cannot pass arrays to helper functions, so the
 * product is written out once per gate.
 */
function lstmGatesKernel(
  this: KernelThis<Sizes>,
  Wf: DeviceArray, WfOff: number, bf: DeviceArray, bfOff: number,
  Wi: DeviceArray, WiOff: number, bi: DeviceArray, biOff: number,
  Wc: DeviceArray, WcOff: number, bc: DeviceArray, bcOff: number,
  Wo: DeviceArray, WoOff: number, bo: DeviceArray, boOff: number,
  aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const K = nA + nX;
  const g = Math.floor((this.thread.x + 0.5) / (nA * m));
  const q = this.thread.x - g * nA * m;
  const r = Math.floor((q + 0.5) / m);
  const c = q - r * m;
  let z = 0;
  if (g === 0) {
    z = bf[bfOff + r]!;
    for (let k = 0; k < nA; k++) z += Wf[WfOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
    for (let k = 0; k < nX; k++) z += Wf[WfOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
  } else if (g === 1) {
    z = bi[biOff + r]!;
    for (let k = 0; k < nA; k++) z += Wi[WiOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
    for (let k = 0; k < nX; k++) z += Wi[WiOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
  } else if (g === 2) {
    z = bc[bcOff + r]!;
    for (let k = 0; k < nA; k++) z += Wc[WcOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
    for (let k = 0; k < nX; k++) z += Wc[WcOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
  } else {
    z = bo[boOff + r]!;
    for (let k = 0; k < nA; k++) z += Wo[WoOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
    for (let k = 0; k < nX; k++) z += Wo[WoOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
  }
  if (g === 2) {
    return tanhOf(z);
  }
  return sigmoid(z);
}

/**
 * The new state from the stacked gates, `[cNext; aNext]` `(2, nA, m)`:
 * `cNext = ft ⊙ cPrev + it ⊙ cct`, `aNext = ot ⊙ tanh(cNext)` (recomputed, not read back).
 */
function lstmStateKernel(
  this: KernelThis<{ nA: number; m: number }>,
  gates: DeviceArray, gatesOff: number, cPrev: DeviceArray, cPrevOff: number,
): number {
  const n = this.constants.nA * this.constants.m;
  const half = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - half * n;
  const ft = gates[gatesOff + i]!;
  const it = gates[gatesOff + n + i]!;
  const cct = gates[gatesOff + 2 * n + i]!;
  const c = ft * cPrev[cPrevOff + i]! + it * cct;
  if (half === 0) {
    return c;
  }
  return gates[gatesOff + 3 * n + i]! * tanhOf(c);
}

/**
 * One LSTM step forward in four launches: the stacked gates, `[cNext; aNext]`, the logits
 * and the column softmax. `ft`, `it`, `cct`, `ot` are views of the one gates buffer, and
 * `cNext`, `aNext` of the one state buffer.
 */
export function lstmCellForward(ctx: GpuContext, p: LstmCellForwardArgs): LstmCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const n = nA * m;
  const gates = ctx.run(
    { name: 'lstmGates', source: lstmGatesKernel, size: 4 * n, constants: { nA, nX, m } },
    [p.Wf, p.bf, p.Wi, p.bi, p.Wc, p.bc, p.Wo, p.bo, p.aPrev, p.xt],
  );
  const state = ctx.run({ name: 'lstmState', source: lstmStateKernel, size: 2 * n, constants: { nA, m } }, [gates, p.cPrev]);
  const shape = [nA, m];
  const aNext = ctx.view(state, n, shape, dtype);
  const result: LstmCellForwardResult = {
    ft: ctx.view(gates, 0, shape, dtype),
    it: ctx.view(gates, n, shape, dtype),
    cct: ctx.view(gates, 2 * n, shape, dtype),
    ot: ctx.view(gates, 3 * n, shape, dtype),
    cNext: ctx.view(state, 0, shape, dtype),
    aNext,
    ytPred: softmaxOutput(ctx, p.Wy, aNext, p.by, nA, m, dtype),
  };
  ctx.free(gates, state);
  return result;
}
