import {
  forwardOnlyOptions,
  type DataArray,
  type LstmSequenceBackwardArgs,
  type LstmSequenceBackwardResult,
  type LstmSequenceForwardArgs,
  type LstmSequenceForwardResult,
  type LstmStepTensors,
  type Tensor,
} from '@rnn/tensor';
import { CpuTape, type CpuContext } from '../cpu-context.js';
import { ResidentArrays, type ArraySource, type ResidentPool } from '../engine/resident.js';
import { Workspace } from '../engine/workspace.js';
import { sequenceDims, timeOf, unpadBlock, type SequenceDims } from './padded.js';
import { concatWeightGradient } from './weight-gradient.js';

/**
 * The arrays an LSTM sequence forward keeps, padded and time major: `xs (T, n_x, mp)` and the gate
 * activations `g (T, 4·n_a, mp)` (`[ft; it; cct; ot]`) in time order, and the hidden and cell
 * states `h`, `c` `(T+1, n_a, mp)` in the order the steps were walked, slot 0 the initial state.
 */
export type LstmTapeName = 'xs' | 'h' | 'c' | 'g';

/** The LSTM forward's record on the CPU backend. */
export class LstmTape extends CpuTape<LstmTapeName> {
  constructor(ctx: CpuContext, arrays: ResidentArrays<LstmTapeName>, dims: SequenceDims) {
    super(ctx, arrays, dims);
  }

  /** The hidden and cell states of every step, `(n_a, m, T)`, each computed from the tape when first read. */
  outputs(ctx: CpuContext): { a: Tensor; c: Tensor } {
    return { a: this.states(ctx, 'h', this.dims.nA), c: this.states(ctx, 'c', this.dims.nA) };
  }

  /** Time step `t`'s tensors, each computed from the tape when first read. */
  step(ctx: CpuContext, t: number): LstmStepTensors {
    const { nX, nA, mp } = this.dims;
    const [ft, it, cct, ot] = this.gates(ctx, 'g', t);
    return { xt: this.view(ctx, 'xs', t * nX * mp, nX), aNext: this.stateAfter(ctx, 'h', t, nA), cNext: this.stateAfter(ctx, 'c', t, nA), ft, it, cct, ot };
  }
}

/** Host values of an LSTM sequence forward: `x (n_x, m, T)`, `a0`, `c0 (n_a, m)`, the gate weights `[Wf, Wi, Wc, Wo]` and biases. */
export interface LstmForwardValues {
  readonly x: DataArray;
  readonly a0: DataArray;
  readonly c0: DataArray;
  readonly W: readonly DataArray[];
  readonly b: readonly DataArray[];
  /** Forward-only options: clip, peepholes `[Pi, Po, Pf]`, `ft = 1 − it`. */
  readonly variant?: { readonly clip?: number | undefined; readonly peepholes?: readonly DataArray[] | undefined; readonly coupled: boolean } | undefined;
}

/**
 * An LSTM over a sequence, as a pure function of values and sizes:
 * `G⟨t⟩ = [Wf; Wi; Wc; Wo]_x·x⟨t⟩ + b` for every step in one product, then, walking the steps,
 * `G⟨t⟩ += W_a·a⟨prev⟩` and the fused gates/state pass (one engine call per step). Everything it
 * computed stays in the tape.
 */
