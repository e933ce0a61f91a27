import {
  forwardOnlyOptions,
  type DataArray,
  type GruSequenceBackwardArgs,
  type GruSequenceBackwardResult,
  type GruSequenceForwardArgs,
  type GruSequenceForwardResult,
  type GruStepTensors,
  type Tensor,
} from '@rnn/tensor';
import { CpuTape, type CpuContext } from '../cpu-context.js';
import { ResidentArrays, type ArraySource, type ResidentPool } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { sequenceDims, timeOf, unpadBlock, type SequenceDims } from './padded.js';
import { concatWeightGradient } from './weight-gradient.js';

/**
 * The arrays a GRU sequence forward keeps, padded and time major: `xs (T, n_x, mp)` and
 * `g (T, 4·n_a, mp)` = `[zt; rt; hh; hct]` per step in time order, and `h (T+1, n_a, mp)` in the
 * order the steps were walked, slot 0 `a0`.
 */
export type GruTapeName = 'xs' | 'h' | 'g';

/** The GRU forward's record on the CPU backend. */
export class GruTape extends CpuTape<GruTapeName> {
  constructor(ctx: CpuContext, arrays: ResidentArrays<GruTapeName>, dims: SequenceDims) {
    super(ctx, arrays, dims);
  }

  /** The hidden states of every step, `(n_a, m, T)`, computed from the tape when first read. */
  outputs(ctx: CpuContext): Tensor {
    return this.states(ctx, 'h', this.dims.nA);
  }

  /** Time step `t`'s tensors, each computed from the tape when first read. */
  step(ctx: CpuContext, t: number): GruStepTensors {
    const { nX, nA, mp } = this.dims;
    const [zt, rt, hh, hct] = this.gates(ctx, 'g', t);
    return { xt: this.view(ctx, 'xs', t * nX * mp, nX), aNext: this.stateAfter(ctx, 'h', t, nA), zt, rt, hh, hct };
  }
}

/** Host values of a GRU's parameters, the ones the recurrence uses. */
export interface GruWeightValues {
  readonly Wz: DataArray;
  readonly Wr: DataArray;
  readonly Whx: DataArray;
  readonly Whh: DataArray;
}

/**
 * The GRU's weights as one `(4·n_a, n_a + n_x)` matrix whose row blocks line up with the engine's
 * gate blocks `[z; r; hh; hpre]`: `[Wz; Wr; [Whh | 0]; [0 | Whx]]`. Its first `n_a` columns of the
 * first three blocks are the recurrent weights, its last `n_x` columns the input weights.
 */
function stackedWeights(ws: Workspace, v: GruWeightValues, nA: number, nX: number): number {
  const K = nA + nX;
  const W = ws.zeros(4 * nA * K);
  const heap = ws.ops.heap();
  heap.set(v.Wz, W);
  heap.set(v.Wr, W + nA * K);
  for (let r = 0; r < nA; r++) {
    heap.set(v.Whh.subarray(r * nA, (r + 1) * nA), W + (2 * nA + r) * K);
    heap.set(v.Whx.subarray(r * nX, (r + 1) * nX), W + (3 * nA + r) * K + nA);
  }
  return W;
}

/** Host values of a GRU sequence forward. */
export interface GruForwardValues extends GruWeightValues {
  readonly x: DataArray;
  readonly a0: DataArray;
  /** Biases `[bz, br, bhh, bhx]`, in the order of the gate blocks. */
  readonly b: readonly DataArray[];
  /** Forward-only options: ONNX's `clip`, and the reset gate before the recurrent product. */
  readonly variant?: { readonly clip?: number | undefined; readonly resetAfter: boolean } | undefined;
}

/**
 * A GRU over a sequence (reset gate after the recurrent product), as a pure function of values and
 * sizes: the input part of every gate block for every step in one product, then, walking the
 * steps, one engine call each: `[z; r; hh] += [Wz_a; Wr_a; Whh]·a⟨prev⟩` and the fused update.
 */
