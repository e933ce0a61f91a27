import {
  BackendError,
  ShapeMismatchError,
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

/**
 * An RNN over `x (nX, m, T)`: `x` time first and the projection `zx = Wax·x + ba` `(nA, m, T)` in one
 * launch each, then one launch per step, `a⟨t⟩ = tanh(zx[:, :, t] + Waa·a⟨t−1⟩)`, then the steps joined
 * into `a (nA, m, T)` (about one launch per five steps). `steps[t]` view `x` time first and step `t`'s output.
 */
export function rnnSequenceForward(ctx: GpuContext, p: RnnSequenceForwardArgs): RnnSequenceForwardResult {
  const [nX = 0, m = 0, T = 0] = p.x.shape;
  const nA = p.a0.shape[0] ?? 0;
  const dtype = p.x.dtype;
  const xSteps = timeMajor(ctx, p.x);
  const zx = affine(ctx, 'rnnInputProjection', p.Wax, p.x, p.ba, { R: nA, n: nX, M: m * T, ld: nX, col0: 0 });
  const recurrence: Recurrence = { name: 'rnnRecurrence', W: p.Waa, zx, R: nA, nA, m, T, ld: nA, tanhRows: [0, nA] };
  const outputs: DeviceBuffer[] = [];
  const steps: RnnStepTensors[] = [];
  for (let t = 0; t < T; t++) {
    const a = recurrentGates(ctx, recurrence, steps[t - 1]?.aNext ?? p.a0, t);
    outputs.push(a);
    steps.push({ xt: ctx.view(xSteps, t * nX * m, [nX, m], dtype), aNext: ctx.view(a, 0, [nA, m], dtype) });
  }
  const all = joinTime(ctx, outputs.map((a) => wholePart(a, 1)), nA * m);
  const x = ctx.hold('rnnSequenceForward', p.x);
  const a0 = ctx.hold('rnnSequenceForward', p.a0);
  const tape = new RnnTape(ctx.backend, { nX, nA, m, T, dtype }, x, a0, all);
  const a = ctx.view(all, 0, [nA, m, T], dtype);
  ctx.free(xSteps, zx, all, x.buffer, a0.buffer, ...outputs);
  return { a, steps, tape };
}

/**
 * Backpropagation through time over `rnnSequenceForward`'s tape. Per step, two launches:
 * `dtanh⟨t⟩ = (1 − a⟨t⟩²) ⊙ (da[:, :, t] + daPrev⟨t+1⟩)` and `daPrev⟨t⟩ = Waaᵀ·dtanh⟨t⟩`. Then, over
 * all `m·T` columns at once: the `dtanh` joined `(nA, m, T)`, `aPrev = [a0, a⟨1⟩ … a⟨T−1⟩]`,
 * `[dWaa | dWax | dba] = [dtanh·aPrevᵀ | dtanh·xᵀ | Σ dtanh]` and `dx = Waxᵀ·dtanh`.
 */
export function rnnSequenceBackward(ctx: GpuContext, p: RnnSequenceBackwardArgs): RnnSequenceBackwardResult {
  const fn = 'rnnSequenceBackward';
  const tape = openTape(fn, p.tape, RnnTape, ctx.backend);
  const { nX, nA, m, T, dtype } = tape.sizes;
  if (p.da.shape.join() !== [nA, m, T].join()) throw new ShapeMismatchError(fn, 'da', [nA, m, T], p.da.shape, '(n_a, m, T_x) of the forward pass');
  const n = nA * m;
  const dtanh = new Array<DeviceBuffer>(T);
  let carry: DeviceBuffer | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const d = ctx.run(rnnDtanhDef(nA, m, T, carry !== undefined), [tape.a, p.da, carry ?? p.da, t]);
    const daPrev = ctx.run(affineInputGradDef('rnnRecurrentGrad', { R: nA, colsA: nA, colsB: nX, M: m, rowFrom: 0, rows: nA }), [p.Waa, p.Wax, d]);
    if (carry !== undefined) ctx.free(carry);
    carry = daPrev;
    dtanh[t] = d;
  }
  if (carry === undefined) throw new BackendError(fn, 'gpujs', 'the tape holds no steps');
  const M = m * T;
  const dAll = joinTime(ctx, dtanh.map((d) => wholePart(d, 1)), n);
  const aPrev = joinTime(ctx, [wholePart(tape.a0, 1), { input: tape.a, steps: T - 1, stride: T }], n);
  const grads = ctx.run(affineWeightGradDef('rnnWeightGrad', { R: nA, nP: nA, nX, M, acc: false }), [dAll, aPrev, tape.x, dAll, dAll, dAll]);
  const dx = ctx.run(affineInputGradDef('rnnInputGrad', { R: nA, colsA: nA, colsB: nX, M, rowFrom: nA, rows: nX }), [p.Waa, p.Wax, dAll]);
  const result: RnnSequenceBackwardResult = {
    dx: ctx.view(dx, 0, [nX, m, T], dtype),
    da0: ctx.view(carry, 0, [nA, m], dtype),
    dWaa: ctx.view(grads, 0, [nA, nA], dtype),
    dWax: ctx.view(grads, nA * nA, [nA, nX], dtype),
    dba: ctx.view(grads, nA * (nA + nX), [nA, 1], dtype),
  };
  ctx.free(carry, dAll, aPrev, grads, dx, ...dtanh);
  return result;
}