export function lstmSequenceForwardImpl(ws: Workspace, pool: ResidentPool, v: LstmForwardValues, d: SequenceDims): { tape: ResidentArrays<LstmTapeName> } {
  const { nX, nA, m, T, mp } = d;
  const K = nA + nX;
  const G4 = 4 * nA;
  const n = nA * mp;
  const e = ws.ops;
  const W = ws.writeAll(v.W); // (4·n_a, K): the gates' rows one after another
  const b = ws.writeAll(v.b);
  const xs = ws.alloc(T * nX * mp);
  e.toTimeMajor(ws.write(v.x), nX, m, T, xs, mp);
  const h = ws.alloc((T + 1) * n);
  const c = ws.alloc((T + 1) * n);
  e.toTimeMajor(ws.write(v.a0), nA, m, 1, h, mp);
  e.toTimeMajor(ws.write(v.c0), nA, m, 1, c, mp);
  const Wa = ws.alloc(e.packedLength(G4, nA));
  e.packA(W, K, 1, 0, nA, 1, G4, Wa);
  const Wx = ws.alloc(e.packedLength(G4, nX));
  e.packA(W + nA, K, 1, 0, nX, 1, G4, Wx);
  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);

  // G (T, 4·n_a, mp) = b + W_x·x⟨t⟩ for every step at once.
  const g = ws.alloc(T * G4 * mp);
  e.fillRows(g, b, G4, mp, G4 * mp, T);
  e.gemm(Wx, G4, nX, xs, mp, nX * mp, g, mp, G4 * mp, mp, T, true);
  const variant = v.variant;
  const peep = variant?.peepholes === undefined ? 0 : ws.writeAll(variant.peepholes);
  for (let s = 0; s < T; s++) {
    const t = timeOf(d, s);
    const [hPrev, gt, cPrev, cNext, hNext, mask] = [h + s * n, g + t * G4 * mp, c + s * n, c + (s + 1) * n, h + (s + 1) * n, masks === 0 ? 0 : masks + t * mp];
    if (variant === undefined) e.lstmStep(Wa, nA, hPrev, gt, cPrev, cNext, hNext, mask, nA, mp, 0, nA);
    else e.lstmStepVariant(Wa, nA, hPrev, gt, cPrev, cNext, hNext, mask, nA, mp, peep, variant.clip ?? Number.POSITIVE_INFINITY, variant.coupled);
  }
  const tape = new ResidentArrays<LstmTapeName>(ws, pool, {
    xs: { ptr: xs, length: T * nX * mp }, h: { ptr: h, length: (T + 1) * n }, c: { ptr: c, length: (T + 1) * n }, g: { ptr: g, length: T * G4 * mp },
  });
  return { tape };
}

/** Host values of an LSTM sequence backward; `daT`/`dcT` seed the carries (zero when absent), `accW`/`accB` are added to the weight gradients. */
export interface LstmBackwardValues {
  readonly da: DataArray;
  readonly tape: ArraySource<LstmTapeName>;
  readonly W: readonly DataArray[];
  readonly daT?: DataArray | undefined;
  readonly dcT?: DataArray | undefined;
  readonly accW?: readonly DataArray[] | undefined;
  readonly accB?: readonly DataArray[] | undefined;
}

/** What `lstmSequenceBackwardImpl` returns: `dx (n_x, m, T)`, `da0`, `dc0 (n_a, m)`, and per gate `dW (n_a, K)`, `db (n_a)`. */
export interface LstmBackwardOutput {
  readonly dx: DataArray;
  readonly da0: DataArray;
  readonly dc0: DataArray;
  readonly dW: Gates<DataArray>;
  readonly db: Gates<DataArray>;
}

/** One value per gate, in the order f, i, c, o. */
export type Gates<V> = readonly [V, V, V, V];

/** `[f(0), f(1), f(2), f(3)]`: one value per gate. */
export function perGate<V>(f: (gate: number) => V): Gates<V> {
  return [f(0), f(1), f(2), f(3)];
}

/**
 * Backpropagation through time over an LSTM tape, as a pure function of values and sizes: walking
 * the steps back, one engine call per step (`daCarry += W_aᵀ·dG` of the step after, then the fused
 * gate-gradient pass); then, over all steps at once, `dx = W_xᵀ·dG`,
 * `dW = dG·[aPrev; x]ᵀ` (one product over `T·m` columns) and `db = Σ dG`.
 */
