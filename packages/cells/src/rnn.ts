import { disposeOnError, resolveBackend, type BackendOptions, type Kernels, type Tensor } from '@rnn/tensor';
import { checkRnnCache, checkRnnParameters } from './rnn-cell.js';
import type { RnnCaches, RnnCellCache, RnnParameters } from './types.js';
import { ArgumentChecker } from './validate.js';
import { checkSequenceCaches, disposeAll, sealCaches, tapeFor } from './sequence.js';

/** What `rnnForward` returns. */
export interface RnnForwardOutput {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Predictions of every step, `(n_y, m, T_x)`. */
  readonly yPred: Tensor;
  /** NumPy's `(caches, x)`: one cache per step, then the input. */
  readonly caches: RnnCaches;
}

/**
 * A basic RNN over a whole sequence, NumPy's `rnn_forward`: `a⟨0⟩ = a0`, then the cell for
 * `t = 1..T_x`, run by the backend as one sequence kernel; the caches hold one cache per step,
 * frozen so that `rnnBackward` can trust them.
 *
 * @param x inputs of every step, `(n_x, m, T_x)` (time last)
 * @param a0 initial hidden state, `(n_a, m)`
 */
export function rnnForward(x: Tensor, a0: Tensor, parameters: RnnParameters, opts?: BackendOptions): RnnForwardOutput {
  const check = new ArgumentChecker('rnnForward');
  const [nX = 0, m = 0] = check.rank('x', x, 3, '(n_x, m, T_x)');
  const [nA = 0] = check.rank('a0', a0, 2, '(n_a, m)');
  check.shape('a0', a0, [nA, m], `(n_a, m) with m = ${m} from x`);
  const { p } = checkRnnParameters(check, parameters, nA, nX, 'a0');
  const k = resolveBackend('rnnForward', opts).kernels;

  return disposeOnError(() => {
    const { Wya, by, ...recurrence } = p;
    const out = k.rnnSequenceForward({ x, a0, ...recurrence });
    const yPred = k.softmaxOutput({ a: out.a, W: Wya, b: by });
    const parametersUsed = Object.freeze(p);
    const steps: RnnCellCache[] = out.steps.map((s, t) => ({ aNext: s.aNext, aPrev: out.steps[t - 1]?.aNext ?? a0, xt: s.xt, parameters: parametersUsed }));
    return { a: out.a, yPred, caches: sealCaches(steps, x, out.tape) };
  });
}

/** Gradients of a whole RNN sequence. */
export interface RnnGradients {
  /** `(n_x, m, T_x)` */
  readonly dx: Tensor;
  /** `(n_a, m)` */
  readonly da0: Tensor;
  /** `(n_a, n_x)` */
  readonly dWax: Tensor;
  /** `(n_a, n_a)` */
  readonly dWaa: Tensor;
  /** `(n_a, 1)` */
  readonly dba: Tensor;
}

/**
 * Backpropagation through time for a basic RNN, NumPy's `rnn_backward`: for `t = T_x..1` the
 * cell backward gets `da[:, :, t] + daPrev⟨t⟩`; weight gradients are summed over the steps.
 * Caches from `rnnForward` on the same backend take the backend's sequence kernel; caches
 * assembled by hand step through the cell.
 *
 * @param da gradient of the loss with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`
 * @param caches what `rnnForward` returned
 */
export function rnnBackward(da: Tensor, caches: RnnCaches, opts?: BackendOptions): RnnGradients {
  const check = new ArgumentChecker('rnnBackward');
  check.tensor('da', da);
  const { steps, nA, m, nX } = checkSequenceCaches(check, caches, checkRnnCache);
  check.shape('da', da, [nA, m, steps.length], `(n_a, m, T_x) from caches (${steps.length} steps)`);
  const backend = resolveBackend('rnnBackward', opts);
  const k = backend.kernels;
  const tape = tapeFor(caches, backend);
  if (tape !== undefined) {
    const { Waa, Wax } = (steps[0] as RnnCellCache).parameters;
    return k.rnnSequenceBackward({ da, tape, Waa, Wax });
  }
  return disposeOnError(() => stepBack(k, da, steps, nX));
}

/** `rnnBackward` over caches without a tape: the cell backward step by step, then the stacked `dx`. */
function stepBack(k: Kernels, da: Tensor, steps: readonly RnnCellCache[], nX: number): RnnGradients {
  const dxSteps: Tensor[] = new Array<Tensor>(steps.length);
  let daCarry: Tensor | undefined;
  let acc: { dWax: Tensor; dWaa: Tensor; dba: Tensor } | undefined;
  for (let t = steps.length - 1; t >= 0; t--) {
    const step = steps[t] as RnnCellCache;
    const daNext = k.sliceTime(da, t);
    const { Waa, Wax } = step.parameters;
    const g = k.rnnCellBackward({ daNext, daCarry, aNext: step.aNext, aPrev: step.aPrev, xt: step.xt, Waa, Wax }, acc);
    disposeAll([daNext, daCarry, acc?.dWax, acc?.dWaa, acc?.dba]);
    dxSteps[t] = g.dxt;
    daCarry = g.daPrev;
    acc = { dWax: g.dWax, dWaa: g.dWaa, dba: g.dba };
  }
  const dx = k.stackTime(dxSteps);
  disposeAll(dxSteps);
  if (daCarry === undefined || acc === undefined) throw new Error(`rnnBackward: caches held no steps (n_x = ${nX})`);
  return { dx, da0: daCarry, ...acc };
}
