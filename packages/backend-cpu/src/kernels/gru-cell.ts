import type { DataArray, GruCellBackwardArgs, GruCellBackwardResult, GruCellForwardArgs, GruCellForwardResult, GruWeightGrads, Tensor } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { hostArrays } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { gruGradientTensors, gruSequenceBackwardImpl, gruSequenceForwardImpl } from './gru-sequence.js';
import { softmaxOutputImpl } from './output-layer.js';
import { padBlock, padBlocks, sequenceDims, unpadBlock } from './padded.js';

/**
 * One GRU step, the sequence impl over one step then the output layer: `zt = σ(Wz·[aPrev; xt] + bz)`,
 * `rt = σ(Wr·[aPrev; xt] + br)`, `hh = Whh·aPrev + bhh`, `hct = tanh(Whx·xt + bhx + rt ⊙ hh)`,
 * `aNext = (1 − zt) ⊙ hct + zt ⊙ aPrev`, `ytPred = softmax(Wy·aNext + by)`.
 */
export function gruCellForward(ctx: CpuContext, p: GruCellForwardArgs): GruCellForwardResult {
  const d = sequenceDims('gruCellForward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nA, m, mp } = d;
  const nY = p.Wy.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const n = nA * mp;
  const values = {
    x: ctx.read(p.xt), a0: ctx.read(p.aPrev), Wz: ctx.read(p.Wz), Wr: ctx.read(p.Wr), Whx: ctx.read(p.Whx), Whh: ctx.read(p.Whh),
    b: [p.bz, p.br, p.bhh, p.bhx].map((b) => ctx.read(b)),
  };
  const out = Workspace.run(ctx.engine, dtype, (ws) => {
    const { tape } = gruSequenceForwardImpl(ws, ctx.pool, values, d);
    const y = softmaxOutputImpl(ws, { a: { timeMajor: (w) => tape.place(w, 'h') + n }, W: ctx.read(p.Wy), b: ctx.read(p.by) }, { nY, nA, m, T: 1 });
    const state = { h: tape.slice('h', n, n), g: tape.slice('g', 0, 4 * n), y };
    tape.release();
    return state;
  });
  const block = (values: DataArray, offset: number): Tensor => ctx.tensor(unpadBlock(values, offset, nA, m, mp, dtype), [nA, m]);
  return { aNext: block(out.h, 0), zt: block(out.g, 0), rt: block(out.g, n), hh: block(out.g, 2 * n), hct: block(out.g, 3 * n), ytPred: ctx.tensor(out.y, [nY, m]) };
}

/** One GRU step backward per SPEC.md: the sequence impl over one step, seeded with `daCarry`, adding `acc`. */
export function gruCellBackward(ctx: CpuContext, p: GruCellBackwardArgs, acc?: GruWeightGrads): GruCellBackwardResult {
  const d = sequenceDims('gruCellBackward', p.xt.shape, p.aPrev.shape[0] ?? 0);
  const { nX, nA, m, mp } = d;
  const dtype = p.xt.dtype;
  const rows = (values: DataArray): { values: DataArray; rows: number } => ({ values, rows: nA });
  const values = {
    da: ctx.read(p.daNext),
    tape: hostArrays({
      xs: padBlock(ctx.read(p.xt), nX, m, mp, dtype),
      h: padBlocks([rows(ctx.read(p.aPrev)), rows(new Float64Array(nA * m))], m, mp, dtype),
      g: padBlocks([p.zt, p.rt, p.hh, p.hct].map((t) => rows(ctx.read(t))), m, mp, dtype),
    }),
    Wz: ctx.read(p.Wz), Wr: ctx.read(p.Wr), Whx: ctx.read(p.Whx), Whh: ctx.read(p.Whh),
    daT: p.daCarry === undefined ? undefined : ctx.read(p.daCarry),
    acc: acc === undefined ? undefined : {
      dWz: ctx.read(acc.dWz), dbz: ctx.read(acc.dbz), dWr: ctx.read(acc.dWr), dbr: ctx.read(acc.dbr),
      dWhx: ctx.read(acc.dWhx), dbhx: ctx.read(acc.dbhx), dWhh: ctx.read(acc.dWhh), dbhh: ctx.read(acc.dbhh),
    },
  };
  const out = Workspace.run(ctx.engine, dtype, (ws) => gruSequenceBackwardImpl(ws, values, d));
  const { dx, da0, ...weights } = gruGradientTensors(ctx, out, d, [nX, m]);
  return { dxt: dx, daPrev: da0, ...weights };
}
