import type { GruCellForwardArgs, GruCellForwardResult } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { gatePair } from './lstm-cell-forward.js';
import { softmaxOutput } from './softmax-output.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function tanhOf(x: number): number;

/**
 * The rest of a GRU step once its gates `zr = [zt; rt]` `(2, nA, m)` are known, stacked
 * `[hh; hct; aNext]` `(3, nA, m)`, reset gate after the recurrent product:
 *
 *     hh    = Whh·aPrev + bhh          hct = tanh(Whx·xt + bhx + rt ⊙ hh)
 *     aNext = (1 − zt) ⊙ hct + zt ⊙ aPrev
 *
 * A thread computes the products its element needs (one of `aNext` computes its `hh` and `hct`),
 * so the step takes one launch after the gates; seven inputs, WebGPU's limit with the output.
 */
function gruCellStateKernel(
  this: KernelThis<{ nA: number; nX: number; m: number }>,
  zr: DeviceArray, zrOff: number, Whh: DeviceArray, WhhOff: number, bhh: DeviceArray, bhhOff: number,
  Whx: DeviceArray, WhxOff: number, bhx: DeviceArray, bhxOff: number, aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const n = nA * m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  const r = Math.floor((i + 0.5) / m);
  const c = i - r * m;
  let hh = bhh[bhhOff + r]!;
  for (let k = 0; k < nA; k++) {
    hh += Whh[WhhOff + r * nA + k]! * aPrev[aPrevOff + k * m + c]!;
  }
  if (part === 0) {
    return hh;
  }
  let hx = bhx[bhxOff + r]!;
  for (let k = 0; k < nX; k++) {
    hx += Whx[WhxOff + r * nX + k]! * xt[xtOff + k * m + c]!;
  }
  const hct = tanhOf(hx + zr[zrOff + n + i]! * hh);
  if (part === 1) {
    return hct;
  }
  const z = zr[zrOff + i]!;
  return (1 - z) * hct + z * aPrev[aPrevOff + i]!;
}

/**
 * One GRU step forward in four launches: the gates `[zt; rt] = σ([Wz; Wr]·[aPrev; xt] + [bz; br])`,
 * `[hh; hct; aNext]`, the logits and the column softmax. Each output tensor is a view of one of them.
 */
export function gruCellForward(ctx: GpuContext, p: GruCellForwardArgs): GruCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const n = nA * m;
  const shape = [nA, m];
  const zr = gatePair(ctx, 'gruGatePair', false, { Wa: p.Wz, ba: p.bz, Wb: p.Wr, bb: p.br, aPrev: p.aPrev, xt: p.xt });
  const def = { name: 'gruCellState', source: KERNEL_SOURCES.gruCellStateKernel, size: 3 * n, constants: { nA, nX, m } } satisfies KernelDefOf<typeof gruCellStateKernel>;
  const state = ctx.run(def, [zr, p.Whh, p.bhh, p.Whx, p.bhx, p.aPrev, p.xt]);
  const aNext = ctx.view(state, 2 * n, shape, dtype);
  return {
    zt: ctx.view(zr, 0, shape, dtype),
    rt: ctx.view(zr, n, shape, dtype),
    hh: ctx.view(state, 0, shape, dtype),
    hct: ctx.view(state, n, shape, dtype),
    aNext,
    ytPred: softmaxOutput(ctx, p.Wy, aNext, p.by, nA, [m], dtype),
  };
}
