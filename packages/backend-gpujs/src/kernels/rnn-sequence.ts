import {
  BackendError,
  type RnnSequenceBackwardArgs,
  type RnnSequenceBackwardResult,
  type RnnSequenceForwardArgs,
  type RnnSequenceForwardResult,
  type RnnStepTensors,
} from '@rnn/tensor';
import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext } from '../gpu-context.js';
import { openTape, RnnTape } from '../sequence-tape.js';
import { affine, affineInputGradDef, affineWeightGradDef } from './affine.js';
import { recurrentGates, type Recurrence } from './recurrent-gates.js';
import { rnnDtanhDef } from './rnn-cell.js';
import { joinTime, timeMajor, wholePart } from './time-axis.js';
import { lengthsInput, maskedTime, openWalk, statesBefore, timeAt, timeBefore } from './walk.js';

/**
 * An RNN over `x (nX, m, T)`: `x` time first and the projection `zx = Wax·x + ba` `(nA, m, T)` in one
 * launch each, then one launch per step walked (forward, or from the last step back with
 * `reverse`), `a⟨t⟩ = tanh(zx[:, :, t] + Waa·a⟨before⟩)`, which an example past its `lengths` keeps
 * unchanged; then the steps joined into `a (nA, m, T)` (about one launch per five steps) and, with
 * `lengths`, the steps that did not run zeroed (one launch). `steps[t]` view `x` time first and
 * the state carried after time step `t`. ONNX's `clip` (forward only: the tape refuses the
 * backward) is a switch of the step kernel, which clamps the pre-activation to `[−clip, clip]`.
 */
export function rnnSequenceForward(ctx: GpuContext, p: RnnSequenceForwardArgs): RnnSequenceForwardResult {
  const [nX = 0, m = 0, T = 0] = p.x.shape;
  const nA = p.a0.shape[0] ?? 0;
  const dtype = p.x.dtype;
  const walk = openWalk(ctx, 'rnnSequenceForward', p, m, T);
  const xSteps = timeMajor(ctx, p.x);
  const zx = affine(ctx, 'rnnInputProjection', p.Wax, p.x, p.ba, { R: nA, n: nX, M: m * T, ld: nX, col0: 0 });
  const recurrence: Recurrence = { name: 'rnnRecurrence', W: p.Waa, zx, R: nA, nA, m, T, ld: nA, tanhRows: [0, nA], idFrom: nA, clip: p.clip };
  const outputs = new Array<DeviceBuffer>(T);
  for (let s = 0; s < T; s++) {
    const t = timeAt(walk, T, s);
    outputs[t] = recurrentGates(ctx, recurrence, outputs[timeBefore(walk, t)] ?? p.a0, t, walk.lengths ?? undefined);
  }
  const all = joinTime(ctx, outputs.map((a) => wholePart(a, 1)), nA * m);
  const tape = new RnnTape(ctx, { nX, nA, m, T, dtype }, walk, ctx.hold(p.x), ctx.hold(p.a0), all);
  const steps = outputs.map((a, t): RnnStepTensors => ({ xt: ctx.view(xSteps, t * nX * m, [nX, m], dtype), aNext: ctx.view(a, 0, [nA, m], dtype) }));
  return { a: ctx.view(maskedTime(ctx, walk, all, nA * m, m, T), 0, [nA, m, T], dtype), steps, tape };
}

/**
 * Backpropagation through time over `rnnSequenceForward`'s tape, walking its steps back. Per step,
 * two launches: `dtanh⟨t⟩ = (1 − a⟨t⟩²) ⊙ (da[:, :, t] + daPrev)` (with lengths also the `pass` of
 * the examples the step did not run for) and `daPrev⟨t⟩ = Waaᵀ·dtanh⟨t⟩ (+ pass)`. Then, over all
 * `m·T` columns at once: the `dtanh` joined `(nA, m, T)`, the states each step started from,
 * `[dWaa | dWax | dba] = [dtanh·aPrevᵀ | dtanh·xᵀ | Σ dtanh]` and `dx = Waxᵀ·dtanh`.
 */
export function rnnSequenceBackward(ctx: GpuContext, p: RnnSequenceBackwardArgs): RnnSequenceBackwardResult {
  const fn = 'rnnSequenceBackward';
  const tape = openTape(fn, p.tape, RnnTape, ctx.backend, p.da);
  const { nX, nA, m, T, dtype } = tape.sizes;
  const { walk } = tape;
  const masked = walk.lengths !== null;
  const n = nA * m;
  const dtanh = new Array<DeviceBuffer>(T);
  let carry: DeviceBuffer | undefined;
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(walk, T, s);
    const d = ctx.run(rnnDtanhDef(nA, m, T, carry !== undefined, masked), [tape.a, p.da, carry ?? p.da, lengthsInput(walk, p.da), t]);
    const daPrev = ctx.run(affineInputGradDef('rnnRecurrentGrad', { R: nA, colsA: nA, colsB: nX, M: m, rowFrom: 0, rows: nA, pass: masked }), [p.Waa, p.Wax, d]);
    if (carry !== undefined) ctx.free(carry);
    carry = daPrev;
    dtanh[t] = d;
  }
  if (carry === undefined) throw new BackendError(fn, 'gpujs', 'the tape holds no steps');
  const M = m * T;
  const dAll = joinTime(ctx, dtanh.map((d) => wholePart(d, 1)), n);
  const aPrev = statesBefore(ctx, walk, tape.a0, { buffer: tape.a, offset: 0 }, n, T);
  const grads = ctx.run(affineWeightGradDef('rnnWeightGrad', { R: nA, nP: nA, nX, M, acc: false }), [dAll, aPrev, tape.x, dAll, dAll, dAll]);
  const dx = ctx.run(affineInputGradDef('rnnInputGrad', { R: nA, colsA: nA, colsB: nX, M, rowFrom: nA, rows: nX }), [p.Waa, p.Wax, dAll]);
  return {
    dx: ctx.view(dx, 0, [nX, m, T], dtype),
    da0: ctx.view(carry, 0, [nA, m], dtype),
    dWaa: ctx.view(grads, 0, [nA, nA], dtype),
    dWax: ctx.view(grads, nA * nA, [nA, nX], dtype),
    dba: ctx.view(grads, nA * (nA + nX), [nA, 1], dtype),
  };
}
