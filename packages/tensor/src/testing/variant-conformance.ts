import { expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import { BackendError } from '../errors.js';
import { RandomState } from '../random-state.js';
import type { SequenceOptions, SequenceTape } from '../sequence-kernels.js';
import { Tensor } from '../tensor.js';
import { compareClose, type Tolerance } from './all-close.js';
import { apply, dot, mat, plus, stackRows, times, type Mat } from './reference.js';
import { column, joinTimeSteps, setColumn, timeSteps, type RefGruWeights, type RefLstmGates } from './reference-sequence.js';

// The forward-only variants of the sequence kernels — ONNX's `clip`, the LSTM's peepholes and
// `input_forget`, the GRU's `linear_before_reset = 0` — against a plain float64 reference of their
// formulas, step by step and example by example; and the backward of their tapes refused.

/** The forward-only options of one case, as the sequence kernels take them (peepholes drawn by the case). */
interface Variant {
  readonly clip?: number;
  readonly peepholes?: boolean;
  readonly inputForget?: boolean;
  readonly linearBeforeReset?: false;
}

/** What one reference step gives: `aNext`, `cNext` (the LSTM) and the activations, each `(rows, m)`. */
type RefStep = Readonly<Record<string, Mat>>;

/** One step of a cell from `xt (n_x, m)`, `aPrev` and `cPrev (n_a, m)` (the RNN and GRU ignore `cPrev`). */
type StepFn = (xt: Mat, aPrev: Mat, cPrev: Mat) => RefStep;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** `v` clamped to `[−clip, clip]`; `v` itself without `clip`. */
function clampTo(clip: number | undefined): (v: number) => number {
  return clip === undefined ? (v) => v : (v) => Math.max(-clip, Math.min(clip, v));
}

/** `p (n, 1)` ⊙ every column of `c (n, m)`. */
function scaleRows(p: Mat, c: Mat): Mat {
  return times(plus(mat(c.rows, c.cols, new Float64Array(c.rows * c.cols)), p), c);
}

/** LSTM peephole weights as reference matrices, each `(n_a, 1)`. */
interface RefPeepholes {
  readonly Pi: Mat;
  readonly Pf: Mat;
  readonly Po: Mat;
}

/**
 * An LSTM step with ONNX's options, `clip` applied to every pre-activation:
 * `it = σ(Wi·[a; x] + bi + Pi ⊙ cPrev)`, `ft = σ(Wf·[a; x] + bf + Pf ⊙ cPrev)` or `1 − it` with
 * `inputForget`, `cct = tanh(Wc·[a; x] + bc)`, `cNext = ft ⊙ cPrev + it ⊙ cct`,
 * `ot = σ(Wo·[a; x] + bo + Po ⊙ cNext)`, `aNext = ot ⊙ tanh(cNext)`.
 */
function lstmStep(w: RefLstmGates, P: RefPeepholes | undefined, v: Variant): StepFn {
  const clip = clampTo(v.clip);
  return (xt, aPrev, cPrev) => {
    const concat = stackRows(aPrev, xt);
    const pre = (W: Mat, b: Mat, peephole?: Mat, c?: Mat): Mat => {
      const z = plus(dot(W, concat), b);
      return peephole === undefined || c === undefined ? z : plus(z, scaleRows(peephole, c));
    };
    const peep = v.peepholes === true ? P : undefined;
    const it = apply(pre(w.Wi, w.bi, peep?.Pi, cPrev), (z) => sigmoid(clip(z)));
    const ft = v.inputForget === true ? apply(it, (i) => 1 - i) : apply(pre(w.Wf, w.bf, peep?.Pf, cPrev), (z) => sigmoid(clip(z)));
    const cct = apply(pre(w.Wc, w.bc), (z) => Math.tanh(clip(z)));
    const cNext = plus(times(ft, cPrev), times(it, cct));
    const ot = apply(pre(w.Wo, w.bo, peep?.Po, cNext), (z) => sigmoid(clip(z)));
    return { ft, it, cct, ot, cNext, aNext: times(ot, apply(cNext, Math.tanh)) };
  };
}

/**
 * A GRU step with ONNX's options, `clip` applied to every pre-activation: `zt = σ(Wz·[a; x] + bz)`,
 * `rt = σ(Wr·[a; x] + br)`; by default `hh = Whh·aPrev + bhh`, `hct = tanh(Whx·xt + bhx + rt ⊙ hh)`;
 * with `linearBeforeReset: false`, `hh = Whh·(rt ⊙ aPrev) + bhh`, `hct = tanh(Whx·xt + bhx + hh)`;
 * `aNext = (1 − zt) ⊙ hct + zt ⊙ aPrev`.
 */
function gruStep(w: RefGruWeights, v: Variant): StepFn {
  const clip = clampTo(v.clip);
  const resetAfter = v.linearBeforeReset !== false;
  return (xt, aPrev) => {
    const concat = stackRows(aPrev, xt);
    const zt = apply(plus(dot(w.Wz, concat), w.bz), (z) => sigmoid(clip(z)));
    const rt = apply(plus(dot(w.Wr, concat), w.br), (z) => sigmoid(clip(z)));
    const hh = plus(dot(w.Whh, resetAfter ? aPrev : times(rt, aPrev)), w.bhh);
    const hct = apply(plus(plus(dot(w.Whx, xt), w.bhx), resetAfter ? times(rt, hh) : hh), (z) => Math.tanh(clip(z)));
    return { zt, rt, hh, hct, aNext: plus(times(apply(zt, (z) => 1 - z), hct), times(zt, aPrev)) };
  };
}

/** An RNN step with `clip`: `aNext = tanh(Waa·aPrev + Wax·xt + ba)`, the pre-activation clamped. */
function rnnStep(w: { Waa: Mat; Wax: Mat; ba: Mat }, v: Variant): StepFn {
  const clip = clampTo(v.clip);
  return (xt, aPrev) => ({ aNext: apply(plus(plus(dot(w.Waa, aPrev), dot(w.Wax, xt)), w.ba), (z) => Math.tanh(clip(z))) });
}

/**
 * `step` over the steps `xs` walked as `walk` says, example by example: example `j` runs its own
 * `lengths[j]` steps, forward or from its last step back to its first. Every output of `step` for
 * every time step, `(rows, m)`, zero where the step did not run.
 */
function refVariantWalk(step: StepFn, xs: readonly Mat[], a0: Mat, c0: Mat, walk: SequenceOptions): Readonly<Record<string, Mat[]>> {
  const T = xs.length;
  const m = a0.cols;
  const out: Record<string, Mat[]> = { aNext: xs.map(() => mat(a0.rows, m, new Float64Array(a0.rows * m))) };
  for (let j = 0; j < m; j++) {
    const length = walk.lengths?.[j] ?? T;
    let a = column(a0, j);
    let c = column(c0, j);
    for (let s = 0; s < length; s++) {
      const t = walk.reverse === true ? length - 1 - s : s;
      const r = step(column(xs[t] as Mat, j), a, c);
      for (const [key, value] of Object.entries(r)) {
        const series = (out[key] ??= xs.map(() => mat(value.rows, m, new Float64Array(value.rows * m))));
        setColumn(series[t] as Mat, j, value);
      }
      a = r.aNext as Mat;
      c = r.cNext ?? c;
    }
  }
  return out;
}

interface Drawn {
  readonly t: Tensor;
  readonly m: Mat;
}

/** What a cell's sequence forward returned, for the checks: its outputs, its steps, its tape and its backward over that tape. */
interface Ran {
  /** `a` and, for the LSTM, `c`, under the reference's names (`aNext`, `cNext`). */
  readonly outputs: Readonly<Record<string, Tensor>>;
  readonly steps: readonly Readonly<Record<string, Tensor>>[];
  readonly tape: SequenceTape;
  backward(da: Tensor): unknown;
}

/** One cell: draws its weights, runs its sequence forward with `variant` and `walk`, and gives its reference step for any variant. */
interface VariantCell {
  run(b: Backend, draw: (rows: number, cols: number, scale?: number) => Drawn, dims: { nX: number; nA: number }, state: { x: Tensor; a0: Tensor; c0: Tensor }, variant: Variant, walk: SequenceOptions): {
    ran: Ran;
    step: (variant: Variant) => StepFn;
    weights: readonly Tensor[];
  };
}

const CELLS: Readonly<Record<'rnn' | 'lstm' | 'gru', VariantCell>> = {
  rnn: {
    run(b, draw, { nX, nA }, { x, a0 }, variant, walk) {
      const [Waa, Wax, ba] = [draw(nA, nA, 0.5), draw(nA, nX, 0.5), draw(nA, 1)];
      const out = b.kernels.rnnSequenceForward({ x, a0, Waa: Waa.t, Wax: Wax.t, ba: ba.t, ...walk, clip: variant.clip });
      return {
        ran: { outputs: { aNext: out.a }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape, backward: (da) => b.kernels.rnnSequenceBackward({ da, tape: out.tape, Waa: Waa.t, Wax: Wax.t }) },
        step: (v) => rnnStep({ Waa: Waa.m, Wax: Wax.m, ba: ba.m }, v),
        weights: [Waa.t, Wax.t, ba.t],
      };
    },
  },
  lstm: {
    run(b, draw, { nX, nA }, { x, a0, c0 }, variant, walk) {
      const w = (): Drawn => draw(nA, nA + nX, 0.5);
      const bias = (): Drawn => draw(nA, 1);
      const [Wf, bf, Wi, bi, Wc, bc, Wo, bo] = [w(), bias(), w(), bias(), w(), bias(), w(), bias()];
      const [Pi, Pf, Po] = [draw(nA, 1), draw(nA, 1), draw(nA, 1)];
      const gates = { Wf: Wf.t, bf: bf.t, Wi: Wi.t, bi: bi.t, Wc: Wc.t, bc: bc.t, Wo: Wo.t, bo: bo.t };
      const out = b.kernels.lstmSequenceForward({
        x, a0, c0, ...gates, ...walk,
        clip: variant.clip, inputForget: variant.inputForget, peepholes: variant.peepholes === true ? { Pi: Pi.t, Pf: Pf.t, Po: Po.t } : undefined,
      });
      const ref = { Wf: Wf.m, bf: bf.m, Wi: Wi.m, bi: bi.m, Wc: Wc.m, bc: bc.m, Wo: Wo.m, bo: bo.m };
      return {
        ran: {
          outputs: { aNext: out.a, cNext: out.c }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape,
          backward: (da) => b.kernels.lstmSequenceBackward({ da, tape: out.tape, Wf: Wf.t, Wi: Wi.t, Wc: Wc.t, Wo: Wo.t }),
        },
        step: (v) => lstmStep(ref, { Pi: Pi.m, Pf: Pf.m, Po: Po.m }, v),
        weights: [...Object.values(gates), Pi.t, Pf.t, Po.t],
      };
    },
  },
  gru: {
    run(b, draw, { nX, nA }, { x, a0 }, variant, walk) {
      const w = (): Drawn => draw(nA, nA + nX, 0.5);
      const bias = (): Drawn => draw(nA, 1);
      const [Wz, bz, Wr, br] = [w(), bias(), w(), bias()];
      const [Whx, bhx, Whh, bhh] = [draw(nA, nX, 0.5), bias(), draw(nA, nA, 0.5), bias()];
      const weights = { Wz: Wz.t, bz: bz.t, Wr: Wr.t, br: br.t, Whx: Whx.t, bhx: bhx.t, Whh: Whh.t, bhh: bhh.t };
      const out = b.kernels.gruSequenceForward({ x, a0, ...weights, ...walk, clip: variant.clip, linearBeforeReset: variant.linearBeforeReset });
      const ref = { Wz: Wz.m, bz: bz.m, Wr: Wr.m, br: br.m, Whx: Whx.m, bhx: bhx.m, Whh: Whh.m, bhh: bhh.m };
      return {
        ran: {
          outputs: { aNext: out.a }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape,
          backward: (da) => b.kernels.gruSequenceBackward({ da, tape: out.tape, Wz: Wz.t, Wr: Wr.t, Whx: Whx.t, Whh: Whh.t }),
        },
        step: (v) => gruStep(ref, v),
        weights: Object.values(weights),
      };
    },
  },
};

/** A threshold that binds: with the weights drawn here, most pre-activations lie beyond ±0.75. */
const CLIP = 0.75;

/** Each variant alone and combined, per cell. */
const CASES: readonly { readonly cell: keyof typeof CELLS; readonly label: string; readonly variant: Variant }[] = [
  { cell: 'rnn', label: 'clip', variant: { clip: CLIP } },
  { cell: 'lstm', label: 'clip', variant: { clip: CLIP } },
  { cell: 'lstm', label: 'peepholes', variant: { peepholes: true } },
  { cell: 'lstm', label: 'inputForget', variant: { inputForget: true } },
  { cell: 'lstm', label: 'clip, peepholes and inputForget', variant: { clip: CLIP, peepholes: true, inputForget: true } },
  { cell: 'gru', label: 'linearBeforeReset: false', variant: { linearBeforeReset: false } },
  { cell: 'gru', label: 'clip', variant: { clip: CLIP } },
  { cell: 'gru', label: 'linearBeforeReset: false and clip', variant: { linearBeforeReset: false, clip: CLIP } },
];

/** `[n_x, n_a, m, T_x]` and the walks each case runs: forward, reverse, per-example lengths (0, T and between), both, and a larger layer. */
const WALKS: readonly { readonly dims: readonly [number, number, number, number]; readonly walk: SequenceOptions; readonly label: string }[] = [
  { dims: [3, 5, 4, 5], walk: {}, label: 'forward' },
  { dims: [3, 5, 4, 5], walk: { reverse: true }, label: 'reverse' },
  { dims: [3, 5, 4, 5], walk: { lengths: [5, 2, 0, 4] }, label: 'lengths 5, 2, 0, 4' },
  { dims: [3, 5, 4, 5], walk: { reverse: true, lengths: [3, 5, 1, 0] }, label: 'reverse, lengths 3, 5, 1, 0' },
  { dims: [17, 33, 5, 6], walk: { reverse: true }, label: 'reverse' },
];

/** The names a refusal must give: the options set, as the sequence kernels call them. */
function optionNames(v: Variant): string[] {
  return (['clip', 'peepholes', 'inputForget', 'linearBeforeReset'] as const).filter((name) => v[name] !== undefined);
}

function overSteps(tol: Tolerance, T: number): Tolerance {
  const f = Math.max(1, Math.sqrt(T));
  return { rtol: tol.rtol * f, atol: tol.atol * f };
}

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function expectValues(actual: Tensor | undefined, shape: readonly number[], expected: ArrayLike<number>, tol: Tolerance, label: string): Promise<void> {
  if (actual === undefined) throw new Error(`${label}: the backend gave no such tensor`);
  expect(actual.shape, `${label} shape`).toEqual(shape);
  const report = compareClose(await actual.data(), expected, tol);
  expect(report.ok, `${label}: ${report.message}`).toBe(true);
}

/**
 * The sequence kernels' forward-only variants (`clip`, LSTM `peepholes` and `inputForget`, GRU
 * `linearBeforeReset: false`), each alone and combined, walking forward, in reverse and with
 * per-example lengths, against the float64 reference of their formulas: the states, and every
 * step's activations where every example runs every step. The backward over such a tape is refused
 * with a `BackendError` naming the options, allocating nothing, and everything made is given back
 * once disposed. Called by `describeBackendConformance` for every dtype.
 */
export function variantConformance(backend: () => Backend, dtype: DType, tol: { values: Tolerance; gradients: Tolerance }): void {
  for (const { cell, label, variant } of CASES) {
    for (const { dims: [nX, nA, m, T], walk, label: walkLabel } of WALKS) {
      it(`${cell}SequenceForward with ${label}, ${walkLabel} (n_x=${nX} n_a=${nA} m=${m} T_x=${T}), matches the reference and refuses its backward`, async () => {
        const b = backend();
        const before = b.memory();
        const rng = new RandomState(6000 + nA * 10 + T + (walk.lengths?.[0] ?? 9));
        const draw = (rows: number, cols: number, scale = 1): Drawn => {
          const values = rng.randnAs([rows, cols], dtype).dataSync().map((v) => v * scale);
          return { t: Tensor.fromHost(values, [rows, cols], dtype), m: mat(rows, cols, values) };
        };
        const x = draw(nX, m * T);
        const a0 = draw(nA, m);
        const c0 = draw(nA, m);
        const state = { x: Tensor.fromHost(x.t.dataSync(), [nX, m, T], dtype), a0: a0.t, c0: c0.t };
        const { ran, step, weights } = CELLS[cell].run(b, draw, { nX, nA }, state, variant, walk);

        const xs = timeSteps(x.m.data, nX, m, T);
        const expected = refVariantWalk(step(variant), xs, a0.m, c0.m, walk);
        const plain = refVariantWalk(step({}), xs, a0.m, c0.m, walk);
        const changed = compareClose(joinTimeSteps(expected.aNext as Mat[]), joinTimeSteps(plain.aNext as Mat[]), { rtol: 0, atol: 1e-3 });
        expect(changed.ok, `${label} changes the reference's states, so this test tells it from the plain cell`).toBe(false);

        const vt = overSteps(tol.values, T);
        for (const [key, t] of Object.entries(ran.outputs)) await expectValues(t, [nA, m, T], joinTimeSteps(expected[key] as Mat[]), vt, key === 'aNext' ? 'a' : 'c');
        expect(ran.steps.length).toBe(T);
        if (walk.lengths === undefined) {
          for (let t = 0; t < T; t++) {
            for (const [key, series] of Object.entries(expected)) await expectValues(ran.steps[t]?.[key], [nA, m], (series[t] as Mat).data, vt, `steps[${t}].${key}`);
          }
        }

        const da = Tensor.fromHost(rng.randnAs([nA, m, T], dtype).dataSync(), [nA, m, T], dtype);
        const held = b.memory();
        const error = thrown(() => ran.backward(da));
        expect(error, 'the backward of a forward-only variant is refused').toBeInstanceOf(BackendError);
        for (const name of optionNames(variant)) expect(String(error), `the refusal names ${name}`).toContain(name);
        expect(b.memory(), 'a refused backward allocates nothing').toEqual(held);

        for (const t of [...Object.values(ran.outputs), ...ran.steps.flatMap((s) => Object.values(s)), ...weights, state.x, x.t, a0.t, c0.t, da]) t.dispose();
        ran.tape.dispose();
        expect(b.memory(), 'everything made is given back once disposed').toEqual(before);
      });
    }
  }
}