export function gruSequenceForwardImpl(ws: Workspace, pool: ResidentPool, v: GruForwardValues, d: SequenceDims): { tape: ResidentArrays<GruTapeName> } {
  const { nX, nA, m, T, mp } = d;
  const K = nA + nX;
  const G4 = 4 * nA;
  const n = nA * mp;
  const e = ws.ops;
  const W = stackedWeights(ws, v, nA, nX);
  const Wa = ws.alloc(e.packedLength(3 * nA, nA));
  e.packA(W, K, 1, 0, nA, 1, 3 * nA, Wa);
  const Wx = ws.alloc(e.packedLength(G4, nX));
  e.packA(W + nA, K, 1, 0, nX, 1, G4, Wx);
  const xs = ws.alloc(T * nX * mp);
  e.toTimeMajor(ws.write(v.x), nX, m, T, xs, mp);
  const h = ws.alloc((T + 1) * n);
  e.toTimeMajor(ws.write(v.a0), nA, m, 1, h, mp);
  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);

  const g = ws.alloc(T * G4 * mp);
  e.fillRows(g, ws.writeAll(v.b), G4, mp, G4 * mp, T);
  e.gemm(Wx, G4, nX, xs, mp, nX * mp, g, mp, G4 * mp, mp, T, true);
  const variant = v.variant;
  const rh = variant === undefined ? 0 : ws.alloc(n);
  const Whh = variant === undefined || variant.resetAfter ? 0 : ws.alloc(e.packedLength(nA, nA));
  if (Whh !== 0) e.packA(W + 2 * nA * K, K, 1, 0, nA, 1, nA, Whh);
  for (let s = 0; s < T; s++) {
    const t = timeOf(d, s);
    const mask = masks === 0 ? 0 : masks + t * mp;
    if (variant === undefined) e.gruStep(Wa, h + s * n, g + t * G4 * mp, h + (s + 1) * n, mask, nA, mp, 0, nA);
    else e.gruStepVariant(Wa, Whh, h + s * n, g + t * G4 * mp, h + (s + 1) * n, rh, mask, nA, mp, variant.clip ?? Number.POSITIVE_INFINITY, variant.resetAfter);
  }
  return { tape: new ResidentArrays<GruTapeName>(ws, pool, { xs: { ptr: xs, length: T * nX * mp }, h: { ptr: h, length: (T + 1) * n }, g: { ptr: g, length: T * G4 * mp } }) };
}

/** Host values of a GRU sequence backward; `daT` seeds the carry, `acc` is added to the weight gradients. */
export interface GruBackwardValues extends GruWeightValues {
  readonly da: DataArray;
  readonly tape: ArraySource<GruTapeName>;
  readonly daT?: DataArray | undefined;
  readonly acc?: GruGradientValues | undefined;
}

/** The GRU's weight gradients as host values. */
export interface GruGradientValues {
  readonly dWz: DataArray;
  readonly dbz: DataArray;
  readonly dWr: DataArray;
  readonly dbr: DataArray;
  readonly dWhx: DataArray;
  readonly dbhx: DataArray;
  readonly dWhh: DataArray;
  readonly dbhh: DataArray;
}

/** `acc` laid out like the stacked weights' gradient: rows `[dWz; dWr; [dWhh | 0]; [0 | dWhx]]`. */
function stackedGradient(acc: GruGradientValues, nA: number, nX: number): DataArray {
  const K = nA + nX;
  const out = new (acc.dWz instanceof Float32Array ? Float32Array : Float64Array)(4 * nA * K);
  out.set(acc.dWz, 0);
  out.set(acc.dWr, nA * K);
  for (let r = 0; r < nA; r++) {
    out.set(acc.dWhh.subarray(r * nA, (r + 1) * nA), (2 * nA + r) * K);
    out.set(acc.dWhx.subarray(r * nX, (r + 1) * nX), (3 * nA + r) * K + nA);
  }
  return out;
}

/**
 * Backpropagation through time over a GRU tape: walking the steps back, one engine call per step
 * (`daCarry += [Wz_a; Wr_a; Whh]ᵀ·[dz; dr; dhh]` of the step after, then the fused pass giving
 * `dG = [dz; dr; dhh; dhpre]` and the direct part `da ⊙ zt` of the next carry); then over all steps
 * at once `dx = [Wz_x; Wr_x; 0; Whx]ᵀ·dG`, the weight gradients as one product `dG·[aPrev; x]ᵀ`
 * and the bias gradients `Σ dG`.
 */
