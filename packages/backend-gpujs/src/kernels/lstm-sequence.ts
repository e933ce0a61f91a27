import {
  BackendError,
  type LstmSequenceBackwardArgs,
  type LstmSequenceBackwardResult,
  type LstmSequenceForwardArgs,
  type LstmSequenceForwardResult,
  type LstmStepTensors,
} from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import { LstmTape, openTape } from '../sequence-tape.js';
import { affine } from './affine.js';
import { gateBiasGradDef, lstmGateGradDef, lstmInputGradDef, lstmWeightGradDef } from './lstm-cell-backward.js';
import { lstmStateDef } from './lstm-cell-forward.js';
import { recurrentGates, type Recurrence } from './recurrent-gates.js';
import { joinTime, timeMajor, wholePart } from './time-axis.js';
import { lengthsInput, maskedTime, openWalk, statesBefore, timeAt, timeBefore } from './walk.js';

/**
 * An LSTM over `x (nX, m, T)`. Before the recurrence: `x` time first, `W = [Wf; Wi; Wc; Wo]`
 * `(4nA, K)`, `b = [bf; bi; bc; bo]` and the input projection `zx = W[:, nA:]·x + b` `(4nA, m, T)`,
 * one launch each. Per step walked (forward, or from the last step back with `reverse`), two
 * launches: the gates `[ft; it; cct; ot] = act(zx[:, :, t] + W[:, :nA]·a⟨before⟩)` and the state
 * `[c⟨t⟩; a⟨t⟩]`, which an example past its `lengths` keeps unchanged. After it, the states joined
 * into `[c; a]` `(2nA·m, T)` (about one launch per five steps), which `c` and `a` view — or, with
 * `lengths`, a copy with the steps that did not run zeroed (one launch). `steps[t]` view `x` time
 * first, time step `t`'s gates and the state carried after it.
 *
 * ONNX's forward-only options take no launch per step: `clip` and `inputForget` (`ft = 1 − it`) are
 * switches of the gates kernel; `peepholes` are stacked `[Pf; Pi; Po]` once (one launch), the gates
 * kernel adds `Pf ⊙ c⟨before⟩` and `Pi ⊙ c⟨before⟩` and leaves the output gate's pre-activation to the
 * state kernel, which adds `Po ⊙ c⟨t⟩` and gives `[c⟨t⟩; a⟨t⟩; ot]`. Their tape refuses the backward.
 */
export function lstmSequenceForward(ctx: GpuContext, p: LstmSequenceForwardArgs): LstmSequenceForwardResult {
  const fn = 'lstmSequenceForward';
  const [nX = 0, m = 0, T = 0] = p.x.shape;
  const nA = p.a0.shape[0] ?? 0;
  const K = nA + nX;
  const n = nA * m;
  const dtype = p.x.dtype;
  const shape = [nA, m];
  const walk = openWalk(ctx, fn, p, m, T);
  const xSteps = timeMajor(ctx, p.x);
  const W = joinTime(ctx, [p.Wf, p.Wi, p.Wc, p.Wo].map((w) => wholePart(w, nA * K)), 1);
  const b = joinTime(ctx, [p.bf, p.bi, p.bc, p.bo].map((bias) => wholePart(bias, nA)), 1);
  const zx = affine(ctx, 'lstmInputProjection', W, p.x, b, { R: 4 * nA, n: nX, M: m * T, ld: K, col0: nA });
  const peep = p.peepholes;
  const P = peep === undefined ? undefined : joinTime(ctx, [peep.Pf, peep.Pi, peep.Po].map((v) => wholePart(v, nA)), 1);
  const recurrence: Recurrence = {
    name: 'lstmGates', W, zx, R: 4 * nA, nA, m, T, ld: K, tanhRows: [2 * nA, 3 * nA], idFrom: P === undefined ? 4 * nA : 3 * nA,
    clip: p.clip, peepholes: P, coupled: p.inputForget,
  };
  const stateDef = lstmStateDef(nA, m, walk.lengths !== null, { peepholes: P !== undefined, clipped: p.clip !== undefined });
  const gates = new Array<DeviceBuffer>(T);
  const states = new Array<DeviceBuffer>(T);
  for (let s = 0; s < T; s++) {
    const t = timeAt(walk, T, s);
    const before = states[timeBefore(walk, t)];
    const aPrev = before === undefined ? p.a0 : { buffer: before, offset: n };
    const cPrev = before ?? p.c0;
    const g = recurrentGates(ctx, recurrence, aPrev, t, undefined, cPrev);
    gates[t] = g;
    states[t] = ctx.run(stateDef, [g, { buffer: g, offset: 2 * n }, cPrev, aPrev, lengthsInput(walk, g), P ?? g, t, p.clip ?? 0]);
  }
  const all = joinTime(ctx, states.map((state) => wholePart(state, 1)), 2 * n);
  const tape = new LstmTape(ctx, { nX, nA, m, T, dtype }, walk, ctx.hold(p.x), ctx.hold(p.a0), ctx.hold(p.c0), all, gates);
  const shown = maskedTime(ctx, walk, all, 2 * n, m, T);
  const steps = states.map((state, t): LstmStepTensors => {
    const g = gates[t] as DeviceBuffer;
    return {
      xt: ctx.view(xSteps, t * nX * m, [nX, m], dtype),
      ft: ctx.view(g, 0, shape, dtype),
      it: ctx.view(g, n, shape, dtype),
      cct: ctx.view(g, 2 * n, shape, dtype),
      ot: P === undefined ? ctx.view(g, 3 * n, shape, dtype) : ctx.view(state, 2 * n, shape, dtype),
      cNext: ctx.view(state, 0, shape, dtype),
      aNext: ctx.view(state, n, shape, dtype),
    };
  });
  return { a: ctx.view(shown, n * T, [nA, m, T], dtype), c: ctx.view(shown, 0, [nA, m, T], dtype), steps, tape };
}

