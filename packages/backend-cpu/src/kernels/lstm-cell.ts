import { sigmoid, sigmoidGradFromOutput, tanh, tanhGradFromOutput } from '@rnn/tensor';
import type {
  DataArray,
  LstmCellBackwardArgs,
  LstmCellBackwardResult,
  LstmCellForwardArgs,
  LstmCellForwardResult,
  LstmWeightGrads,
  Tensor,
} from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { addBiasInPlace, gemmNN, gemmNT, gemmTN, softmaxColumnsInPlace, sumColumnsInto, transpose } from './mat-mul.js';

/** `concat = [aPrev; xt]` `(n_a+n_x, m)`: row-major, so the two blocks simply follow each other. */
function concatRows(aPrev: DataArray, xt: DataArray): Float64Array {
  const concat = new Float64Array(aPrev.length + xt.length);
  concat.set(aPrev, 0);
  concat.set(xt, aPrev.length);
  return concat;
}

/** `act(W·concat + b)` for one gate, `(n_a, m)`, fused in one pass after the product; takes `concatᵀ (m, K)`. */
function gate(W: DataArray, concatT: Float64Array, b: DataArray, nA: number, K: number, m: number, act: (v: number) => number): Float64Array {
  const z = new Float64Array(nA * m);
  gemmNT(W, concatT, z, nA, K, m);
  addBiasInPlace(z, b, nA, m);
  for (let i = 0; i < z.length; i++) z[i] = act(z[i] as number);
  return z;
}

/**
 * One LSTM step: `ft, it, ot = σ(W·[aPrev; xt] + b)`, `cct = tanh(Wc·[aPrev; xt] + bc)`,
 * `cNext = ft ⊙ cPrev + it ⊙ cct`, `aNext = ot ⊙ tanh(cNext)`, `ytPred = softmax(Wy·aNext + by)`.
 */
export function lstmCellForward(ctx: CpuContext, p: LstmCellForwardArgs): LstmCellForwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const nY = p.Wy.shape[0] ?? 0;
  const K = nA + nX;
  const dtype = p.xt.dtype;
  const shape = [nA, m];
  const concatT = transpose(concatRows(ctx.readTensor(p.aPrev), ctx.readTensor(p.xt)), K, m);
  const ft = ctx.store(gate(ctx.readTensor(p.Wf), concatT, ctx.readTensor(p.bf), nA, K, m, sigmoid), shape, dtype);
  const it = ctx.store(gate(ctx.readTensor(p.Wi), concatT, ctx.readTensor(p.bi), nA, K, m, sigmoid), shape, dtype);
  const cct = ctx.store(gate(ctx.readTensor(p.Wc), concatT, ctx.readTensor(p.bc), nA, K, m, tanh), shape, dtype);
  const ot = ctx.store(gate(ctx.readTensor(p.Wo), concatT, ctx.readTensor(p.bo), nA, K, m, sigmoid), shape, dtype);

  const cPrev = ctx.readTensor(p.cPrev);
  const c = new Float64Array(nA * m);
  for (let i = 0; i < c.length; i++) {
    c[i] = (ft.values[i] as number) * (cPrev[i] as number) + (it.values[i] as number) * (cct.values[i] as number);
  }
  const cNext = ctx.store(c, shape, dtype);
  const a = new Float64Array(nA * m);
  for (let i = 0; i < a.length; i++) a[i] = (ot.values[i] as number) * tanh(cNext.values[i] as number);
  const aNext = ctx.store(a, shape, dtype);

  const y = new Float64Array(nY * m);
  gemmNN(ctx.readTensor(p.Wy), aNext.values, y, nY, nA, m);
  addBiasInPlace(y, ctx.readTensor(p.by), nY, m);
  softmaxColumnsInPlace(y, nY, m);
  return {
    aNext: aNext.tensor,
    cNext: cNext.tensor,
    ft: ft.tensor,
    it: it.tensor,
    cct: cct.tensor,
    ot: ot.tensor,
    ytPred: ctx.store(y, [nY, m], dtype).tensor,
  };
}

