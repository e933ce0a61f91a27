import type { DataArray, OutputBackwardArgs, OutputBackwardResult, SoftmaxOutputArgs, Tensor } from '@rnn/tensor';
import type { CpuContext } from '../cpu-context.js';
import { padBatch } from '../engine/engine.js';
import { Workspace } from '../engine/workspace.js';
import { unpadBlock } from './padded.js';

/** Sizes of the output layer: `n_y` classes, `n_a` hidden units, batch `m`, `T` steps. */
export interface OutputDims {
  readonly nY: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
}

/** A sequence input `(n, m, T)` of a kernel: values in the public layout, or a place in the heap holding it padded and time major. */
export type SequenceInput = { readonly timeLast: DataArray } | { readonly timeMajor: (ws: Workspace) => number };

/** The heap position of `input` as `(T, n, mp)`: in place when it is there already, else transposed in. */
export function placeTimeMajor(ws: Workspace, input: SequenceInput, n: number, m: number, T: number, mp: number): number {
  if ('timeMajor' in input) return input.timeMajor(ws);
  const p = ws.alloc(T * n * mp);
  ws.ops.toTimeMajor(ws.write(input.timeLast), n, m, T, p, mp);
  return p;
}

/**
 * `ŷ⟨t⟩ = softmax(W·a⟨t⟩ + b)` for every step as one product: `a (n_a, m, T)`, `W (n_y, n_a)`,
 * `b (n_y)` → `(n_y, m, T)`; with `softmax` false the logits `W·a⟨t⟩ + b` themselves.
 */
export function softmaxOutputImpl(ws: Workspace, v: { a: SequenceInput; W: DataArray; b: DataArray }, d: OutputDims, softmax = true): DataArray {
  const { nY, nA, m, T } = d;
  const mp = padBatch(m);
  const e = ws.ops;
  const Wp = ws.alloc(e.packedLength(nY, nA));
  e.packA(ws.write(v.W), nA, 1, 0, nA, 1, nY, Wp);
  const A = placeTimeMajor(ws, v.a, nA, m, T, mp);
  const z = ws.alloc(T * nY * mp);
  e.fillRows(z, ws.write(v.b), nY, mp, nY * mp, T);
  e.gemm(Wp, nY, nA, A, mp, nA * mp, z, mp, nY * mp, mp, T, true);
  if (softmax) e.softmaxColumns(z, nY, mp, nY * mp, T);
  const y = ws.alloc(nY * m * T);
  e.fromTimeMajor(z, nY, m, T, y, mp);
  return ws.read(y, nY * m * T);
}

/** The output layer's backward over every step: `da = Wᵀ·dz`, `dW = dz·aᵀ` over all `T·m` columns, `db = Σ dz`. */
export function outputBackwardImpl(ws: Workspace, v: { dz: DataArray; a: SequenceInput; W: DataArray }, d: OutputDims): { da: DataArray; dW: DataArray; db: DataArray } {
  const { nY, nA, m, T } = d;
  const mp = padBatch(m);
  const nAp = padBatch(nA);
  const e = ws.ops;
  const WT = ws.alloc(e.packedLength(nA, nY));
  e.packA(ws.write(v.W), 1, nA, 0, nY, 1, nA, WT);
  const dz = ws.alloc(T * nY * mp);
  e.toTimeMajor(ws.write(v.dz), nY, m, T, dz, mp);
  const A = placeTimeMajor(ws, v.a, nA, m, T, mp);

  const dA = ws.alloc(T * nA * mp);
  e.gemm(WT, nA, nY, dz, mp, nY * mp, dA, mp, nA * mp, mp, T, false);
  const aT = ws.zeros(T * mp * nAp);
  e.transposeBlocks(A, nA, mp, mp, nA * mp, aT, nAp, mp * nAp, T);
  const dzp = ws.alloc(e.packedLength(nY, T * mp));
  e.packA(dz, mp, 1, nY * mp, mp, T, nY, dzp);
  const dW = ws.alloc(nY * nAp);
  e.gemm(dzp, nY, T * mp, aT, nAp, 0, dW, nAp, 0, nAp, 1, false);
  const db = ws.alloc(nY);
  e.sumRows(dz, nY, mp, nY * mp, T, db, false);
  const da = ws.alloc(nA * m * T);
  e.fromTimeMajor(dA, nA, m, T, da, mp);
  return { da: ws.read(da, nA * m * T), dW: unpadBlock(e.heap(), dW, nY, nA, nAp, ws.dtype), db: ws.read(db, nY) };
}

function outputDims(a: Tensor, W: Tensor): OutputDims {
  const [nA = 0, m = 0, T = 1] = a.shape;
  return { nY: W.shape[0] ?? 0, nA, m, T };
}

/** `a` as a kernel input: from the tape that holds it time major (a sequence forward's states), else its values. */
function sequenceInput(ctx: CpuContext, a: Tensor): SequenceInput {
  const source = a.backend === ctx.backend && !a.isDisposed ? ctx.timeMajor.get(a) : undefined;
  if (source === undefined || !source.arrays.isAvailable) return { timeLast: ctx.read(a) };
  return { timeMajor: (ws) => source.arrays.place(ws, source.name) + source.offset };
}

/** `softmaxOutput` (or, with `softmax` false, `linearOutput`) on the CPU backend. */
export function softmaxOutput(ctx: CpuContext, args: SoftmaxOutputArgs, softmax = true): Tensor {
  const d = outputDims(args.a, args.W);
  const values = { a: sequenceInput(ctx, args.a), W: ctx.read(args.W), b: ctx.read(args.b) };
  const y = Workspace.run(ctx.engine, args.a.dtype, (ws) => softmaxOutputImpl(ws, values, d, softmax));
  return ctx.tensor(y, args.a.shape.length === 2 ? [d.nY, d.m] : [d.nY, d.m, d.T]);
}

/** `outputBackward` on the CPU backend. */
export function outputBackward(ctx: CpuContext, args: OutputBackwardArgs): OutputBackwardResult {
  const d = outputDims(args.a, args.W);
  const values = { dz: ctx.read(args.dz), a: sequenceInput(ctx, args.a), W: ctx.read(args.W) };
  const out = Workspace.run(ctx.engine, args.a.dtype, (ws) => outputBackwardImpl(ws, values, d));
  return { da: ctx.tensor(out.da, args.a.shape), dW: ctx.tensor(out.dW, [d.nY, d.nA]), db: ctx.tensor(out.db, [d.nY, 1]) };
}
