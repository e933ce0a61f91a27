import type { DataArray, LstmCellBackwardArgs, LstmCellBackwardResult, LstmCellForwardArgs, LstmCellForwardResult, LstmWeightGrads, Tensor } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { hostArrays } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { lstmSequenceBackwardImpl, lstmSequenceForwardImpl, perGate } from './lstm-sequence.js';
import { softmaxOutputImpl } from './output-layer.js';
import { padBlock, padBlocks, sequenceDims, unpadBlock } from './padded.js';

/**
 * One LSTM step: the sequence impl over one step, then the output layer.
 * `ft, it, ot = σ(W·[aPrev; xt] + b)`, `cct = tanh(Wc·[aPrev; xt] + bc)`,
 * `cNext = ft ⊙ cPrev + it ⊙ cct`, `aNext = ot ⊙ tanh(cNext)`, `ytPred = softmax(Wy·aNext + by)`.
 */
export function lstmCellForward(ctx: CpuContext, p: LstmCellForwardArgs): LstmCellForwardResult {
  const d = sequenceDims('lstmCellForward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nA, m, mp } = d;
  const nY = p.Wy.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const values = {
    x: ctx.read(p.xt), a0: ctx.read(p.aPrev), c0: ctx.read(p.cPrev),
    W: [p.Wf, p.Wi, p.Wc, p.Wo].map((w) => ctx.read(w)), b: [p.bf, p.bi, p.bc, p.bo].map((b) => ctx.read(b)),
  };
  const n = nA * mp;
  const out = Workspace.run(ctx.engine, dtype, (ws) => {
    const { tape } = lstmSequenceForwardImpl(ws, ctx.pool, values, d);
    const y = softmaxOutputImpl(ws, { a: { timeMajor: (w) => tape.place(w, 'h') + n }, W: ctx.read(p.Wy), b: ctx.read(p.by) }, { nY, nA, m, T: 1 });
    const state = { h: tape.slice('h', n, n), c: tape.slice('c', n, n), g: tape.slice('g', 0, 4 * n), y };
    tape.release();
    return state;
  });
  const block = (values: DataArray, offset: number): Tensor => ctx.tensor(unpadBlock(values, offset, nA, m, mp, dtype), [nA, m]);
  const [ft, it, cct, ot] = perGate((gate) => block(out.g, gate * n));
  return { aNext: block(out.h, 0), cNext: block(out.c, 0), ft, it, cct, ot, ytPred: ctx.tensor(out.y, [nY, m]) };
}

/** One LSTM step backward per SPEC.md: the sequence impl over one step, seeded with `daCarry` and `dcNext`, adding `acc`. */
export function lstmCellBackward(ctx: CpuContext, p: LstmCellBackwardArgs, acc?: LstmWeightGrads): LstmCellBackwardResult {
  const d = sequenceDims('lstmCellBackward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nX, nA, m, mp } = d;
  const dtype = p.xt.dtype;
  const rows = (values: DataArray, n: number): { values: DataArray; rows: number } => ({ values, rows: n });
  const values = {
    da: ctx.read(p.daNext),
    tape: hostArrays({
      xs: padBlock(ctx.read(p.xt), nX, m, mp, dtype),
      h: padBlocks([rows(ctx.read(p.aPrev), nA), rows(new Float64Array(nA * m), nA)], m, mp, dtype),
      c: padBlocks([rows(ctx.read(p.cPrev), nA), rows(ctx.read(p.cNext), nA)], m, mp, dtype),
      g: padBlocks([p.ft, p.it, p.cct, p.ot].map((t) => rows(ctx.read(t), nA)), m, mp, dtype),
    }),
    W: [p.Wf, p.Wi, p.Wc, p.Wo].map((w) => ctx.read(w)),
    daT: p.daCarry === undefined ? undefined : ctx.read(p.daCarry),
    dcT: ctx.read(p.dcNext),
    accW: acc === undefined ? undefined : [acc.dWf, acc.dWi, acc.dWc, acc.dWo].map((t) => ctx.read(t)),
    accB: acc === undefined ? undefined : [acc.dbf, acc.dbi, acc.dbc, acc.dbo].map((t) => ctx.read(t)),
  };
  const out = Workspace.run(ctx.engine, dtype, (ws) => lstmSequenceBackwardImpl(ws, values, d));
  const K = nA + nX;
  const [dWf, dWi, dWc, dWo] = perGate((gate) => ctx.tensor(out.dW[gate] as DataArray, [nA, K]));
  const [dbf, dbi, dbc, dbo] = perGate((gate) => ctx.tensor(out.db[gate] as DataArray, [nA, 1]));
  return {
    dxt: ctx.tensor(out.dx, [nX, m]), daPrev: ctx.tensor(out.da0, [nA, m]), dcPrev: ctx.tensor(out.dc0, [nA, m]),
    dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo,
  };
}
