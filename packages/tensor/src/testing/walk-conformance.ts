import { expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import { RandomState } from '../random-state.js';
import type { SequenceOptions, SequenceTape } from '../sequence-kernels.js';
import { Tensor } from '../tensor.js';
import { compareClose, type Tolerance } from './all-close.js';
import { mat, type Mat } from './reference.js';
import { joinTimeSteps, refWalk, timeSteps, type RefCell } from './reference-sequence.js';

/** What a cell's sequence kernels return, reduced to what the walk tests compare. */
interface Ran {
  readonly a: Tensor;
  readonly c?: Tensor | undefined;
  readonly grads: Readonly<Record<string, Tensor>>;
  readonly tape: SequenceTape;
}

interface Drawn {
  readonly t: Tensor;
  readonly m: Mat;
}

/** One cell for the walk tests: its weights drawn as tensors and as reference matrices, and its kernels run forward then backward. */
interface WalkCell {
  readonly kind: RefCell['kind'];
  run(b: Backend, rng: RandomState, dtype: DType, dims: Dims, x: Tensor, a0: Tensor, c0: Tensor, da: Tensor, walk: SequenceOptions): { ran: Ran; ref: RefCell };
}

interface Dims {
  readonly nX: number;
  readonly nA: number;
}

function draw(rng: RandomState, dtype: DType, rows: number, cols: number, scale = 1): Drawn {
  const values = rng.randnAs([rows, cols], dtype).dataSync().map((v) => v * scale);
  return { t: Tensor.fromHost(values, [rows, cols], dtype), m: mat(rows, cols, values) };
}

const CELLS: readonly WalkCell[] = [
  {
    kind: 'rnn',
    run(b, rng, dtype, { nX, nA }, x, a0, _c0, da, walk) {
      const [Waa, Wax, ba] = [draw(rng, dtype, nA, nA, 0.5), draw(rng, dtype, nA, nX, 0.5), draw(rng, dtype, nA, 1)];
      const out = b.kernels.rnnSequenceForward({ x, a0, Waa: Waa.t, Wax: Wax.t, ba: ba.t, ...walk });
      const { dx, da0, ...weights } = b.kernels.rnnSequenceBackward({ da, tape: out.tape, Waa: Waa.t, Wax: Wax.t });
      return { ran: { a: out.a, grads: { dx, da0, ...weights }, tape: out.tape }, ref: { kind: 'rnn', weights: { Waa: Waa.m, Wax: Wax.m, ba: ba.m } } };
    },
  },
  {
    kind: 'lstm',
    run(b, rng, dtype, { nX, nA }, x, a0, c0, da, walk) {
      const w = (): Drawn => draw(rng, dtype, nA, nA + nX, 0.5);
      const bias = (): Drawn => draw(rng, dtype, nA, 1);
      const [Wf, bf, Wi, bi, Wc, bc, Wo, bo] = [w(), bias(), w(), bias(), w(), bias(), w(), bias()];
      const out = b.kernels.lstmSequenceForward({ x, a0, c0, Wf: Wf.t, bf: bf.t, Wi: Wi.t, bi: bi.t, Wc: Wc.t, bc: bc.t, Wo: Wo.t, bo: bo.t, ...walk });
      const { dx, da0, dc0, ...weights } = b.kernels.lstmSequenceBackward({ da, tape: out.tape, Wf: Wf.t, Wi: Wi.t, Wc: Wc.t, Wo: Wo.t });
      const ref: RefCell = { kind: 'lstm', weights: { Wf: Wf.m, bf: bf.m, Wi: Wi.m, bi: bi.m, Wc: Wc.m, bc: bc.m, Wo: Wo.m, bo: bo.m } };
      return { ran: { a: out.a, c: out.c, grads: { dx, da0, dc0, ...weights }, tape: out.tape }, ref };
    },
  },
  {
    kind: 'gru',
    run(b, rng, dtype, { nX, nA }, x, a0, _c0, da, walk) {
      const w = (): Drawn => draw(rng, dtype, nA, nA + nX, 0.5);
      const bias = (): Drawn => draw(rng, dtype, nA, 1);
      const [Wz, bz, Wr, br] = [w(), bias(), w(), bias()];
      const [Whx, bhx, Whh, bhh] = [draw(rng, dtype, nA, nX, 0.5), bias(), draw(rng, dtype, nA, nA, 0.5), bias()];
      const out = b.kernels.gruSequenceForward({ x, a0, Wz: Wz.t, bz: bz.t, Wr: Wr.t, br: br.t, Whx: Whx.t, bhx: bhx.t, Whh: Whh.t, bhh: bhh.t, ...walk });
      const { dx, da0, ...weights } = b.kernels.gruSequenceBackward({ da, tape: out.tape, Wz: Wz.t, Wr: Wr.t, Whx: Whx.t, Whh: Whh.t });
      const ref: RefCell = { kind: 'gru', weights: { Wz: Wz.m, bz: bz.m, Wr: Wr.m, br: br.m, Whx: Whx.m, bhx: bhx.m, Whh: Whh.m, bhh: bhh.m } };
      return { ran: { a: out.a, grads: { dx, da0, ...weights }, tape: out.tape }, ref };
    },
  },
];

/** `[n_x, n_a, m, T]` and the walks tried on them: forward, reverse, per-example lengths (0, T and between), both. */
const WALKS: readonly { readonly dims: readonly [number, number, number, number]; readonly walk: SequenceOptions; readonly label: string }[] = [
  { dims: [3, 5, 4, 4], walk: {}, label: 'forward' },
  { dims: [3, 5, 4, 4], walk: { reverse: true }, label: 'reverse' },
  { dims: [4, 6, 5, 6], walk: { lengths: [6, 3, 0, 1, 5] }, label: 'lengths 6, 3, 0, 1, 5' },
  { dims: [4, 6, 5, 6], walk: { reverse: true, lengths: [2, 6, 4, 0, 6] }, label: 'reverse, lengths 2, 6, 4, 0, 6' },
  { dims: [17, 8, 9, 5], walk: { reverse: true, lengths: [5, 4, 3, 2, 1, 0, 5, 5, 3] }, label: 'reverse, 9 examples' },
];

function overSteps(tol: Tolerance, T: number): Tolerance {
  const f = Math.max(1, Math.sqrt(T));
  return { rtol: tol.rtol * f, atol: tol.atol * f };
}

/**
 * Every cell's sequence kernels with every walk — forward, reverse, per-example lengths — against
 * the reference computed example by example (`refWalk`): states, and all gradients, with zero
 * outputs past an example's length. Called by `describeBackendConformance` for every dtype.
 */
export function walkConformance(backend: () => Backend, dtype: DType, tol: { values: Tolerance; gradients: Tolerance }): void {
  for (const cell of CELLS) {
    for (const { dims: [nX, nA, m, T], walk, label } of WALKS) {
      it(`${cell.kind}SequenceForward/Backward walk ${label} as ONNX does (n_x=${nX} n_a=${nA} m=${m} T_x=${T})`, async () => {
        const b = backend();
        const rng = new RandomState(4000 + nA * 10 + T + m);
        const x = draw(rng, dtype, nX, m * T);
        const xt = Tensor.fromHost(x.t.dataSync(), [nX, m, T], dtype);
        const a0 = draw(rng, dtype, nA, m);
        const c0 = draw(rng, dtype, nA, m);
        const da = draw(rng, dtype, nA, m * T);
        const daT = Tensor.fromHost(da.t.dataSync(), [nA, m, T], dtype);
        const { ran, ref } = cell.run(b, rng, dtype, { nX, nA }, xt, a0.t, c0.t, daT, walk);
        const expected = refWalk(ref, timeSteps(x.m.data, nX, m, T), a0.m, c0.m, timeSteps(da.m.data, nA, m, T), walk);
        const check = async (t: Tensor, values: ArrayLike<number>, shape: readonly number[], which: Tolerance, what: string): Promise<void> => {
          expect(t.shape, `${what} shape`).toEqual(shape);
          const report = compareClose(await t.data(), values, which);
          expect(report.ok, `${what}: ${report.message}`).toBe(true);
        };
        const vt = overSteps(tol.values, T);
        const gt = overSteps(tol.gradients, T);
        await check(ran.a, joinTimeSteps(expected.a), [nA, m, T], vt, 'a');
        if (ran.c !== undefined) await check(ran.c, joinTimeSteps(expected.c), [nA, m, T], vt, 'c');
        const { dx, da0, dc0, ...weights } = ran.grads;
        if (dx === undefined || da0 === undefined) throw new Error('missing dx or da0');
        await check(dx, joinTimeSteps(expected.dx), [nX, m, T], gt, 'dx');
        await check(da0, expected.da0.data, [nA, m], gt, 'da0');
        if (dc0 !== undefined) await check(dc0, expected.dc0.data, [nA, m], gt, 'dc0');
        for (const [name, t] of Object.entries(weights)) {
          const want = expected.weights[name];
          if (want === undefined) throw new Error(`the reference has no ${name}`);
          await check(t, want.data, [want.rows, want.cols], gt, name);
        }
        expect(Object.keys(weights).sort()).toEqual(Object.keys(expected.weights).sort());
        for (const t of [ran.a, ran.c, ...Object.values(ran.grads), xt, a0.t, c0.t, daT]) t?.dispose();
        ran.tape.dispose();
      });
    }
  }
}
