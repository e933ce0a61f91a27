import {
  forwardOnlyOptions,
  type DataArray,
  type RnnSequenceBackwardArgs,
  type RnnSequenceBackwardResult,
  type RnnSequenceForwardArgs,
  type RnnSequenceForwardResult,
  type RnnStepTensors,
  type Tensor,
} from '@rnn/tensor';
import { CpuTape, type CpuContext } from '../cpu-context.js';
import { ResidentArrays, type ArraySource, type ResidentPool } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { sequenceDims, timeOf, unpadBlock, type SequenceDims } from './padded.js';
import { concatWeightGradient } from './weight-gradient.js';

/** The arrays an RNN sequence forward keeps, padded and time major: `xs (T, n_x, mp)` in time order and `h (T+1, n_a, mp)` in the order the steps were walked, slot 0 `a0`. */
export type RnnTapeName = 'xs' | 'h';

/** The RNN forward's record on the CPU backend. */
export class RnnTape extends CpuTape<RnnTapeName> {
  constructor(ctx: CpuContext, arrays: ResidentArrays<RnnTapeName>, dims: SequenceDims) {
    super(ctx, arrays, dims);
  }

  /** The hidden states of every step, `(n_a, m, T)`, computed from the tape when first read. */
  outputs(ctx: CpuContext): Tensor {
    return this.states(ctx, 'h', this.dims.nA);
  }

  /** Time step `t`'s tensors, each computed from the tape when first read. */
  step(ctx: CpuContext, t: number): RnnStepTensors {
    const { nX, nA, mp } = this.dims;
    return { xt: this.view(ctx, 'xs', t * nX * mp, nX), aNext: this.stateAfter(ctx, 'h', t, nA) };
  }
}

/** Host values of an RNN sequence forward: `x (n_x, m, T)`, `a0 (n_a, m)`, `Waa`, `Wax`, `ba`. */
export interface RnnForwardValues {
  readonly x: DataArray;
  readonly a0: DataArray;
  readonly Waa: DataArray;
  readonly Wax: DataArray;
  readonly ba: DataArray;
  /** ONNX's `clip` (forward only). */
  readonly clip?: number | undefined;
}

/**
 * A basic RNN over a sequence, as a pure function of values and sizes: `Z⟨t⟩ = Wax·x⟨t⟩ + ba`
 * for every step in one product, then per step `Z⟨t⟩ += Waa·a⟨t−1⟩`, `a⟨t⟩ = tanh(Z⟨t⟩)`.
 */
export function rnnSequenceForwardImpl(ws: Workspace, pool: ResidentPool, v: RnnForwardValues, d: SequenceDims): { tape: ResidentArrays<RnnTapeName> } {
  const { nX, nA, m, T, mp } = d;
  const n = nA * mp;
  const e = ws.ops;
  const Waa = ws.alloc(e.packedLength(nA, nA));
  e.packA(ws.write(v.Waa), nA, 1, 0, nA, 1, nA, Waa);
  const Wax = ws.alloc(e.packedLength(nA, nX));
  e.packA(ws.write(v.Wax), nX, 1, 0, nX, 1, nA, Wax);
  const xs = ws.alloc(T * nX * mp);
  e.toTimeMajor(ws.write(v.x), nX, m, T, xs, mp);
  const h = ws.alloc((T + 1) * n);
  e.toTimeMajor(ws.write(v.a0), nA, m, 1, h, mp);

  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);
  const z = ws.alloc(T * n);
  e.fillRows(z, ws.write(v.ba), nA, mp, n, T);
  e.gemm(Wax, nA, nX, xs, mp, nX * mp, z, mp, n, mp, T, true);
  for (let s = 0; s < T; s++) {
    const t = timeOf(d, s);
    const mask = masks === 0 ? 0 : masks + t * mp;
    if (v.clip === undefined) e.rnnStep(Waa, h + s * n, z + t * n, h + (s + 1) * n, mask, nA, mp, 0, nA);
    else e.rnnStepVariant(Waa, h + s * n, z + t * n, h + (s + 1) * n, mask, nA, mp, v.clip);
  }
  const tape = new ResidentArrays<RnnTapeName>(ws, pool, { xs: { ptr: xs, length: T * nX * mp }, h: { ptr: h, length: (T + 1) * n } });
  return { tape };
}

/** Host values of an RNN sequence backward; `daT` seeds the carry, `acc` is added to the weight gradients. */
export interface RnnBackwardValues {
  readonly da: DataArray;
  readonly tape: ArraySource<RnnTapeName>;
  readonly Waa: DataArray;
  readonly Wax: DataArray;
  readonly daT?: DataArray | undefined;
  readonly acc?: { readonly dWaa: DataArray; readonly dWax: DataArray; readonly dba: DataArray } | undefined;
}

/** What `rnnSequenceBackwardImpl` returns. */
export interface RnnBackwardOutput {
  readonly dx: DataArray;
  readonly da0: DataArray;
  readonly dWaa: DataArray;
  readonly dWax: DataArray;
  readonly dba: DataArray;
}

/**
 * Backpropagation through time over an RNN tape: per step (from the last)
 * `dz⟨t⟩ = (1 − a⟨t⟩²) ⊙ (da⟨t⟩ + daCarry)` and `daCarry = Waaᵀ·dz⟨t⟩` (one engine call per step, walked back); then over all steps at once
 * `dx = Waxᵀ·dz`, `[dWaa | dWax] = dz·[a⟨t−1⟩; x⟨t⟩]ᵀ` and `dba = Σ dz`.
 */
