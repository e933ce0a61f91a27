import { expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import { RnnError } from '../errors.js';
import { RandomState } from '../random-state.js';
import { Tensor } from '../tensor.js';
import { compareClose, type Tolerance } from './all-close.js';
import { mat, type Mat } from './reference.js';
import {
  joinTimeSteps,
  refLstmSequence,
  refLstmSequenceBackward,
  refOutputBackward,
  refRnnSequence,
  refRnnSequenceBackward,
  refLinearOutput,
  refSoftmaxOutput,
  timeSteps,
} from './reference-sequence.js';

/** Sizes `[n_x, n_a, n_y, m, T_x]` the sequence kernels are tried on: one step, one example, batches that are not a multiple of the SIMD width, `n_x ≠ n_a`. */
export const SEQUENCE_SIZES: readonly (readonly [number, number, number, number, number])[] = [
  [3, 5, 2, 10, 4],
  [1, 1, 1, 1, 1],
  [4, 7, 3, 1, 5],
  [6, 2, 5, 3, 3],
  [17, 33, 9, 5, 6],
  [8, 16, 4, 8, 7],
];

interface Drawn {
  readonly t: Tensor;
  readonly values: Float64Array;
}

/** Values drawn from `rng` in `dtype` (so the reference sees exactly what the backend stores), scaled. */
function draw(rng: RandomState, dtype: DType, shape: readonly number[], scale = 1): Drawn {
  const raw = rng.randnAs(shape, dtype).dataSync().map((v) => v * scale);
  return { t: Tensor.fromHost(raw, shape, dtype), values: Float64Array.from(raw) };
}

const asMat = (d: Drawn, rows: number, cols: number): Mat => mat(rows, cols, d.values);

async function expectValues(actual: Tensor, shape: readonly number[], expected: ArrayLike<number>, tol: Tolerance, label: string): Promise<void> {
  expect(actual.shape, `${label} shape`).toEqual(shape);
  const report = compareClose(await actual.data(), expected, tol);
  expect(report.ok, `${label}: ${report.message}`).toBe(true);
}

/** A tolerance widened for sums over `T` steps of recurrence, which gather `T` times the rounding of one step. */
function overSteps(tol: Tolerance, T: number): Tolerance {
  const f = Math.max(1, Math.sqrt(T));
  return { rtol: tol.rtol * f, atol: tol.atol * f };
}

/**
 * The sequence kernels (`rnnSequenceForward/Backward`, `lstmSequenceForward/Backward`,
 * `softmaxOutput`, `outputBackward`) against the float64 reference run step by step; called by
 * `describeBackendConformance` for every dtype.
 */
export function sequenceConformance(backend: () => Backend, dtype: DType, tol: { values: Tolerance; gradients: Tolerance }): void {
  for (const [nX, nA, nY, m, T] of SEQUENCE_SIZES) {
    const size = `n_x=${nX} n_a=${nA} n_y=${nY} m=${m} T_x=${T}`;

    it(`lstmSequenceForward, lstmSequenceBackward and softmaxOutput match the reference (${size})`, async () => {
      const b = backend();
      const rng = new RandomState(1000 + nA * 10 + T);
      const x = draw(rng, dtype, [nX, m, T]);
      const a0 = draw(rng, dtype, [nA, m]);
      const c0 = draw(rng, dtype, [nA, m]);
      const w = (): Drawn => draw(rng, dtype, [nA, nA + nX], 0.5);
      const bias = (): Drawn => draw(rng, dtype, [nA, 1]);
      const [Wf, bf, Wi, bi, Wc, bc, Wo, bo] = [w(), bias(), w(), bias(), w(), bias(), w(), bias()];
      const Wy = draw(rng, dtype, [nY, nA]);
      const by = draw(rng, dtype, [nY, 1]);
      const da = draw(rng, dtype, [nA, m, T]);
      const inputs = [x, a0, c0, Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by, da];
      const before = inputs.map((d) => d.t.dataSync());

      const K = nA + nX;
      const gates = {
        Wf: asMat(Wf, nA, K), bf: asMat(bf, nA, 1), Wi: asMat(Wi, nA, K), bi: asMat(bi, nA, 1),
        Wc: asMat(Wc, nA, K), bc: asMat(bc, nA, 1), Wo: asMat(Wo, nA, K), bo: asMat(bo, nA, 1),
      };
      const xs = timeSteps(x.values, nX, m, T);
      const ref = refLstmSequence(xs, asMat(a0, nA, m), asMat(c0, nA, m), gates);

      const out = b.kernels.lstmSequenceForward({
        x: x.t, a0: a0.t, c0: c0.t, Wf: Wf.t, bf: bf.t, Wi: Wi.t, bi: bi.t, Wc: Wc.t, bc: bc.t, Wo: Wo.t, bo: bo.t,
      });
      const vt = overSteps(tol.values, T);
      await expectValues(out.a, [nA, m, T], joinTimeSteps(ref.map((s) => s.aNext)), vt, 'a');
      await expectValues(out.c, [nA, m, T], joinTimeSteps(ref.map((s) => s.cNext)), vt, 'c');
      expect(out.steps.length).toBe(T);
      for (const t of [0, T - 1]) {
        const s = out.steps[t];
        const r = ref[t];
        if (s === undefined || r === undefined) throw new Error('missing step');
        await expectValues(s.xt, [nX, m], (xs[t] as Mat).data, { rtol: 0, atol: 0 }, `steps[${t}].xt`);
        for (const key of ['aNext', 'cNext', 'ft', 'it', 'cct', 'ot'] as const) {
          await expectValues(s[key], [nA, m], r[key].data, vt, `steps[${t}].${key}`);
        }
      }

      const yPred = b.kernels.softmaxOutput({ a: out.a, W: Wy.t, b: by.t });
      const aRef = ref.map((s) => s.aNext);
      await expectValues(yPred, [nY, m, T], joinTimeSteps(refSoftmaxOutput(aRef, asMat(Wy, nY, nA), asMat(by, nY, 1))), vt, 'yPred');
      const logits = b.kernels.linearOutput({ a: out.a, W: Wy.t, b: by.t });
      await expectValues(logits, [nY, m, T], joinTimeSteps(refLinearOutput(aRef, asMat(Wy, nY, nA), asMat(by, nY, 1))), vt, 'linearOutput');
      logits.dispose();

      const g = b.kernels.lstmSequenceBackward({ da: da.t, tape: out.tape, Wf: Wf.t, Wi: Wi.t, Wc: Wc.t, Wo: Wo.t });
      const refG = refLstmSequenceBackward(timeSteps(da.values, nA, m, T), xs, asMat(a0, nA, m), asMat(c0, nA, m), ref, gates);
      const gt = overSteps(tol.gradients, T);
      await expectValues(g.dx, [nX, m, T], joinTimeSteps(refG.dx), gt, 'dx');
      await expectValues(g.da0, [nA, m], refG.da0.data, gt, 'da0');
      await expectValues(g.dc0, [nA, m], refG.dc0.data, gt, 'dc0');
      for (const key of ['dWf', 'dWi', 'dWc', 'dWo'] as const) await expectValues(g[key], [nA, K], refG.weights[key].data, gt, key);
      for (const key of ['dbf', 'dbi', 'dbc', 'dbo'] as const) await expectValues(g[key], [nA, 1], refG.weights[key].data, gt, key);

      inputs.forEach((d, i) => expect(Array.from(d.t.dataSync()), 'inputs unchanged').toEqual(Array.from(before[i] ?? [])));
      for (const t of [out.a, out.c, yPred, ...Object.values(g), ...inputs.map((d) => d.t)]) t.dispose();
      for (const s of out.steps) for (const t of Object.values(s)) t.dispose();
      out.tape.dispose();
    });

    it(`rnnSequenceForward and rnnSequenceBackward match the reference (${size})`, async () => {
      const b = backend();
      const rng = new RandomState(2000 + nA * 10 + T);
      const x = draw(rng, dtype, [nX, m, T]);
      const a0 = draw(rng, dtype, [nA, m]);
      const Waa = draw(rng, dtype, [nA, nA], 0.5);
      const Wax = draw(rng, dtype, [nA, nX], 0.5);
      const ba = draw(rng, dtype, [nA, 1]);
      const da = draw(rng, dtype, [nA, m, T]);
      const inputs = [x, a0, Waa, Wax, ba, da];
      const before = inputs.map((d) => d.t.dataSync());

      const p = { Waa: asMat(Waa, nA, nA), Wax: asMat(Wax, nA, nX), ba: asMat(ba, nA, 1) };
      const xs = timeSteps(x.values, nX, m, T);
      const ref = refRnnSequence(xs, asMat(a0, nA, m), p);
      const out = b.kernels.rnnSequenceForward({ x: x.t, a0: a0.t, Waa: Waa.t, Wax: Wax.t, ba: ba.t });
      const vt = overSteps(tol.values, T);
      await expectValues(out.a, [nA, m, T], joinTimeSteps(ref), vt, 'a');
      expect(out.steps.length).toBe(T);
      const last = out.steps[T - 1];
      if (last === undefined) throw new Error('missing step');
      await expectValues(last.aNext, [nA, m], (ref[T - 1] as Mat).data, vt, 'steps[T-1].aNext');
      await expectValues(last.xt, [nX, m], (xs[T - 1] as Mat).data, { rtol: 0, atol: 0 }, 'steps[T-1].xt');

      const g = b.kernels.rnnSequenceBackward({ da: da.t, tape: out.tape, Waa: Waa.t, Wax: Wax.t });
      const refG = refRnnSequenceBackward(timeSteps(da.values, nA, m, T), xs, asMat(a0, nA, m), ref, p);
      const gt = overSteps(tol.gradients, T);
      await expectValues(g.dx, [nX, m, T], joinTimeSteps(refG.dx), gt, 'dx');
      await expectValues(g.da0, [nA, m], refG.da0.data, gt, 'da0');
      await expectValues(g.dWaa, [nA, nA], refG.dWaa.data, gt, 'dWaa');
      await expectValues(g.dWax, [nA, nX], refG.dWax.data, gt, 'dWax');
      await expectValues(g.dba, [nA, 1], refG.dba.data, gt, 'dba');

      inputs.forEach((d, i) => expect(Array.from(d.t.dataSync()), 'inputs unchanged').toEqual(Array.from(before[i] ?? [])));
      for (const t of [out.a, ...Object.values(g), ...inputs.map((d) => d.t)]) t.dispose();
      for (const s of out.steps) for (const t of Object.values(s)) t.dispose();
      out.tape.dispose();
    });

    it(`outputBackward matches the reference (${size})`, async () => {
      const b = backend();
      const rng = new RandomState(3000 + nY * 10 + T);
      const a = draw(rng, dtype, [nA, m, T]);
      const dz = draw(rng, dtype, [nY, m, T]);
      const W = draw(rng, dtype, [nY, nA]);
      const g = b.kernels.outputBackward({ dz: dz.t, a: a.t, W: W.t });
      const ref = refOutputBackward(timeSteps(dz.values, nY, m, T), timeSteps(a.values, nA, m, T), asMat(W, nY, nA));
      const gt = overSteps(tol.gradients, T);
      await expectValues(g.da, [nA, m, T], joinTimeSteps(ref.da), gt, 'da');
      await expectValues(g.dW, [nY, nA], ref.dW.data, gt, 'dW');
      await expectValues(g.db, [nY, 1], ref.db.data, gt, 'db');
      for (const t of [g.da, g.dW, g.db, a.t, dz.t, W.t]) t.dispose();
    });
  }

  it('a sequence forward and backward give back all the memory they used once everything is disposed', async () => {
    const b = backend();
    const rng = new RandomState(5);
    const [nX, nA, m, T] = [3, 4, 6, 5];
    const t = (shape: number[]): Tensor => rng.randnAs(shape, dtype);
    const args = {
      x: t([nX, m, T]), a0: t([nA, m]), c0: t([nA, m]),
      Wf: t([nA, nA + nX]), bf: t([nA, 1]), Wi: t([nA, nA + nX]), bi: t([nA, 1]), Wc: t([nA, nA + nX]), bc: t([nA, 1]), Wo: t([nA, nA + nX]), bo: t([nA, 1]),
    };
    const da = t([nA, m, T]);
    const before = b.memory();
    const out = b.kernels.lstmSequenceForward(args);
    const stepValues = await out.steps[2]?.ft.data();
    expect(stepValues?.length).toBe(nA * m);
    const g = b.kernels.lstmSequenceBackward({ da, tape: out.tape, Wf: args.Wf, Wi: args.Wi, Wc: args.Wc, Wo: args.Wo });
    await g.dWf.data();
    for (const x of [out.a, out.c, ...Object.values(g)]) x.dispose();
    for (const s of out.steps) for (const x of Object.values(s)) x.dispose();
    out.tape.dispose();
    out.tape.dispose();
    expect(out.tape.isDisposed).toBe(true);
    for (const x of [...Object.values(args), da]) x.dispose();
    expect(b.memory()).toEqual(before);
  });

  it('refuses a tape that was disposed, with a typed error', () => {
    const b = backend();
    const rng = new RandomState(6);
    const [nX, nA, m, T] = [2, 3, 2, 3];
    const t = (shape: number[]): Tensor => rng.randnAs(shape, dtype);
    const Waa = t([nA, nA]);
    const Wax = t([nA, nX]);
    const out = b.kernels.rnnSequenceForward({ x: t([nX, m, T]), a0: t([nA, m]), Waa, Wax, ba: t([nA, 1]) });
    out.tape.dispose();
    expect(() => b.kernels.rnnSequenceBackward({ da: t([nA, m, T]), tape: out.tape, Waa, Wax })).toThrow(RnnError);
  });
}
