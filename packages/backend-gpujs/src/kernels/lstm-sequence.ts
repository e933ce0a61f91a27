import {
  BackendError,
  ShapeMismatchError,
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
import { lstmBiasGradDef, lstmGateGradDef, lstmInputGradDef, lstmWeightGradDef } from './lstm-cell-backward.js';
import { lstmStateDef } from './lstm-cell-forward.js';
import { recurrentGates, type Recurrence } from './recurrent-gates.js';
import { joinTime, timeMajor, wholePart } from './time-axis.js';

/**
 * An LSTM over `x (nX, m, T)`. Before the recurrence: `x` time first, `W = [Wf; Wi; Wc; Wo]`
 * `(4nA, K)`, `b = [bf; bi; bc; bo]` and the input projection `zx = W[:, nA:]·x + b` `(4nA, m, T)`,
 * one launch each. Per step, two launches: the gates `[ft; it; cct; ot] = act(zx[:, :, t] + W[:, :nA]·a⟨t−1⟩)`
 * and the state `[c⟨t⟩; a⟨t⟩]`. After it, the states joined into `[c; a]` `(2nA·m, T)` (about one launch
 * per five steps), which `c` and `a` view. `steps[t]` view `x` time first, the step's gates and state.
 */
export function lstmSequenceForward(ctx: GpuContext, p: LstmSequenceForwardArgs): LstmSequenceForwardResult {
  const fn = 'lstmSequenceForward';
  const [nX = 0, m = 0, T = 0] = p.x.shape;
  const nA = p.a0.shape[0] ?? 0;
  const K = nA + nX;
  const n = nA * m;
  const dtype = p.x.dtype;
  const shape = [nA, m];
  const xSteps = timeMajor(ctx, p.x);
  const W = joinTime(ctx, [p.Wf, p.Wi, p.Wc, p.Wo].map((w) => wholePart(w, nA * K)), 1);
  const b = joinTime(ctx, [p.bf, p.bi, p.bc, p.bo].map((bias) => wholePart(bias, nA)), 1);
  const zx = affine(ctx, 'lstmInputProjection', W, p.x, b, { R: 4 * nA, n: nX, M: m * T, ld: K, col0: nA });
  const recurrence: Recurrence = { name: 'lstmGates', W, zx, R: 4 * nA, nA, m, T, ld: K, tanhRows: [2 * nA, 3 * nA] };
  const gates: DeviceBuffer[] = [];
  const states: DeviceBuffer[] = [];
  const steps: LstmStepTensors[] = [];
  for (let t = 0; t < T; t++) {
    const prev = steps[t - 1];
    const g = recurrentGates(ctx, recurrence, prev?.aNext ?? p.a0, t);
    const state = ctx.run(lstmStateDef(nA, m), [g, { buffer: g, offset: 2 * n }, prev?.cNext ?? p.c0]);
    gates.push(g);
    states.push(state);
    steps.push({
      xt: ctx.view(xSteps, t * nX * m, [nX, m], dtype),
      ft: ctx.view(g, 0, shape, dtype),
      it: ctx.view(g, n, shape, dtype),
      cct: ctx.view(g, 2 * n, shape, dtype),
      ot: ctx.view(g, 3 * n, shape, dtype),
      cNext: ctx.view(state, 0, shape, dtype),
      aNext: ctx.view(state, n, shape, dtype),
    });
  }
  const all = joinTime(ctx, states.map((s) => wholePart(s, 1)), 2 * n);
  const x = ctx.hold(fn, p.x);
  const a0 = ctx.hold(fn, p.a0);
  const c0 = ctx.hold(fn, p.c0);
  const tape = new LstmTape(ctx.backend, { nX, nA, m, T, dtype }, x, a0, c0, all, gates);
  const c = ctx.view(all, 0, [nA, m, T], dtype);
  const a = ctx.view(all, n * T, [nA, m, T], dtype);
  ctx.free(xSteps, W, b, zx, all, x.buffer, a0.buffer, c0.buffer, ...gates, ...states);
  return { a, c, steps, tape };
}

/**
 * Backpropagation through time over `lstmSequenceForward`'s tape. Per step, two launches: the gate
 * gradients with `dcPrev`, `[dft; dit; dcct; dot; dcPrev]⟨t⟩` (from `da[:, :, t] + daPrev⟨t+1⟩` and
 * `dcPrev⟨t+1⟩`), and `daPrev⟨t⟩ = Σ_g W_g[:, :nA]ᵀ·dg⟨t⟩`. Then, over all `m·T` columns at once: the
 * gradients joined `(5nA, m, T)`, `aPrev = [a0, a⟨1⟩ … a⟨T−1⟩]`, `dW_g = dg·[aPrev; x]ᵀ`,
 * `db_g = Σ dg` and `dx = Σ_g W_g[:, nA:]ᵀ·dg`.
 */
export function lstmSequenceBackward(ctx: GpuContext, p: LstmSequenceBackwardArgs): LstmSequenceBackwardResult {
  const fn = 'lstmSequenceBackward';
  const tape = openTape(fn, p.tape, LstmTape, ctx.backend);
  const { nX, nA, m, T, dtype } = tape.sizes;
  if (p.da.shape.join() !== [nA, m, T].join()) throw new ShapeMismatchError(fn, 'da', [nA, m, T], p.da.shape, '(n_a, m, T_x) of the forward pass');
  const K = nA + nX;
  const n = nA * m;
  const weights = [p.Wf, p.Wi, p.Wc, p.Wo];
  const dgates = new Array<DeviceBuffer>(T);
  let carry: DeviceBuffer | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const next = dgates[t + 1];
    const dcNext = next === undefined ? p.da : { buffer: next, offset: 4 * n };
    const gates = tape.gates[t];
    if (gates === undefined) throw new BackendError(fn, 'gpujs', `the tape holds no gates for step ${t}`);
    const dg = ctx.run(
      lstmGateGradDef(nA, m, T, { a: carry !== undefined, c: next !== undefined }),
      [p.da, carry ?? p.da, dcNext, tape.states, tape.c0, gates, t],
    );
    const daPrev = ctx.run(lstmInputGradDef(nA, nX, m, 0, nA), [...weights, dg]);
    if (carry !== undefined) ctx.free(carry);
    carry = daPrev;
    dgates[t] = dg;
  }
  const first = dgates[0];
  if (carry === undefined || first === undefined) throw new BackendError(fn, 'gpujs', 'the tape holds no steps');
  const M = m * T;
  const dAll = joinTime(ctx, dgates.map((dg) => wholePart(dg, 1)), 5 * n);
  const aPrev = joinTime(ctx, [wholePart(tape.a0, 1), { input: { buffer: tape.states, offset: n * T }, steps: T - 1, stride: T }], n);
  const dW = ctx.run(lstmWeightGradDef(nA, nX, M, false), [dAll, aPrev, tape.x, dAll, dAll, dAll, dAll]);
  const db = ctx.run(lstmBiasGradDef(nA, M, false), [dAll, dAll, dAll, dAll, dAll]);
  const dx = ctx.run(lstmInputGradDef(nA, nX, M, nA, nX), [...weights, dAll]);
  const w = [nA, K];
  const bias = [nA, 1];
  const result: LstmSequenceBackwardResult = {
    dx: ctx.view(dx, 0, [nX, m, T], dtype),
    da0: ctx.view(carry, 0, [nA, m], dtype),
    dc0: ctx.view(first, 4 * n, [nA, m], dtype),
    dWf: ctx.view(dW, 0, w, dtype),
    dWi: ctx.view(dW, nA * K, w, dtype),
    dWc: ctx.view(dW, 2 * nA * K, w, dtype),
    dWo: ctx.view(dW, 3 * nA * K, w, dtype),
    dbf: ctx.view(db, 0, bias, dtype),
    dbi: ctx.view(db, nA, bias, dtype),
    dbc: ctx.view(db, 2 * nA, bias, dtype),
    dbo: ctx.view(db, 3 * nA, bias, dtype),
  };
  ctx.free(carry, dAll, aPrev, dW, db, dx, ...dgates);
  return result;
}