/**
 * Backpropagation through time over `lstmSequenceForward`'s tape, walking its steps back. Per step,
 * two launches: the gate gradients with `dcPrev`, `[dft; dit; dcct; dot; dcPrev]⟨t⟩` (from
 * `da[:, :, t] + daPrev` and `dcPrev` of the step walked after it; with lengths also the `daPass`
 * of the examples the step did not run for), and `daPrev⟨t⟩ = Σ_g W_g[:, :nA]ᵀ·dg⟨t⟩ (+ daPass)`.
 * Then, over all `m·T` columns at once: the gradients joined `(5nA, m, T)`, the states each step
 * started from, `dW_g = dg·[aPrev; x]ᵀ`, `db_g = Σ dg` and `dx = Σ_g W_g[:, nA:]ᵀ·dg`.
 */
export function lstmSequenceBackward(ctx: GpuContext, p: LstmSequenceBackwardArgs): LstmSequenceBackwardResult {
  const fn = 'lstmSequenceBackward';
  const tape = openTape(fn, p.tape, LstmTape, ctx.backend, p.da);
  const { nX, nA, m, T, dtype } = tape.sizes;
  const { walk } = tape;
  const masked = walk.lengths !== null;
  const K = nA + nX;
  const n = nA * m;
  const weights = [p.Wf, p.Wi, p.Wc, p.Wo];
  const dgates = new Array<DeviceBuffer>(T);
  let carry: DeviceBuffer | undefined;
  let next: DeviceBuffer | undefined;
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(walk, T, s);
    const gates = tape.gates[t];
    if (gates === undefined) throw new BackendError(fn, 'gpujs', `the tape holds no gates for step ${t}`);
    const before = timeBefore(walk, t);
    const dg = ctx.run(
      lstmGateGradDef(nA, m, T, { a: carry !== undefined, c: next !== undefined }, masked),
      [p.da, carry ?? p.da, next === undefined ? p.da : { buffer: next, offset: 4 * n }, tape.states, tape.c0, gates, lengthsInput(walk, p.da), t, before < 0 || before >= T ? -1 : before],
    );
    const daPrev = ctx.run(lstmInputGradDef(nA, nX, m, 0, nA, masked), [...weights, dg]);
    if (carry !== undefined) ctx.free(carry);
    carry = daPrev;
    dgates[t] = dg;
    next = dg;
  }
  if (carry === undefined || next === undefined) throw new BackendError(fn, 'gpujs', 'the tape holds no steps');
  const M = m * T;
  const dAll = joinTime(ctx, dgates.map((dg) => wholePart(dg, 1)), 5 * n);
  const aPrev = statesBefore(ctx, walk, tape.a0, { buffer: tape.states, offset: n * T }, n, T);
  const dW = ctx.run(lstmWeightGradDef(nA, nX, M, false), [dAll, aPrev, tape.x, dAll, dAll, dAll, dAll]);
  const db = ctx.run(gateBiasGradDef('lstmBiasGrad', nA, M, false), [dAll, dAll, dAll, dAll, dAll]);
  const dx = ctx.run(lstmInputGradDef(nA, nX, M, nA, nX), [...weights, dAll]);
  const w = [nA, K];
  const bias = [nA, 1];
  return {
    dx: ctx.view(dx, 0, [nX, m, T], dtype),
    da0: ctx.view(carry, 0, [nA, m], dtype),
    dc0: ctx.view(next, 4 * n, [nA, m], dtype),
    dWf: ctx.view(dW, 0, w, dtype),
    dWi: ctx.view(dW, nA * K, w, dtype),
    dWc: ctx.view(dW, 2 * nA * K, w, dtype),
    dWo: ctx.view(dW, 3 * nA * K, w, dtype),
    dbf: ctx.view(db, 0, bias, dtype),
    dbi: ctx.view(db, nA, bias, dtype),
    dbc: ctx.view(db, 2 * nA, bias, dtype),
    dbo: ctx.view(db, 3 * nA, bias, dtype),
  };
}
