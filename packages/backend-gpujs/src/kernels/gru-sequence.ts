import {
  BackendError,
  type GruSequenceBackwardArgs,
  type GruSequenceBackwardResult,
  type GruSequenceForwardArgs,
  type GruSequenceForwardResult,
  type GruStepTensors,
} from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { GruTape, openTape } from '../sequence-tape.js';
import { affine } from './affine.js';
import { gruGateGradDef, gruInputGradDef, gruWeightGradDef, gruWeightGradViews } from './gru-cell-backward.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';
import { gateBiasGradDef } from './lstm-cell-backward.js';
import { recurrentGates, type Recurrence } from './recurrent-gates.js';
import { joinTime, timeMajor, wholePart } from './time-axis.js';
import { lengthsInput, maskedTime, openWalk, statesBefore, timeAt, timeBefore } from './walk.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function tanhOf(x: number): number;

/**
 * The GRU's weights stacked `[Wz; Wr; [Whh | 0]; [0 | Whx]]` `(4nA, K = nA + nX)`, so that one
 * product with `[a; x]` gives the blocks `[z; r; hh; hx]`: its first `nA` columns of the first three
 * blocks are the recurrent weights, its last `nX` columns the input weights.
 */
function gruStackKernel(
  this: KernelThis<{ nA: number; nX: number }>,
  Wz: DeviceArray, WzOff: number, Wr: DeviceArray, WrOff: number, Whh: DeviceArray, WhhOff: number, Whx: DeviceArray, WhxOff: number,
): number {
  const nA = this.constants.nA;
  const nX = this.constants.nX;
  const K = nA + nX;
  const row = Math.floor((this.thread.x + 0.5) / K);
  const k = this.thread.x - row * K;
  const g = Math.floor((row + 0.5) / nA);
  const r = row - g * nA;
  if (g === 0) {
    return Wz[WzOff + r * K + k]!;
  }
  if (g === 1) {
    return Wr[WrOff + r * K + k]!;
  }
  if (g === 2) {
    if (k < nA) {
      return Whh[WhhOff + r * nA + k]!;
    }
    return 0;
  }
  if (k < nA) {
    return 0;
  }
  return Whx[WhxOff + r * nX + k - nA]!;
}

/**
 * Time step `t`'s `[hct; aNext]` `(2, nA, m)` from its `g = [zt; rt; hh]` `(3, nA, m)` and the input
 * projection `zx (4nA, m, T)`, whose last block is `Whx·x + bhx`:
 * `hct = tanh(zx[3nA + r, c, t] + rt ⊙ hh)`, `aNext = (1 − zt) ⊙ hct + zt ⊙ aPrev`. With `masked = 1`,
 * an example whose length `len[c] ≤ t` keeps `aPrev`.
 *
 * ONNX's forward-only options: `clipped = 1` clamps the candidate's pre-activation to `[−clip, clip]`;
 * `resetAfter = 0` (`linear_before_reset = 0`) applies the reset gate before the recurrent product,
 * with `g = [zt; rt]` `(2, nA, m)`: `hh = Whh·(rt ⊙ aPrev) + bhh` (`bhh` is `zx`'s third block, whose
 * input weights are zero), `hct = tanh(zx[3nA + r, c, t] + hh)`, and the output `[hct; aNext; hh]` `(3, nA, m)`.
 */
function gruStateKernel(
  this: KernelThis<{ nA: number; m: number; T: number; masked: number; clipped: number; resetAfter: number }>,
  g: DeviceArray, gOff: number, zx: DeviceArray, zxOff: number, aPrev: DeviceArray, aPrevOff: number, len: DeviceArray, lenOff: number,
  Whh: DeviceArray, WhhOff: number, t: number, clip: number,
): number {
  const m = this.constants.m;
  const nA = this.constants.nA;
  const n = nA * m;
  const part = Math.floor((this.thread.x + 0.5) / n);
  const i = this.thread.x - part * n;
  const r = Math.floor((i + 0.5) / m);
  const col = i - r * m;
  let pre = zx[zxOff + (3 * n + i) * this.constants.T + t]!;
  if (this.constants.resetAfter === 1) {
    pre += g[gOff + n + i]! * g[gOff + 2 * n + i]!;
  } else {
    let hh = zx[zxOff + (2 * n + i) * this.constants.T + t]!;
    for (let k = 0; k < nA; k++) {
      hh += Whh[WhhOff + r * nA + k]! * g[gOff + n + k * m + col]! * aPrev[aPrevOff + k * m + col]!;
    }
    if (part === 2) {
      return hh;
    }
    pre += hh;
  }
  if (this.constants.clipped === 1) {
    pre = Math.min(Math.max(pre, -clip), clip);
  }
  const hct = tanhOf(pre);
  if (part === 0) {
    return hct;
  }
  if (this.constants.masked === 1) {
    if (t >= len[lenOff + col]!) {
      return aPrev[aPrevOff + i]!;
    }
  }
  const z = g[gOff + i]!;
  return (1 - z) * hct + z * aPrev[aPrevOff + i]!;
}

