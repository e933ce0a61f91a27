import { disposeOnError, resolveBackend, type BackendOptions, type Kernels, type Tensor } from '@rnn/tensor';
import { checkLstmCache, checkLstmParameters, zeroState, type LstmWeightGradients } from './lstm-cell.js';
import { checkSequenceCaches, disposeAll, sealCaches, tapeFor } from './sequence.js';
import type { LstmCaches, LstmCellCache, LstmParameters } from './types.js';
import { ArgumentChecker } from './validate.js';

/** What `lstmForward` returns. */
export interface LstmForwardOutput {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Predictions of every step, `(n_y, m, T_x)`. */
  readonly yPred: Tensor;
  /** Memory cell states of every step, `(n_a, m, T_x)`. */
  readonly c: Tensor;
  /** NumPy's `(caches, x)`: one cache per step, then the input. */
  readonly caches: LstmCaches;
}

/**
 * An LSTM over a whole sequence, NumPy's `lstm_forward`: `a⟨0⟩ = a0`, `c⟨0⟩ = 0`, then the cell
 * for `t = 1..T_x`.
 *
 * The backend runs it as one sequence kernel (the input projection of every step as one product
 * before the recurrence, the output layer as one product after it); the caches still hold one
 * cache per step, as NumPy's do, and are frozen so that `lstmBackward` can trust them.
 *
 * @param x inputs of every step, `(n_x, m, T_x)` (time last)
 * @param a0 initial hidden state, `(n_a, m)`
 */
export function lstmForward(x: Tensor, a0: Tensor, parameters: LstmParameters, opts?: BackendOptions): LstmForwardOutput {
  const check = new ArgumentChecker('lstmForward');
  const [nX = 0, m = 0] = check.rank('x', x, 3, '(n_x, m, T_x)');
  const [nA = 0] = check.rank('a0', a0, 2, '(n_a, m)');
  check.shape('a0', a0, [nA, m], `(n_a, m) with m = ${m} from x`);
  const { p } = checkLstmParameters(check, parameters, nA, nX, 'a0');
  const k = resolveBackend('lstmForward', opts).kernels;

  return disposeOnError(() => {
    const c0 = zeroState(nA, m, x);
    const { Wy, by, ...gates } = p;
    const out = k.lstmSequenceForward({ x, a0, c0, ...gates });
    const yPred = k.softmaxOutput({ a: out.a, W: Wy, b: by });
    const parametersUsed = Object.freeze(p);
    const steps: LstmCellCache[] = out.steps.map((s, t) => {
      const prev = out.steps[t - 1];
      return { ...s, aPrev: prev?.aNext ?? a0, cPrev: prev?.cNext ?? c0, parameters: parametersUsed };
    });
    return { a: out.a, yPred, c: out.c, caches: sealCaches(steps, x, out.tape) };
  });
}

/** Gradients of a whole LSTM sequence. */
export interface LstmGradients extends LstmWeightGradients {
  /** `(n_x, m, T_x)` */
  readonly dx: Tensor;
  /** `(n_a, m)` */
  readonly da0: Tensor;
}

/**
 * Backpropagation through time for an LSTM, NumPy's `lstm_backward`: for `t = T_x..1` the cell
 * backward gets `da[:, :, t] + daPrev⟨t⟩` and `dcPrev⟨t⟩` (both zero at `T_x`); weight gradients
 * are summed over the steps.
 *
 * Caches from `lstmForward` on the same backend take the backend's sequence kernel (the weight
 * gradients as one product over all steps); caches assembled by hand step through the cell.
 *
 * @param da gradient of the loss with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`
 * @param caches what `lstmForward` returned
 */
export function lstmBackward(da: Tensor, caches: LstmCaches, opts?: BackendOptions): LstmGradients {
  const check = new ArgumentChecker('lstmBackward');
  check.tensor('da', da);
  const { steps, nA, m } = checkSequenceCaches(check, caches, checkLstmCache);
  check.shape('da', da, [nA, m, steps.length], `(n_a, m, T_x) from caches (${steps.length} steps)`);
  const backend = resolveBackend('lstmBackward', opts);
  const k = backend.kernels;
  const { Wf, Wi, Wc, Wo } = (steps[0] as LstmCellCache).parameters;

  const tape = tapeFor(caches, backend);
  if (tape !== undefined) {
    const { dc0, ...grads } = k.lstmSequenceBackward({ da, tape, Wf, Wi, Wc, Wo });
    dc0.dispose();
    return grads;
  }
  return disposeOnError(() => stepBack(k, da, steps, nA, m));
}

/** `lstmBackward` over caches without a tape: the cell backward step by step, then the stacked `dx`. */
function stepBack(k: Kernels, da: Tensor, steps: readonly LstmCellCache[], nA: number, m: number): LstmGradients {
  const dxSteps: Tensor[] = new Array<Tensor>(steps.length);
  let daCarry: Tensor | undefined;
  let dcNext = zeroState(nA, m, da);
  let acc: LstmWeightGradients | undefined;
  for (let t = steps.length - 1; t >= 0; t--) {
    const step = steps[t] as LstmCellCache;
    const daNext = k.sliceTime(da, t);
    const p = step.parameters;
    const g = k.lstmCellBackward({ ...step, daNext, daCarry, dcNext, Wf: p.Wf, Wi: p.Wi, Wc: p.Wc, Wo: p.Wo }, acc);
    disposeAll([daNext, daCarry, dcNext]);
    if (acc !== undefined) disposeAll(Object.values(acc));
    const { dxt, daPrev, dcPrev, ...weights } = g;
    dxSteps[t] = dxt;
    daCarry = daPrev;
    dcNext = dcPrev;
    acc = weights;
  }
  const dx = k.stackTime(dxSteps);
  disposeAll([...dxSteps, dcNext]);
  if (daCarry === undefined || acc === undefined) throw new Error('lstmBackward: caches held no steps');
  return { dx, da0: daCarry, ...acc };
}
