import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import { RandomState } from '../random-state.js';
import { DTypeMismatchError, InvalidArgumentError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { compareClose, type Tolerance } from './all-close.js';
import {
  mat,
  refGruCellBackward,
  refGruCellForward,
  refLstmCellBackward,
  refLstmCellForward,
  refRnnCellBackward,
  refRnnCellForward,
  type Mat,
} from './reference.js';
import { sequenceConformance } from './sequence-conformance.js';
import { variantConformance } from './variant-conformance.js';
import { walkConformance } from './walk-conformance.js';

/** How closely a backend must match the float64 reference, per dtype. */
export interface ConformanceTolerances {
  /** For forward values (activations, outputs, copies). */
  readonly values: Tolerance;
  /** For gradients, which sum over the batch and so gather more rounding. */
  readonly gradients: Tolerance;
}

/** Options of `describeBackendConformance`. */
export interface ConformanceOptions {
  /** Tolerances for each dtype the backend supports; a dtype left out is not tested. */
  readonly tolerances: Partial<Record<DType, ConformanceTolerances>>;
  /** When set, the whole suite is skipped and this reason is printed. */
  readonly skip?: string | undefined;
}

/** Tolerances a float64 CPU backend meets against the float64 reference. */
export const FLOAT64_TOLERANCES: ConformanceTolerances = {
  values: { rtol: 1e-12, atol: 1e-13 },
  gradients: { rtol: 1e-11, atol: 1e-12 },
};

/** Sizes `[n_x, n_a, n_y, m]` every kernel is tried on: the seed's, single examples and units, `n_x ≠ n_a`. */
export const CONFORMANCE_SIZES: readonly (readonly [number, number, number, number])[] = [
  [3, 5, 2, 10],
  [1, 1, 1, 1],
  [4, 7, 3, 1],
  [6, 2, 5, 3],
  [17, 33, 9, 5],
];

interface Pair {
  readonly t: Tensor;
  readonly m: Mat;
}

function draw(rng: RandomState, dtype: DType, rows: number, cols: number, scale = 1): Pair {
  const t = rng.randnAs([rows, cols], dtype);
  const values = t.dataSync().map((v) => v * scale);
  const scaled = Tensor.fromHost(values, [rows, cols], dtype);
  return { t: scaled, m: mat(rows, cols, values) };
}

async function asMat(t: Tensor): Promise<Mat> {
  const rows = t.shape[0] ?? 1;
  return mat(rows, t.size / rows, await t.data());
}

async function expectClose(actual: Tensor, expected: Mat, tolerance: Tolerance, label: string): Promise<void> {
  expect.soft(actual.shape, `${label} shape`).toEqual([expected.rows, expected.cols]);
  const report = compareClose(await actual.data(), expected.data, tolerance);
  expect(report.ok, `${label}: ${report.message}`).toBe(true);
}

/**
 * The conformance suite every backend runs: memory round trips, the time-axis kernels, each
 * cell kernel forward and backward and each sequence kernel against a plain float64 reference,
 * on several sizes, with saturated and NaN inputs, and checking that no input is changed; the
 * sequence kernels' walks (`walkConformance`) and forward-only variants (`variantConformance`).
 *
 * ```ts
 * describeBackendConformance('cpu', () => createCpuBackend(), {
 *   tolerances: { float64: FLOAT64_TOLERANCES, float32: { values: …, gradients: … } },
 * });
 * ```
 */
export function describeBackendConformance(
  label: string,
  create: () => Backend | Promise<Backend>,
  options: ConformanceOptions,
): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  suite(`backend conformance: ${label}${options.skip === undefined ? '' : ` (skipped: ${options.skip})`}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await create();
    });
    afterAll(() => backend?.dispose());

    for (const [dtype, tol] of Object.entries(options.tolerances) as [DType, ConformanceTolerances][]) {
      describe(dtype, () => {
        it('uploads and reads back exactly', async () => {
          const values = dtype === 'float32' ? Float32Array.of(1.5, -2.25, 3e-7, 1e20) : Float64Array.of(1.5, -2.25, 3e-17, 1e200);
          const id = backend.upload(values.slice(), dtype);
          expect(Array.from(await backend.readAsync(id))).toEqual(Array.from(values));
          backend.release(id);
        });

        it('releases what it uploads', () => {
          const before = backend.memory();
          const id = backend.upload(new (dtype === 'float32' ? Float32Array : Float64Array)(1000), dtype);
          expect(backend.memory().tensors).toBe(before.tensors + 1);
          backend.release(id);
          backend.release(id);
          expect(backend.memory()).toEqual(before);
        });

        it('slices and stacks the time axis', async () => {
          const rng = new RandomState(7);
          const [n, m, T] = [3, 4, 5];
          const x = rng.randnAs([n, m, T], dtype);
          const flat = x.dataSync();
          const steps: Tensor[] = [];
          for (let t = 0; t < T; t++) {
            const step = backend.kernels.sliceTime(x, t);
            const expected = new Float64Array(n * m);
            for (let i = 0; i < n * m; i++) expected[i] = flat[i * T + t] as number;
            await expectClose(step, mat(n, m, expected), { rtol: 0, atol: 0 }, `sliceTime t=${t}`);
            steps.push(step);
          }
          const stacked = backend.kernels.stackTime(steps);
          expect(stacked.shape).toEqual([n, m, T]);
          expect(Array.from(await stacked.data())).toEqual(Array.from(flat));
          const sum = backend.kernels.add(steps[0] as Tensor, steps[1] as Tensor);
          const s0 = await (steps[0] as Tensor).data();
          const s1 = await (steps[1] as Tensor).data();
          await expectClose(sum, mat(n, m, s0.map((v, i) => v + (s1[i] as number))), tol.values, 'add');
          for (const s of [...steps, stacked, sum]) s.dispose();
        });

        it('slices and joins along the first axis and masks columns (sliceFlat, concatFlat, maskColumns)', async () => {
          const rng = new RandomState(8);
          const [a, b] = [rng.randnAs([2, 3, 4], dtype), rng.randnAs([3, 3, 4], dtype)];
          const joined = backend.kernels.concatFlat([a, b], [5, 3, 4]);
          expect(joined.shape).toEqual([5, 3, 4]);
          expect(Array.from(await joined.data())).toEqual([...a.dataSync(), ...b.dataSync()]);
          const part = backend.kernels.sliceFlat(joined, 2 * 12, [3, 12]);
          expect(part.shape).toEqual([3, 12]);
          expect(Array.from(await part.data())).toEqual(Array.from(b.dataSync()));
          const row = backend.kernels.sliceFlat(joined, 12, [3, 4]);
          expect(Array.from(await row.data())).toEqual(Array.from(a.dataSync().slice(12, 24)));
          joined.dispose();
          expect(Array.from(await part.data()), 'a slice outlives what it was sliced from').toEqual(Array.from(b.dataSync()));
          const masked = backend.kernels.maskColumns(b, [true, false, true, true]);
          expect(Array.from(await masked.data())).toEqual(Array.from(b.dataSync(), (v, i) => (i % 4 === 1 ? 0 : v)));
          masked.dispose();
          for (const t of [part, row, a, b]) t.dispose();
        });

        it('refuses a slice outside its tensor, a join of the wrong size or dtype, a mask of the wrong length, bad lengths', () => {
          const rng = new RandomState(9);
          const [a, b] = [rng.randnAs([2, 3, 4], dtype), rng.randnAs([3, 3, 4], dtype)];
          const other = rng.randnAs([1, 3, 4], dtype === 'float64' ? 'float32' : 'float64');
          const bad: [string, () => unknown, new (...args: never[]) => Error][] = [
            ['sliceFlat past the end', () => backend.kernels.sliceFlat(a, 13, [3, 4]), InvalidArgumentError],
            ['sliceFlat at a negative offset', () => backend.kernels.sliceFlat(a, -1, [3, 4]), InvalidArgumentError],
            ['sliceFlat at a fractional offset', () => backend.kernels.sliceFlat(a, 0.5, [3, 4]), InvalidArgumentError],
            ['concatFlat into too few elements', () => backend.kernels.concatFlat([a, b], [4, 3, 4]), InvalidArgumentError],
            ['concatFlat into too many elements', () => backend.kernels.concatFlat([a, b], [6, 3, 4]), InvalidArgumentError],
            ['concatFlat of nothing', () => backend.kernels.concatFlat([], [0]), InvalidArgumentError],
            ['concatFlat of two dtypes', () => backend.kernels.concatFlat([a, other], [3, 3, 4]), DTypeMismatchError],
            ['maskColumns with a flag short', () => backend.kernels.maskColumns(a, [true, false, true]), InvalidArgumentError],
            ['maskColumns with a flag too many', () => backend.kernels.maskColumns(a, [true, false, true, true, true]), InvalidArgumentError],
          ];
          for (const [what, call, type] of bad) expect(call, what).toThrow(type);
          const [nX, nA, m, T] = [2, 3, 4, 3];
          const x = rng.randnAs([nX, m, T], dtype);
          const a0 = rng.randnAs([nA, m], dtype);
          const W = () => rng.randnAs([nA, nA + nX], dtype);
          const bias = () => rng.randnAs([nA, 1], dtype);
          const rnn = { x, a0, Waa: rng.randnAs([nA, nA], dtype), Wax: rng.randnAs([nA, nX], dtype), ba: bias() };
          const lstm = { x, a0, c0: rng.randnAs([nA, m], dtype), Wf: W(), bf: bias(), Wi: W(), bi: bias(), Wc: W(), bc: bias(), Wo: W(), bo: bias() };
          const gru = { x, a0, Wz: W(), bz: bias(), Wr: W(), br: bias(), Whx: rng.randnAs([nA, nX], dtype), bhx: bias(), Whh: rng.randnAs([nA, nA], dtype), bhh: bias() };
          for (const lengths of [[3, 3, 3], [3, 3, 3, 4], [3, -1, 2, 0], [3, 1.5, 2, 0]]) {
            expect(() => backend.kernels.rnnSequenceForward({ ...rnn, lengths }), `rnnSequenceForward lengths [${lengths.join(', ')}]`).toThrow(InvalidArgumentError);
            expect(() => backend.kernels.lstmSequenceForward({ ...lstm, lengths }), `lstmSequenceForward lengths [${lengths.join(', ')}]`).toThrow(InvalidArgumentError);
            expect(() => backend.kernels.gruSequenceForward({ ...gru, lengths }), `gruSequenceForward lengths [${lengths.join(', ')}]`).toThrow(InvalidArgumentError);
          }
          for (const t of [a, b, other, x, ...Object.values(rnn), ...Object.values(lstm), ...Object.values(gru)]) if (!t.isDisposed) t.dispose();
        });

        for (const [nX, nA, nY, m] of CONFORMANCE_SIZES) {
          const size = `n_x=${nX} n_a=${nA} n_y=${nY} m=${m}`;

          it(`rnnCellForward and rnnCellBackward match the reference (${size})`, async () => {
            const rng = new RandomState(nX * 100 + nA);
            const xt = draw(rng, dtype, nX, m);
            const aPrev = draw(rng, dtype, nA, m);
            const Waa = draw(rng, dtype, nA, nA, 0.5);
            const Wax = draw(rng, dtype, nA, nX, 0.5);
            const ba = draw(rng, dtype, nA, 1);
            const Wya = draw(rng, dtype, nY, nA);
            const by = draw(rng, dtype, nY, 1);
            const inputs = [xt, aPrev, Waa, Wax, ba, Wya, by];
            const before = inputs.map((p) => p.t.dataSync());
            const out = backend.kernels.rnnCellForward({ xt: xt.t, aPrev: aPrev.t, Waa: Waa.t, Wax: Wax.t, ba: ba.t, Wya: Wya.t, by: by.t });
            const ref = refRnnCellForward({ xt: xt.m, aPrev: aPrev.m, Waa: Waa.m, Wax: Wax.m, ba: ba.m, Wya: Wya.m, by: by.m });
            await expectClose(out.aNext, ref.aNext, tol.values, 'aNext');
            await expectClose(out.ytPred, ref.ytPred, tol.values, 'ytPred');

            const daNext = draw(rng, dtype, nA, m);
            const daCarry = draw(rng, dtype, nA, m);
            const aNextM = await asMat(out.aNext);
            const grads = backend.kernels.rnnCellBackward({ daNext: daNext.t, aNext: out.aNext, aPrev: aPrev.t, xt: xt.t, Waa: Waa.t, Wax: Wax.t });
            const refGrads = refRnnCellBackward({ da: daNext.m, aNext: aNextM, aPrev: aPrev.m, xt: xt.m, Waa: Waa.m, Wax: Wax.m });
            for (const key of ['dxt', 'daPrev', 'dWax', 'dWaa', 'dba'] as const) {
              await expectClose(grads[key], refGrads[key], tol.gradients, key);
            }

            const carried = backend.kernels.rnnCellBackward(
              { daNext: daNext.t, daCarry: daCarry.t, aNext: out.aNext, aPrev: aPrev.t, xt: xt.t, Waa: Waa.t, Wax: Wax.t },
              { dWax: grads.dWax, dWaa: grads.dWaa, dba: grads.dba },
            );
            const daSum = mat(nA, m, daNext.m.data.map((v, i) => v + (daCarry.m.data[i] as number)));
            const refCarried = refRnnCellBackward({ da: daSum, aNext: aNextM, aPrev: aPrev.m, xt: xt.m, Waa: Waa.m, Wax: Wax.m });
            await expectClose(carried.daPrev, refCarried.daPrev, tol.gradients, 'daPrev with daCarry');
            for (const key of ['dWax', 'dWaa', 'dba'] as const) {
              const acc = refCarried[key].data.map((v, i) => v + (refGrads[key].data[i] as number));
              await expectClose(carried[key], mat(refCarried[key].rows, refCarried[key].cols, acc), tol.gradients, `${key} accumulated`);
            }
            inputs.forEach((p, i) => expect(Array.from(p.t.dataSync()), 'inputs unchanged').toEqual(Array.from(before[i] ?? [])));
          });

          it(`lstmCellForward and lstmCellBackward match the reference (${size})`, async () => {
            const rng = new RandomState(nA * 100 + nX);
            const xt = draw(rng, dtype, nX, m);
            const aPrev = draw(rng, dtype, nA, m);
            const cPrev = draw(rng, dtype, nA, m);
            const w = (): Pair => draw(rng, dtype, nA, nA + nX, 0.5);
            const b = (): Pair => draw(rng, dtype, nA, 1);
            const [Wf, bf, Wi, bi, Wc, bc, Wo, bo] = [w(), b(), w(), b(), w(), b(), w(), b()];
            const Wy = draw(rng, dtype, nY, nA);
            const by = draw(rng, dtype, nY, 1);
            const out = backend.kernels.lstmCellForward({
              xt: xt.t, aPrev: aPrev.t, cPrev: cPrev.t, Wf: Wf.t, bf: bf.t, Wi: Wi.t, bi: bi.t, Wc: Wc.t, bc: bc.t, Wo: Wo.t, bo: bo.t, Wy: Wy.t, by: by.t,
            });
            const ref = refLstmCellForward({
              xt: xt.m, aPrev: aPrev.m, cPrev: cPrev.m, Wf: Wf.m, bf: bf.m, Wi: Wi.m, bi: bi.m, Wc: Wc.m, bc: bc.m, Wo: Wo.m, bo: bo.m, Wy: Wy.m, by: by.m,
            });
            for (const key of ['aNext', 'cNext', 'ft', 'it', 'cct', 'ot', 'ytPred'] as const) {
              await expectClose(out[key], ref[key], tol.values, key);
            }

            const daNext = draw(rng, dtype, nA, m);
            const daCarry = draw(rng, dtype, nA, m);
            const dcNext = draw(rng, dtype, nA, m);
            const fwd = {
              cNext: await asMat(out.cNext), ft: await asMat(out.ft), it: await asMat(out.it), cct: await asMat(out.cct), ot: await asMat(out.ot),
            };
            const args = {
              daNext: daNext.t, dcNext: dcNext.t, cNext: out.cNext, aPrev: aPrev.t, cPrev: cPrev.t, ft: out.ft, it: out.it, cct: out.cct, ot: out.ot,
              xt: xt.t, Wf: Wf.t, Wi: Wi.t, Wc: Wc.t, Wo: Wo.t,
            };
            const grads = backend.kernels.lstmCellBackward(args);
            const refArgs = { dcNext: dcNext.m, aPrev: aPrev.m, cPrev: cPrev.m, xt: xt.m, Wf: Wf.m, Wi: Wi.m, Wc: Wc.m, Wo: Wo.m, ...fwd };
            const refGrads = refLstmCellBackward({ da: daNext.m, ...refArgs });
            const keys = ['dxt', 'daPrev', 'dcPrev', 'dWf', 'dbf', 'dWi', 'dbi', 'dWc', 'dbc', 'dWo', 'dbo'] as const;
            for (const key of keys) await expectClose(grads[key], refGrads[key], tol.gradients, key);

            const carried = backend.kernels.lstmCellBackward({ ...args, daCarry: daCarry.t }, grads);
            const daSum = mat(nA, m, daNext.m.data.map((v, i) => v + (daCarry.m.data[i] as number)));
            const refCarried = refLstmCellBackward({ da: daSum, ...refArgs });
            await expectClose(carried.daPrev, refCarried.daPrev, tol.gradients, 'daPrev with daCarry');
            for (const key of ['dWf', 'dbf', 'dWi', 'dbi', 'dWc', 'dbc', 'dWo', 'dbo'] as const) {
              const acc = refCarried[key].data.map((v, i) => v + (refGrads[key].data[i] as number));
              await expectClose(carried[key], mat(refCarried[key].rows, refCarried[key].cols, acc), tol.gradients, `${key} accumulated`);
            }
          });

          it(`gruCellForward and gruCellBackward match the reference (${size})`, async () => {
            const rng = new RandomState(nA * 1000 + nX);
            const xt = draw(rng, dtype, nX, m);
            const aPrev = draw(rng, dtype, nA, m);
            const w = (): Pair => draw(rng, dtype, nA, nA + nX, 0.5);
            const b = (): Pair => draw(rng, dtype, nA, 1);
            const [Wz, bz, Wr, br] = [w(), b(), w(), b()];
            const [Whx, bhx, Whh, bhh] = [draw(rng, dtype, nA, nX, 0.5), b(), draw(rng, dtype, nA, nA, 0.5), b()];
            const Wy = draw(rng, dtype, nY, nA);
            const by = draw(rng, dtype, nY, 1);
            const weights = { Wz: Wz.t, bz: bz.t, Wr: Wr.t, br: br.t, Whx: Whx.t, bhx: bhx.t, Whh: Whh.t, bhh: bhh.t };
            const out = backend.kernels.gruCellForward({ xt: xt.t, aPrev: aPrev.t, ...weights, Wy: Wy.t, by: by.t });
            const refWeights = { Wz: Wz.m, bz: bz.m, Wr: Wr.m, br: br.m, Whx: Whx.m, bhx: bhx.m, Whh: Whh.m, bhh: bhh.m };
            const ref = refGruCellForward({ xt: xt.m, aPrev: aPrev.m, ...refWeights, Wy: Wy.m, by: by.m });
            for (const key of ['aNext', 'zt', 'rt', 'hh', 'hct', 'ytPred'] as const) await expectClose(out[key], ref[key], tol.values, key);

            const daNext = draw(rng, dtype, nA, m);
            const daCarry = draw(rng, dtype, nA, m);
            const acts = { zt: await asMat(out.zt), rt: await asMat(out.rt), hh: await asMat(out.hh), hct: await asMat(out.hct) };
            const args = { daNext: daNext.t, aPrev: aPrev.t, xt: xt.t, zt: out.zt, rt: out.rt, hh: out.hh, hct: out.hct, Wz: Wz.t, Wr: Wr.t, Whx: Whx.t, Whh: Whh.t };
            const grads = backend.kernels.gruCellBackward(args);
            const refArgs = { aPrev: aPrev.m, xt: xt.m, ...acts, Wz: Wz.m, Wr: Wr.m, Whx: Whx.m, Whh: Whh.m };
            const refGrads = refGruCellBackward({ da: daNext.m, ...refArgs });
            const keys = ['dxt', 'daPrev', 'dWz', 'dbz', 'dWr', 'dbr', 'dWhx', 'dbhx', 'dWhh', 'dbhh'] as const;
            for (const key of keys) await expectClose(grads[key], refGrads[key], tol.gradients, key);

            const { dxt: _dxt, daPrev: _daPrev, ...acc } = grads;
            const carried = backend.kernels.gruCellBackward({ ...args, daCarry: daCarry.t }, acc);
            const refCarried = refGruCellBackward({ da: mat(nA, m, daNext.m.data.map((v, i) => v + (daCarry.m.data[i] as number))), ...refArgs });
            await expectClose(carried.daPrev, refCarried.daPrev, tol.gradients, 'daPrev with daCarry');
            for (const key of ['dWz', 'dbz', 'dWr', 'dbr', 'dWhx', 'dbhx', 'dWhh', 'dbhh'] as const) {
              const summed = refCarried[key].data.map((v, i) => v + (refGrads[key].data[i] as number));
              await expectClose(carried[key], mat(refCarried[key].rows, refCarried[key].cols, summed), tol.gradients, `${key} accumulated`);
            }
          });
        }

        sequenceConformance(() => backend, dtype, tol);
        walkConformance(() => backend, dtype, tol);
        variantConformance(() => backend, dtype, tol);

        it('reproduces the NumPy rnn_cell_forward vector of SPEC.md', async () => {
          const rng = new RandomState(1);
          const [xt, aPrev, Waa, Wax, Wya, ba, by] = [[3, 10], [5, 10], [5, 5], [5, 3], [2, 5], [5, 1], [2, 1]].map((s) => rng.randnAs(s, dtype)) as Tensor[];
          const out = backend.kernels.rnnCellForward({ xt: xt!, aPrev: aPrev!, Waa: Waa!, Wax: Wax!, ba: ba!, Wya: Wya!, by: by! });
          const aNext = await out.aNext.data();
          const ytPred = await out.ytPred.data();
          const a4 = [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037];
          const y1 = [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526];
          const printed = { rtol: 0, atol: Math.max(5e-8, tol.values.atol * 10) };
          expect(compareClose(aNext.slice(40, 50), a4, printed).ok, 'a_next[4]').toBe(true);
          expect(compareClose(ytPred.slice(10, 20), y1, printed).ok, 'yt_pred[1]').toBe(true);
        });

        it('saturates cleanly at pre-activations of ±300 and propagates NaN per example', async () => {
          const [nX, nA, nY, m] = [2, 3, 2, 4];
          const xt = Tensor.fromHost(
            dtype === 'float32' ? Float32Array.of(300, -300, 0, Number.NaN, 300, -300, -0, 1) : Float64Array.of(300, -300, 0, Number.NaN, 300, -300, -0, 1),
            [nX, m], dtype,
          );
          const zeros = (r: number, c: number): Tensor => Tensor.fromHost(dtype === 'float32' ? new Float32Array(r * c) : new Float64Array(r * c), [r, c], dtype);
          const ones = (r: number, c: number): Tensor => Tensor.fromHost((dtype === 'float32' ? new Float32Array(r * c) : new Float64Array(r * c)).fill(1), [r, c], dtype);
          const W = ones(nA, nA + nX);
          const out = backend.kernels.lstmCellForward({
            xt, aPrev: zeros(nA, m), cPrev: zeros(nA, m), Wf: W, bf: zeros(nA, 1), Wi: W, bi: zeros(nA, 1), Wc: W, bc: zeros(nA, 1),
            Wo: W, bo: zeros(nA, 1), Wy: ones(nY, nA), by: zeros(nY, 1),
          });
          const ft = await out.ft.data();
          const aNext = await out.aNext.data();
          const ytPred = await out.ytPred.data();
          for (let r = 0; r < nA; r++) {
            // Column 0: pre-activation +600 → gates 1, tanh 1. Column 1: −600 → gates 0. Column 3: NaN.
            expect(ft[r * m]).toBeCloseTo(1, 6);
            expect(ft[r * m + 1]).toBeCloseTo(0, 6);
            expect(aNext[r * m]).toBeCloseTo(Math.tanh(1), 6);
            expect(aNext[r * m + 1]).toBeCloseTo(0, 6);
            expect(ft[r * m + 2]).toBeCloseTo(0.5, 6);
            expect(Number.isNaN(ft[r * m + 3] as number), 'NaN propagates').toBe(true);
          }
          for (let c = 0; c < 3; c++) {
            expect((ytPred[c] as number) + (ytPred[m + c] as number)).toBeCloseTo(1, 6);
          }
        });
      });
    }
  });
}