/**
 * One LSTM step backward, per SPEC.md: `dc = dcNext + da ⊙ ot ⊙ (1 − tanh²(cNext))`, the four
 * gate gradients in one pass, then `dW = dgate·concatᵀ`, `db = Σ dgate`,
 * `dconcat = Σ Wᵀ·dgate`, `dcPrev = dc ⊙ ft`.
 */
export function lstmCellBackward(ctx: CpuContext, p: LstmCellBackwardArgs, acc?: LstmWeightGrads): LstmCellBackwardResult {
  const [nA = 0, m = 0] = p.aPrev.shape;
  const nX = p.xt.shape[0] ?? 0;
  const K = nA + nX;
  const dtype = p.xt.dtype;
  const [daNext, dcNext, cNext, cPrev] = [ctx.readTensor(p.daNext), ctx.readTensor(p.dcNext), ctx.readTensor(p.cNext), ctx.readTensor(p.cPrev)];
  const [ft, it, cct, ot] = [ctx.readTensor(p.ft), ctx.readTensor(p.it), ctx.readTensor(p.cct), ctx.readTensor(p.ot)];
  const daCarry = p.daCarry === undefined ? null : ctx.readTensor(p.daCarry);

  const size = nA * m;
  const dft = new Float64Array(size);
  const dit = new Float64Array(size);
  const dcct = new Float64Array(size);
  const dot = new Float64Array(size);
  const dcPrev = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const da = (daNext[i] as number) + (daCarry === null ? 0 : (daCarry[i] as number));
    const tc = tanh(cNext[i] as number);
    const o = ot[i] as number;
    const dc = (dcNext[i] as number) + da * o * tanhGradFromOutput(tc);
    dot[i] = da * tc * sigmoidGradFromOutput(o);
    dcct[i] = dc * (it[i] as number) * tanhGradFromOutput(cct[i] as number);
    dit[i] = dc * (cct[i] as number) * sigmoidGradFromOutput(it[i] as number);
    dft[i] = dc * (cPrev[i] as number) * sigmoidGradFromOutput(ft[i] as number);
    dcPrev[i] = dc * (ft[i] as number);
  }

  const concat = concatRows(ctx.readTensor(p.aPrev), ctx.readTensor(p.xt));
  const dconcat = new Float64Array(K * m);
  const weightGrad = (dz: Float64Array, W: Tensor, prevW: Tensor | undefined, prevB: Tensor | undefined) => {
    gemmTN(ctx.readTensor(W), dz, dconcat, K, nA, m);
    const dW = prevW === undefined ? new Float64Array(nA * K) : Float64Array.from(ctx.readTensor(prevW));
    gemmNT(dz, concat, dW, nA, m, K);
    const db = prevB === undefined ? new Float64Array(nA) : Float64Array.from(ctx.readTensor(prevB));
    sumColumnsInto(dz, db, nA, m);
    return { dW: ctx.store(dW, [nA, K], dtype).tensor, db: ctx.store(db, [nA, 1], dtype).tensor };
  };
  const f = weightGrad(dft, p.Wf, acc?.dWf, acc?.dbf);
  const i = weightGrad(dit, p.Wi, acc?.dWi, acc?.dbi);
  const c = weightGrad(dcct, p.Wc, acc?.dWc, acc?.dbc);
  const o = weightGrad(dot, p.Wo, acc?.dWo, acc?.dbo);
  return {
    dxt: ctx.store(dconcat.slice(nA * m), [nX, m], dtype).tensor,
    daPrev: ctx.store(dconcat.slice(0, nA * m), [nA, m], dtype).tensor,
    dcPrev: ctx.store(dcPrev, [nA, m], dtype).tensor,
    dWf: f.dW, dbf: f.db, dWi: i.dW, dbi: i.db, dWc: c.dW, dbc: c.db, dWo: o.dW, dbo: o.db,
  };
}