export function gruSequenceBackwardImpl(ws: Workspace, v: GruBackwardValues, d: SequenceDims): { dx: DataArray; da0: DataArray } & GruGradientValues {
  const { nX, nA, m, T, mp } = d;
  const K = nA + nX;
  const G4 = 4 * nA;
  const n = nA * mp;
  const dtype = ws.dtype;
  const e = ws.ops;
  const W = stackedWeights(ws, v, nA, nX);
  const WaT = ws.alloc(e.packedLength(nA, 3 * nA));
  e.packA(W, 1, K, 0, 3 * nA, 1, nA, WaT);
  const WxT = ws.alloc(e.packedLength(nX, G4));
  e.packA(W + nA, 1, K, 0, G4, 1, nX, WxT);
  const xs = v.tape.place(ws, 'xs');
  const h = v.tape.place(ws, 'h');
  const g = v.tape.place(ws, 'g');
  const dA = ws.alloc(T * n);
  e.toTimeMajor(ws.write(v.da), nA, m, T, dA, mp);
  const daCarry = ws.zeros(n);
  if (v.daT !== undefined) e.toTimeMajor(ws.write(v.daT), nA, m, 1, daCarry, mp);
  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);

  const dG = ws.alloc(T * G4 * mp);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeOf(d, s);
    const next = s < T - 1 ? dG + timeOf(d, s + 1) * G4 * mp : 0;
    e.gruBackStep(WaT, next, daCarry, dA + t * n, h + s * n, g + t * G4 * mp, dG + t * G4 * mp, masks === 0 ? 0 : masks + t * mp, nA, mp, 0, nA, s < T - 1);
  }
  e.gemm(WaT, nA, 3 * nA, dG + timeOf(d, 0) * G4 * mp, mp, 0, daCarry, mp, 0, mp, 1, true);
  const dX = ws.alloc(T * nX * mp);
  e.gemm(WxT, nX, G4, dG, mp, G4 * mp, dX, mp, nX * mp, mp, T, false);
  const { dW, Kp } = concatWeightGradient(ws, dG, G4, h, xs, d, v.acc === undefined ? undefined : [stackedGradient(v.acc, nA, nX)]);
  const db = v.acc === undefined ? ws.alloc(G4) : ws.writeAll([v.acc.dbz, v.acc.dbr, v.acc.dbhh, v.acc.dbhx]);
  e.sumRows(dG, G4, mp, G4 * mp, T, db, v.acc !== undefined);
  const dx = ws.alloc(nX * m * T);
  e.fromTimeMajor(dX, nX, m, T, dx, mp);

  const heap = e.heap();
  /** Rows `[block·n_a, (block+1)·n_a)` and columns `[c0, c0 + cols)` of the stacked gradient. */
  const part = (block: number, c0: number, cols: number): DataArray => {
    const out = new (dtype === 'float32' ? Float32Array : Float64Array)(nA * cols);
    for (let r = 0; r < nA; r++) out.set(heap.subarray(dW + (block * nA + r) * Kp + c0, dW + (block * nA + r) * Kp + c0 + cols), r * cols);
    return out;
  };
  const bias = (block: number): DataArray => ws.read(db + block * nA, nA);
  return {
    dx: ws.read(dx, nX * m * T),
    da0: unpadBlock(heap, daCarry, nA, m, mp, dtype),
    dWz: part(0, 0, K), dbz: bias(0),
    dWr: part(1, 0, K), dbr: bias(1),
    dWhh: part(2, 0, nA), dbhh: bias(2),
    dWhx: part(3, nA, nX), dbhx: bias(3),
  };
}

/** `gruSequenceForward` on the CPU backend. */
export function gruSequenceForward(ctx: CpuContext, args: GruSequenceForwardArgs): GruSequenceForwardResult {
  const forwardOnly = forwardOnlyOptions(args);
  const d = sequenceDims('gruSequenceForward', args.x.shape, args.a0.shape[0] ?? 0, args, forwardOnly);
  const values = {
    x: ctx.read(args.x), a0: ctx.read(args.a0),
    Wz: ctx.read(args.Wz), Wr: ctx.read(args.Wr), Whx: ctx.read(args.Whx), Whh: ctx.read(args.Whh),
    b: [args.bz, args.br, args.bhh, args.bhx].map((b) => ctx.read(b)),
    variant: forwardOnly.length === 0 ? undefined : { clip: args.clip, resetAfter: args.linearBeforeReset !== false },
  };
  const out = Workspace.run(ctx.engine, args.x.dtype, (ws) => gruSequenceForwardImpl(ws, ctx.pool, values, d));
  const tape = new GruTape(ctx, out.tape, d);
  const steps = Array.from({ length: d.T }, (_, t) => tape.step(ctx, t));
  return { a: tape.outputs(ctx), steps, tape };
}

/** `gruSequenceBackward` on the CPU backend, over a tape from this backend's `gruSequenceForward`. */
export function gruSequenceBackward(ctx: CpuContext, args: GruSequenceBackwardArgs): GruSequenceBackwardResult {
  const tape = CpuTape.usable(GruTape, 'GRU', 'gruSequenceBackward', args.tape, ctx.backend);
  const d = tape.dims;
  const values = { da: ctx.read(args.da), tape: tape.arrays, Wz: ctx.read(args.Wz), Wr: ctx.read(args.Wr), Whx: ctx.read(args.Whx), Whh: ctx.read(args.Whh) };
  const out = Workspace.run(ctx.engine, args.da.dtype, (ws) => gruSequenceBackwardImpl(ws, values, d));
  return gruGradientTensors(ctx, out, d, [d.nX, d.m, d.T]);
}

/** The impl's results as tensors: `dx` of `dxShape`, the rest of their parameters' shapes. */
export function gruGradientTensors(ctx: CpuContext, out: { dx: DataArray; da0: DataArray } & GruGradientValues, d: SequenceDims, dxShape: readonly number[]): GruSequenceBackwardResult {
  const { nX, nA, m } = d;
  const K = nA + nX;
  return {
    dx: ctx.tensor(out.dx, dxShape),
    da0: ctx.tensor(out.da0, [nA, m]),
    dWz: ctx.tensor(out.dWz, [nA, K]), dbz: ctx.tensor(out.dbz, [nA, 1]),
    dWr: ctx.tensor(out.dWr, [nA, K]), dbr: ctx.tensor(out.dbr, [nA, 1]),
    dWhx: ctx.tensor(out.dWhx, [nA, nX]), dbhx: ctx.tensor(out.dbhx, [nA, 1]),
    dWhh: ctx.tensor(out.dWhh, [nA, nA]), dbhh: ctx.tensor(out.dbhh, [nA, 1]),
  };
}