/** `gruStateKernel` for `T` steps, to run on `[g, zx, aPrev, len, Whh, t, clip]`, with the forward-only options `clip` and `resetAfter` false. */
function gruStateDef(nA: number, m: number, T: number, masked: boolean, variant: { readonly clipped: boolean; readonly resetAfter: boolean }): KernelDef {
  return {
    name: 'gruState', source: KERNEL_SOURCES.gruStateKernel, size: (variant.resetAfter ? 2 : 3) * nA * m,
    constants: { nA, m, T, masked: masked ? 1 : 0, clipped: variant.clipped ? 1 : 0, resetAfter: variant.resetAfter ? 1 : 0 },
  } satisfies KernelDefOf<typeof gruStateKernel>;
}

/**
 * A GRU over `x (nX, m, T)`, reset gate after the recurrent product. Before the recurrence, one
 * launch each: `x` time first, the stacked `W = [Wz; Wr; [Whh | 0]; [0 | Whx]]`, `b = [bz; br; bhh; bhx]`
 * and the input projection `zx = W[:, nA:]·x + b` `(4nA, m, T)`. Per step walked (forward, or from the
 * last step back with `reverse`), two launches: `[zt; rt; hh] = act(zx[:3nA, :, t] + W[:3nA, :nA]·a⟨before⟩)`
 * (σ, σ, none) and `[hct; a⟨t⟩]`, which an example past its `lengths` keeps at `a⟨before⟩`. After it,
 * `[hct; a]` joined `(2nA·m, T)` (about one launch per five steps), which `a` views — or, with
 * `lengths`, a copy with the steps that did not run zeroed (one launch). `steps[t]` view `x` time
 * first, time step `t`'s activations and the state carried after it.
 *
 * ONNX's forward-only options take no launch more: `clip` is a switch of both kernels;
 * `linearBeforeReset: false` leaves `hh` out of the gates (`[zt; rt]`) and the state kernel computes
 * `hh = Whh·(rt ⊙ a⟨before⟩) + bhh` itself, giving `[hct; a⟨t⟩; hh]`. Their tape refuses the backward.
 */
export function gruSequenceForward(ctx: GpuContext, p: GruSequenceForwardArgs): GruSequenceForwardResult {
  const [nX = 0, m = 0, T = 0] = p.x.shape;
  const nA = p.a0.shape[0] ?? 0;
  const K = nA + nX;
  const n = nA * m;
  const dtype = p.x.dtype;
  const shape = [nA, m];
  const walk = openWalk(ctx, 'gruSequenceForward', p, m, T);
  const xSteps = timeMajor(ctx, p.x);
  const W = ctx.run({ name: 'gruStack', source: KERNEL_SOURCES.gruStackKernel, size: 4 * nA * K, constants: { nA, nX } } satisfies KernelDefOf<typeof gruStackKernel>, [p.Wz, p.Wr, p.Whh, p.Whx]);
  const b = joinTime(ctx, [p.bz, p.br, p.bhh, p.bhx].map((bias) => wholePart(bias, nA)), 1);
  const zx = affine(ctx, 'gruInputProjection', W, p.x, b, { R: 4 * nA, n: nX, M: m * T, ld: K, col0: nA });
  const resetAfter = p.linearBeforeReset !== false;
  const recurrence: Recurrence = { name: 'gruGates', W, zx, R: (resetAfter ? 3 : 2) * nA, nA, m, T, ld: K, tanhRows: [0, 0], idFrom: 2 * nA, clip: p.clip };
  const stateDef = gruStateDef(nA, m, T, walk.lengths !== null, { clipped: p.clip !== undefined, resetAfter });
  const gates = new Array<DeviceBuffer>(T);
  const states = new Array<DeviceBuffer>(T);
  for (let s = 0; s < T; s++) {
    const t = timeAt(walk, T, s);
    const before = states[timeBefore(walk, t)];
    const aPrev = before === undefined ? p.a0 : { buffer: before, offset: n };
    const g = recurrentGates(ctx, recurrence, aPrev, t);
    gates[t] = g;
    states[t] = ctx.run(stateDef, [g, zx, aPrev, lengthsInput(walk, g), p.Whh, t, p.clip ?? 0]);
  }
  const all = joinTime(ctx, states.map((state) => wholePart(state, 1)), 2 * n);
  const tape = new GruTape(ctx, { nX, nA, m, T, dtype }, walk, ctx.hold(p.x), ctx.hold(p.a0), all, gates);
  const steps = states.map((state, t): GruStepTensors => {
    const g = gates[t] as DeviceBuffer;
    return {
      xt: ctx.view(xSteps, t * nX * m, [nX, m], dtype),
      zt: ctx.view(g, 0, shape, dtype),
      rt: ctx.view(g, n, shape, dtype),
      hh: resetAfter ? ctx.view(g, 2 * n, shape, dtype) : ctx.view(state, 2 * n, shape, dtype),
      hct: ctx.view(state, 0, shape, dtype),
      aNext: ctx.view(state, n, shape, dtype),
    };
  });
  return { a: ctx.view(maskedTime(ctx, walk, all, 2 * n, m, T), n * T, [nA, m, T], dtype), steps, tape };
}