export function lstmSequenceBackwardImpl(ws: Workspace, v: LstmBackwardValues, d: SequenceDims): LstmBackwardOutput {
  const { nX, nA, m, T, mp } = d;
  const K = nA + nX;
  const G4 = 4 * nA;
  const n = nA * mp;
  const dtype = ws.dtype;
  const e = ws.ops;
  const W = ws.writeAll(v.W);
  const xs = v.tape.place(ws, 'xs');
  const h = v.tape.place(ws, 'h');
  const c = v.tape.place(ws, 'c');
  const g = v.tape.place(ws, 'g');
  const dA = ws.alloc(T * n);
  e.toTimeMajor(ws.write(v.da), nA, m, T, dA, mp);
  const daCarry = ws.zeros(n);
  const dcCarry = ws.zeros(n);
  if (v.daT !== undefined) e.toTimeMajor(ws.write(v.daT), nA, m, 1, daCarry, mp);
  if (v.dcT !== undefined) e.toTimeMajor(ws.write(v.dcT), nA, m, 1, dcCarry, mp);
  const WaT = ws.alloc(e.packedLength(nA, G4));
  e.packA(W, 1, K, 0, G4, 1, nA, WaT);
  const WxT = ws.alloc(e.packedLength(nX, G4));
  e.packA(W + nA, 1, K, 0, G4, 1, nX, WxT);
  const masks = d.lengths === undefined ? 0 : ws.stepMasks(d.lengths, m, mp, T);

  const dG = ws.alloc(T * G4 * mp);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeOf(d, s);
    const next = s < T - 1 ? dG + timeOf(d, s + 1) * G4 * mp : 0;
    e.lstmBackStep(WaT, next, daCarry, dA + t * n, dcCarry, c + (s + 1) * n, c + s * n, g + t * G4 * mp, dG + t * G4 * mp, masks === 0 ? 0 : masks + t * mp, nA, mp, 0, nA, s < T - 1);
  }
  e.gemm(WaT, nA, G4, dG + timeOf(d, 0) * G4 * mp, mp, 0, daCarry, mp, 0, mp, 1, true);
  const dX = ws.alloc(T * nX * mp);
  e.gemm(WxT, nX, G4, dG, mp, G4 * mp, dX, mp, nX * mp, mp, T, false);

  const { dW, Kp } = concatWeightGradient(ws, dG, G4, h, xs, d, v.accW);
  const db = v.accB === undefined ? ws.alloc(G4) : ws.writeAll(v.accB);
  e.sumRows(dG, G4, mp, G4 * mp, T, db, v.accB !== undefined);

  const dx = ws.alloc(nX * m * T);
  e.fromTimeMajor(dX, nX, m, T, dx, mp);
  const heap = e.heap();
  const gateRows = (gate: number): DataArray => unpadBlock(heap, dW + gate * nA * Kp, nA, K, Kp, dtype);
  return {
    dx: ws.read(dx, nX * m * T),
    da0: unpadBlock(heap, daCarry, nA, m, mp, dtype),
    dc0: unpadBlock(heap, dcCarry, nA, m, mp, dtype),
    dW: perGate(gateRows),
    db: perGate((gate) => ws.read(db + gate * nA, nA)),
  };
}

/** `lstmSequenceForward` on the CPU backend: reads the inputs, runs the impl, wraps lazily computed outputs and step tensors. */
export function lstmSequenceForward(ctx: CpuContext, args: LstmSequenceForwardArgs): LstmSequenceForwardResult {
  const forwardOnly = forwardOnlyOptions(args);
  const d = sequenceDims('lstmSequenceForward', args.x.shape, args.a0.shape[0] ?? 0, args, forwardOnly);
  const p = args.peepholes;
  const values = {
    x: ctx.read(args.x), a0: ctx.read(args.a0), c0: ctx.read(args.c0),
    W: [args.Wf, args.Wi, args.Wc, args.Wo].map((w) => ctx.read(w)),
    b: [args.bf, args.bi, args.bc, args.bo].map((b) => ctx.read(b)),
    variant: forwardOnly.length === 0 ? undefined : {
      clip: args.clip, peepholes: p === undefined ? undefined : [p.Pi, p.Po, p.Pf].map((t) => ctx.read(t)), coupled: args.inputForget === true,
    },
  };
  const out = Workspace.run(ctx.engine, args.x.dtype, (ws) => lstmSequenceForwardImpl(ws, ctx.pool, values, d));
  const tape = new LstmTape(ctx, out.tape, d);
  const steps = Array.from({ length: d.T }, (_, t) => tape.step(ctx, t));
  return { ...tape.outputs(ctx), steps, tape };
}

/** `lstmSequenceBackward` on the CPU backend, over a tape from this backend's `lstmSequenceForward`. */
export function lstmSequenceBackward(ctx: CpuContext, args: LstmSequenceBackwardArgs): LstmSequenceBackwardResult {
  const tape = CpuTape.usable(LstmTape, 'LSTM', 'lstmSequenceBackward', args.tape, ctx.backend);
  const d = tape.dims;
  const values = { da: ctx.read(args.da), tape: tape.arrays, W: [args.Wf, args.Wi, args.Wc, args.Wo].map((w) => ctx.read(w)) };
  const out = Workspace.run(ctx.engine, args.da.dtype, (ws) => lstmSequenceBackwardImpl(ws, values, d));
  const { nX, nA, m, T } = d;
  const K = nA + nX;
  const [dWf, dWi, dWc, dWo] = perGate((gate) => ctx.tensor(out.dW[gate] as DataArray, [nA, K]));
  const [dbf, dbi, dbc, dbo] = perGate((gate) => ctx.tensor(out.db[gate] as DataArray, [nA, 1]));
  return {
    dx: ctx.tensor(out.dx, [nX, m, T]),
    da0: ctx.tensor(out.da0, [nA, m]),
    dc0: ctx.tensor(out.dc0, [nA, m]),
    dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo,
  };
}
