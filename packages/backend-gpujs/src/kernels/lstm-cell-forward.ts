import type { LstmCellForwardArgs, LstmCellForwardResult, Tensor } from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { softmaxOutput } from './softmax-output.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function sigmoid(x: number): number;
declare function tanhOf(x: number): number;

type Sizes = { nA: number; nX: number; m: number };

/**
 * Two gates in one launch, stacked `(2, nA, m)`: the pair `(f, i)` or `(c, o)`. For flat
 * `p = (h·nA + r)·m + c` and `concat = [aPrev; xt]` `(K = nA + nX, m)`:
 * `z = b_h[r] + Σ_k W_h[r, k]·concat[k, c]`, then `tanh(z)` for the candidate (h = 0 when
 * `tanhFirst = 1`) and `σ(z)` otherwise. Two gates, not four, per launch: a WebGPU kernel
 * binds at most 8 storage buffers, and WebGPU kernels cannot pass arrays to helper functions,
 * so the product is written out per gate.
 */
function lstmGatePairKernel(
  this: KernelThis<Sizes & { tanhFirst: number }>,
  Wa: DeviceArray, WaOff: number, ba: DeviceArray, baOff: number,
  Wb: DeviceArray, WbOff: number, bb: DeviceArray, bbOff: number,
  aPrev: DeviceArray, aPrevOff: number, xt: DeviceArray, xtOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const m = this.constants.m;
  const K = nA + nX;
  const h = Math.floor((this.thread.x + 0.5) / (nA * m));
  const q = this.thread.x - h * nA * m;
  const r = Math.floor((q + 0.5) / m);
  const c = q - r * m;
  let z = 0;
  if (h === 0) {
    z = ba[baOff + r]!;
    for (let k = 0; k < nA; k++) z += Wa[WaOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
    for (let k = 0; k < nX; k++) z += Wa[WaOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
    if (this.constants.tanhFirst === 1) {
      return tanhOf(z);
    }
    return sigmoid(z);
  }
  z = bb[bbOff + r]!;
  for (let k = 0; k < nA; k++) z += Wb[WbOff + r * K + k]! * aPrev[aPrevOff + k * m + c]!;
  for (let k = 0; k < nX; k++) z += Wb[WbOff + r * K + nA + k]! * xt[xtOff + k * m + c]!;
  return sigmoid(z);
}

/**
 * The new state from the gates, `[cNext; aNext]` `(2, nA, m)`, with `fi = [ft; it]` and
 * `co = [cct; ot]`: `cNext = ft ⊙ cPrev + it ⊙ cct`, `aNext = ot ⊙ tanh(cNext)` (recomputed, not read back).
 * With `masked = 1`, an example whose length `len[c] ≤ t` keeps its state `[cPrev; aPrev]`.
 * With `peep = 1` (ONNX's peepholes, forward only) `co`'s second block holds the output gate's
 * pre-activation `zo` and the output is `[cNext; aNext; ot]` `(3, nA, m)`:
 * `ot = σ(zo + Po ⊙ cNext)` with `Po = P[2nA:]` `(nA)`, clamped to `[−clip, clip]` first when `clipped = 1`.
 */
function lstmStateKernel(
  this: KernelThis<{ nA: number; m: number; masked: number; peep: number; clipped: number }>,
  fi: DeviceArray, fiOff: number, co: DeviceArray, coOff: number, cPrev: DeviceArray, cPrevOff: number,
  aPrev: DeviceArray, aPrevOff: number, len: DeviceArray, lenOff: number, P: DeviceArray, POff: number, t: number, clip: number,
): number {
  const m = this.constants.m;
  const n = this.constants.nA * m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  if (this.constants.masked === 1 && part < 2) {
    const col = i - Math.floor((i + 0.5) / m) * m;
    if (t >= len[lenOff + col]!) {
      if (part === 0) {
        return cPrev[cPrevOff + i]!;
      }
      return aPrev[aPrevOff + i]!;
    }
  }
  const c = fi[fiOff + i]! * cPrev[cPrevOff + i]! + fi[fiOff + n + i]! * co[coOff + i]!;
  if (part === 0) {
    return c;
  }
  let o = co[coOff + n + i]!;
  if (this.constants.peep === 1) {
    o += P[POff + 2 * this.constants.nA + Math.floor((i + 0.5) / m)]! * c;
    if (this.constants.clipped === 1) {
      o = Math.min(Math.max(o, -clip), clip);
    }
    o = sigmoid(o);
    if (part === 2) {
      return o;
    }
  }
  return o * tanhOf(c);
}

/**
 * The new state `[cNext; aNext]` `(2, nA, m)` from the gates, to run on `[[ft; it], [cct; ot], cPrev, aPrev, len, P, t, clip]`;
 * `masked` keeps the state of the examples whose length `len` is at most `t`. With `peepholes` the
 * second input holds `[cct; zo]`, `P = [Pf; Pi; Po]` and the output is `[cNext; aNext; ot]` `(3, nA, m)`,
 * `zo + Po ⊙ cNext` clamped to `[−clip, clip]` when `clipped`.
 */
export function lstmStateDef(nA: number, m: number, masked: boolean, variant: { readonly peepholes: boolean; readonly clipped: boolean } = { peepholes: false, clipped: false }): KernelDef {
  const peep = variant.peepholes;
  return {
    name: 'lstmState', source: KERNEL_SOURCES.lstmStateKernel, size: (peep ? 3 : 2) * nA * m,
    constants: { nA, m, masked: masked ? 1 : 0, peep: peep ? 1 : 0, clipped: peep && variant.clipped ? 1 : 0 },
  } satisfies KernelDefOf<typeof lstmStateKernel>;
}

/** The input of `gatePair`: two gates' weights `(nA, nA + nX)` and biases `(nA, 1)`, and the step's `aPrev (nA, m)`, `xt (nX, m)`. */
export interface GatePairInputs {
  readonly Wa: Tensor;
  readonly ba: Tensor;
  readonly Wb: Tensor;
  readonly bb: Tensor;
  readonly aPrev: Tensor;
  readonly xt: Tensor;
}

/** Two gates `(2, nA, m)` from `[aPrev; xt]` in one launch (`lstmGatePairKernel`), under `name` in the stats; the first takes tanh when `tanhFirst`. */
export function gatePair(ctx: GpuContext, name: string, tanhFirst: boolean, g: GatePairInputs): DeviceBuffer {
  const [nA = 0, m = 0] = g.aPrev.shape;
  const nX = g.xt.shape[0] ?? 0;
  const def = { name, source: KERNEL_SOURCES.lstmGatePairKernel, size: 2 * nA * m, constants: { nA, nX, m, tanhFirst: tanhFirst ? 1 : 0 } } satisfies KernelDefOf<typeof lstmGatePairKernel>;
  return ctx.run(def, [g.Wa, g.ba, g.Wb, g.bb, g.aPrev, g.xt]);
}

/**
 * One LSTM step forward in five launches: the gate pairs `[ft; it]` and `[cct; ot]`,
 * `[cNext; aNext]`, the logits and the column softmax. Each output tensor is a view of one of
 * those buffers.
 */
export function lstmCellForward(ctx: GpuContext, p: LstmCellForwardArgs): LstmCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const dtype = p.xt.dtype;
  const n = nA * m;
  const fi = gatePair(ctx, 'lstmGatePair', false, { Wa: p.Wf, ba: p.bf, Wb: p.Wi, bb: p.bi, aPrev: p.aPrev, xt: p.xt });
  const co = gatePair(ctx, 'lstmGatePair', true, { Wa: p.Wc, ba: p.bc, Wb: p.Wo, bb: p.bo, aPrev: p.aPrev, xt: p.xt });
  const state = ctx.run(lstmStateDef(nA, m, false), [fi, co, p.cPrev, p.aPrev, p.aPrev, p.aPrev, 0, 0]);
  const shape = [nA, m];
  const aNext = ctx.view(state, n, shape, dtype);
  return {
    ft: ctx.view(fi, 0, shape, dtype),
    it: ctx.view(fi, n, shape, dtype),
    cct: ctx.view(co, 0, shape, dtype),
    ot: ctx.view(co, n, shape, dtype),
    cNext: ctx.view(state, 0, shape, dtype),
    aNext,
    ytPred: softmaxOutput(ctx, p.Wy, aNext, p.by, nA, [m], dtype),
  };
}
