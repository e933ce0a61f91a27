import type { DataArray, RnnCellBackwardArgs, RnnCellBackwardResult, RnnCellForwardArgs, RnnCellForwardResult, RnnWeightGrads } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { hostArrays } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { softmaxOutputImpl } from './output-layer.js';
import { padBlock, padBlocks, sequenceDims, unpadBlock } from './padded.js';
import { rnnSequenceBackwardImpl, rnnSequenceForwardImpl } from './rnn-sequence.js';

/** One RNN step: `aNext = tanh(Waa·aPrev + Wax·xt + ba)`, `ytPred = softmax(Wya·aNext + by)`, via the sequence impl over one step. */
export function rnnCellForward(ctx: CpuContext, p: RnnCellForwardArgs): RnnCellForwardResult {
  const d = sequenceDims('rnnCellForward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nA, m } = d;
  const nY = p.Wya.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const values = { x: ctx.read(p.xt), a0: ctx.read(p.aPrev), Waa: ctx.read(p.Waa), Wax: ctx.read(p.Wax), ba: ctx.read(p.ba) };
  const n = nA * d.mp;
  const out = Workspace.run(ctx.engine, dtype, (ws) => {
    const { tape } = rnnSequenceForwardImpl(ws, ctx.pool, values, d);
    const y = softmaxOutputImpl(ws, { a: { timeMajor: (w) => tape.place(w, 'h') + n }, W: ctx.read(p.Wya), b: ctx.read(p.by) }, { nY, nA, m, T: 1 });
    const h = tape.slice('h', n, n);
    tape.release();
    return { h, y };
  });
  return { aNext: ctx.tensor(unpadBlock(out.h, 0, nA, m, d.mp, dtype), [nA, m]), ytPred: ctx.tensor(out.y, [nY, m]) };
}

/** One RNN step backward: `dtanh = (1 − aNext²) ⊙ (daNext + daCarry)`, `dxt = Waxᵀ·dtanh`, `daPrev = Waaᵀ·dtanh`, the weight gradients plus `acc`. */
export function rnnCellBackward(ctx: CpuContext, p: RnnCellBackwardArgs, acc?: RnnWeightGrads): RnnCellBackwardResult {
  const d = sequenceDims('rnnCellBackward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nX, nA, m, mp } = d;
  const dtype = p.xt.dtype;
  const block = (values: DataArray): { values: DataArray; rows: number } => ({ values, rows: nA });
  const values = {
    da: ctx.read(p.daNext),
    tape: hostArrays({ xs: padBlock(ctx.read(p.xt), nX, m, mp, dtype), h: padBlocks([block(ctx.read(p.aPrev)), block(ctx.read(p.aNext))], m, mp, dtype) }),
    Waa: ctx.read(p.Waa),
    Wax: ctx.read(p.Wax),
    daT: p.daCarry === undefined ? undefined : ctx.read(p.daCarry),
    acc: acc === undefined ? undefined : { dWaa: ctx.read(acc.dWaa), dWax: ctx.read(acc.dWax), dba: ctx.read(acc.dba) },
  };
  const out = Workspace.run(ctx.engine, dtype, (ws) => rnnSequenceBackwardImpl(ws, values, d));
  return {
    dxt: ctx.tensor(out.dx, [nX, m]),
    daPrev: ctx.tensor(out.da0, [nA, m]),
    dWax: ctx.tensor(out.dWax, [nA, nX]),
    dWaa: ctx.tensor(out.dWaa, [nA, nA]),
    dba: ctx.tensor(out.dba, [nA, 1]),
  };
}