/**
 * Backpropagation through time over `gruSequenceForward`'s tape, walking its steps back. Per step,
 * two launches: `dG⟨t⟩ = [dz; dr; dhh; dhpre; direct]` from `da[:, :, t] + daPrev` of the step walked
 * after it, and `daPrev⟨t⟩ = [Wz_a; Wr_a; Whh]ᵀ·[dz; dr; dhh] + direct` (an example the step did not run
 * for passes its gradient through `direct`). Then, over all `m·T` columns at once: `dG` joined
 * `(5nA, m, T)`, the states each step started from, the weight gradients as one product
 * `[dWz | dWr | dWhh | dWhx]`, the bias gradients and `dx = [Wz_x; Wr_x; Whx]ᵀ·[dz; dr; dhpre]`.
 */
export function gruSequenceBackward(ctx: GpuContext, p: GruSequenceBackwardArgs): GruSequenceBackwardResult {
  const fn = 'gruSequenceBackward';
  const tape = openTape(fn, p.tape, GruTape, ctx.backend, p.da);
  const { nX, nA, m, T, dtype } = tape.sizes;
  const { walk } = tape;
  const n = nA * m;
  const weights = [p.Wz, p.Wr, p.Whh, p.Whx];
  const hct = { buffer: tape.states, offset: 0 };
  const a = { buffer: tape.states, offset: n * T };
  const dGs = new Array<DeviceBuffer>(T);
  let carry: DeviceBuffer | undefined;
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(walk, T, s);
    const gates = tape.gates[t];
    if (gates === undefined) throw new BackendError(fn, 'gpujs', `the tape holds no gates for step ${t}`);
    const before = timeBefore(walk, t);
    const dG = ctx.run(
      gruGateGradDef(nA, m, T, carry !== undefined, walk.lengths !== null),
      [p.da, carry ?? p.da, gates, hct, a, tape.a0, lengthsInput(walk, p.da), t, before < 0 || before >= T ? -1 : before],
    );
    const daPrev = ctx.run(gruInputGradDef(nA, nX, m, 0, nA, true), [...weights, dG]);
    if (carry !== undefined) ctx.free(carry);
    carry = daPrev;
    dGs[t] = dG;
  }
  if (carry === undefined) throw new BackendError(fn, 'gpujs', 'the tape holds no steps');
  const M = m * T;
  const dAll = joinTime(ctx, dGs.map((dG) => wholePart(dG, 1)), 5 * n);
  const aPrev = statesBefore(ctx, walk, tape.a0, a, n, T);
  const dW = ctx.run(gruWeightGradDef(nA, nX, M, false), [dAll, aPrev, tape.x, dAll, dAll, dAll, dAll]);
  const db = ctx.run(gateBiasGradDef('gruBiasGrad', nA, M, false), [dAll, dAll, dAll, dAll, dAll]);
  const dx = ctx.run(gruInputGradDef(nA, nX, M, nA, nX, false), [...weights, dAll]);
  return {
    dx: ctx.view(dx, 0, [nX, m, T], dtype),
    da0: ctx.view(carry, 0, [nA, m], dtype),
    ...gruWeightGradViews(ctx, dW, db, nA, nX, dtype),
  };
}