export function rnnSequenceBackwardImpl(ws: Workspace, v: RnnBackwardValues, d: SequenceDims): RnnBackwardOutput {
  const { nX, nA, m, T, mp } = d;
  const n = nA * mp;
  const K = nA + nX;
  const dtype = ws.dtype;
  const e = ws.ops;
  const WaaT = ws.alloc(e.packedLength(nA, nA));
  e.packA(ws.write(v.Waa), 1, nA, 0, nA, 1, nA, WaaT);
  const WaxT = ws.alloc(e.packedLength(nX, nA));
  e.packA(ws.write(v.Wax), 1, nX, 0, nA, 1, nX, WaxT);
  const xs = v.tape.place(ws, 'xs');
  const h = v.tape.place(ws, 'h');
  const dA = ws.alloc(T * n);
  e.toTimeMajor(ws.write(v.da), nA, m, T, dA, mp);
  const daCarry = ws.zeros(n);
  if (v.daT !== undefined) e.toTimeMajor(ws.write(v.daT), nA, m, 1, daCarry, mp);

  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);
  const dz = ws.alloc(T * n);
  // Each step adds Waaᵀ·dz of the step after it to the carry (none at the first step walked back).
  for (let s = T - 1; s >= 0; s--) {
    const t = timeOf(d, s);
    const next = s < T - 1 ? dz + timeOf(d, s + 1) * n : 0;
    e.rnnBackStep(WaaT, next, daCarry, dA + t * n, h + (s + 1) * n, dz + t * n, masks === 0 ? 0 : masks + t * mp, nA, mp, 0, nA, s < T - 1);
  }
  e.gemm(WaaT, nA, nA, dz + timeOf(d, 0) * n, mp, 0, daCarry, mp, 0, mp, 1, true);
  const dX = ws.alloc(T * nX * mp);
  e.gemm(WaxT, nX, nA, dz, mp, n, dX, mp, nX * mp, mp, T, false);
  const acc = v.acc === undefined ? undefined : [interleaveColumns(v.acc.dWaa, v.acc.dWax, nA, nX)];
  const { dW, Kp } = concatWeightGradient(ws, dz, nA, h, xs, d, acc);
  const dba = v.acc === undefined ? ws.alloc(nA) : ws.write(v.acc.dba);
  e.sumRows(dz, nA, mp, n, T, dba, v.acc !== undefined);
  const dx = ws.alloc(nX * m * T);
  e.fromTimeMajor(dX, nX, m, T, dx, mp);

  const heap = e.heap();
  const dWaa = new (dtype === 'float32' ? Float32Array : Float64Array)(nA * nA);
  const dWax = new (dtype === 'float32' ? Float32Array : Float64Array)(nA * nX);
  for (let r = 0; r < nA; r++) {
    dWaa.set(heap.subarray(dW + r * Kp, dW + r * Kp + nA), r * nA);
    dWax.set(heap.subarray(dW + r * Kp + nA, dW + r * Kp + K), r * nX);
  }
  return { dx: ws.read(dx, nX * m * T), da0: unpadBlock(heap, daCarry, nA, m, mp, dtype), dWaa, dWax, dba: ws.read(dba, nA) };
}

/** `[A | B]` row by row, for `A (rows, p)` and `B (rows, q)`. */
function interleaveColumns(A: DataArray, B: DataArray, p: number, q: number): DataArray {
  const rows = A.length / p;
  const out = new (A instanceof Float32Array ? Float32Array : Float64Array)(rows * (p + q));
  for (let r = 0; r < rows; r++) {
    out.set(A.subarray(r * p, r * p + p), r * (p + q));
    out.set(B.subarray(r * q, r * q + q), r * (p + q) + p);
  }
  return out;
}

/** `rnnSequenceForward` on the CPU backend. */
export function rnnSequenceForward(ctx: CpuContext, args: RnnSequenceForwardArgs): RnnSequenceForwardResult {
  const d = sequenceDims('rnnSequenceForward', args.x.shape, args.a0.shape[0] ?? 0, args, forwardOnlyOptions(args));
  const values = { x: ctx.read(args.x), a0: ctx.read(args.a0), Waa: ctx.read(args.Waa), Wax: ctx.read(args.Wax), ba: ctx.read(args.ba), clip: args.clip };
  const out = Workspace.run(ctx.engine, args.x.dtype, (ws) => rnnSequenceForwardImpl(ws, ctx.pool, values, d));
  const tape = new RnnTape(ctx, out.tape, d);
  const steps = Array.from({ length: d.T }, (_, t) => tape.step(ctx, t));
  return { a: tape.outputs(ctx), steps, tape };
}

/** `rnnSequenceBackward` on the CPU backend, over a tape from this backend's `rnnSequenceForward`. */
export function rnnSequenceBackward(ctx: CpuContext, args: RnnSequenceBackwardArgs): RnnSequenceBackwardResult {
  const tape = CpuTape.usable(RnnTape, 'RNN', 'rnnSequenceBackward', args.tape, ctx.backend);
  const d = tape.dims;
  const values = { da: ctx.read(args.da), tape: tape.arrays, Waa: ctx.read(args.Waa), Wax: ctx.read(args.Wax) };
  const out = Workspace.run(ctx.engine, args.da.dtype, (ws) => rnnSequenceBackwardImpl(ws, values, d));
  const { nX, nA, m, T } = d;
  return {
    dx: ctx.tensor(out.dx, [nX, m, T]),
    da0: ctx.tensor(out.da0, [nA, m]),
    dWaa: ctx.tensor(out.dWaa, [nA, nA]),
    dWax: ctx.tensor(out.dWax, [nA, nX]),
    dba: ctx.tensor(out.dba, [nA, 1]),
  };
}
