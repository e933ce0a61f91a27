import { tanh, tanhGradFromOutput } from '@rnn/tensor';
import type { Tensor, RnnCellBackwardArgs, RnnCellBackwardResult, RnnCellForwardArgs, RnnCellForwardResult, RnnWeightGrads } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { addBiasInPlace, gemmNN, gemmNT, gemmTN, softmaxColumnsInPlace, sumColumnsInto } from './mat-mul.js';

/** `aNext = tanh(Waa·aPrev + Wax·xt + ba)`, `ytPred = softmax(Wya·aNext + by)`: one pass per product. */
export function rnnCellForward(ctx: CpuContext, p: RnnCellForwardArgs): RnnCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const nY = p.Wya.shape[0] ?? 0;
  const z = new Float64Array(nA * m);
  gemmNN(ctx.readTensor(p.Waa), ctx.readTensor(p.aPrev), z, nA, nA, m);
  gemmNN(ctx.readTensor(p.Wax), ctx.readTensor(p.xt), z, nA, nX, m);
  addBiasInPlace(z, ctx.readTensor(p.ba), nA, m);
  for (let i = 0; i < z.length; i++) z[i] = tanh(z[i] as number);
  const aNext = ctx.store(z, [nA, m], p.xt.dtype);

  const y = new Float64Array(nY * m);
  gemmNN(ctx.readTensor(p.Wya), aNext.values, y, nY, nA, m);
  addBiasInPlace(y, ctx.readTensor(p.by), nY, m);
  softmaxColumnsInPlace(y, nY, m);
  return { aNext: aNext.tensor, ytPred: ctx.store(y, [nY, m], p.xt.dtype).tensor };
}

/** `dtanh = (1 − aNext²) ⊙ da`; `dxt = Waxᵀ·dtanh`, `daPrev = Waaᵀ·dtanh`, `dWax = dtanh·xtᵀ`, `dWaa = dtanh·aPrevᵀ`, `dba = Σ dtanh`. */
export function rnnCellBackward(ctx: CpuContext, p: RnnCellBackwardArgs, acc?: RnnWeightGrads): RnnCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const dtype = p.xt.dtype;
  const aNext = ctx.readTensor(p.aNext);
  const daNext = ctx.readTensor(p.daNext);
  const daCarry = p.daCarry === undefined ? null : ctx.readTensor(p.daCarry);
  const dtanh = new Float64Array(nA * m);
  for (let i = 0; i < dtanh.length; i++) {
    const da = (daNext[i] as number) + (daCarry === null ? 0 : (daCarry[i] as number));
    dtanh[i] = tanhGradFromOutput(aNext[i] as number) * da;
  }
  const dxt = new Float64Array(nX * m);
  gemmTN(ctx.readTensor(p.Wax), dtanh, dxt, nX, nA, m);
  const daPrev = new Float64Array(nA * m);
  gemmTN(ctx.readTensor(p.Waa), dtanh, daPrev, nA, nA, m);

  const start = (t: Tensor | undefined, size: number): Float64Array => (t === undefined ? new Float64Array(size) : Float64Array.from(ctx.readTensor(t)));
  const dWax = start(acc?.dWax, nA * nX);
  gemmNT(dtanh, ctx.readTensor(p.xt), dWax, nA, m, nX);
  const dWaa = start(acc?.dWaa, nA * nA);
  gemmNT(dtanh, ctx.readTensor(p.aPrev), dWaa, nA, m, nA);
  const dba = start(acc?.dba, nA);
  sumColumnsInto(dtanh, dba, nA, m);
  return {
    dxt: ctx.store(dxt, [nX, m], dtype).tensor,
    daPrev: ctx.store(daPrev, [nA, m], dtype).tensor,
    dWax: ctx.store(dWax, [nA, nX], dtype).tensor,
    dWaa: ctx.store(dWaa, [nA, nA], dtype).tensor,
    dba: ctx.store(dba, [nA, 1], dtype).tensor,
  };
}
