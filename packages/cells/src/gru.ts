import { disposeOnError, resolveBackend, type BackendOptions, type Kernels, type Tensor } from '@rnn/tensor';
import { checkGruCache, checkGruParameters, type GruWeightGradients } from './gru-cell.js';
import { checkSequenceCaches, disposeAll, sealCaches, tapeFor } from './sequence.js';
import type { GruCaches, GruCellCache, GruParameters } from './types.js';
import { ArgumentChecker } from './validate.js';

/** What `gruForward` returns. */
export interface GruForwardOutput {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Predictions of every step, `(n_y, m, T_x)`. */
  readonly yPred: Tensor;
  /** NumPy's `(caches, x)`: one cache per step, then the input. */
  readonly caches: GruCaches;
}

/**
 * A GRU over a whole sequence: `a⟨0⟩ = a0`, then `gruCellForward` for `t = 1..T_x`, run by the
 * backend as one sequence kernel (the input projection of every step as one product, the output
 * layer as one product after it); the caches hold one frozen cache per step.
 *
 * @example
 * ```ts
 * const { a, yPred, caches } = gruForward(rng.randn(3, 10, 7), rng.randn(5, 10), parameters, { backend });
 * a.shape;   // [5, 10, 7]
 * ```
 *
 * @param x inputs of every step, `(n_x, m, T_x)` (time last)
 * @param a0 initial hidden state, `(n_a, m)`
 */
export function gruForward(x: Tensor, a0: Tensor, parameters: GruParameters, opts?: BackendOptions): GruForwardOutput {
  const check = new ArgumentChecker('gruForward');
  const [nX = 0, m = 0] = check.rank('x', x, 3, '(n_x, m, T_x)');
  const [nA = 0] = check.rank('a0', a0, 2, '(n_a, m)');
  check.shape('a0', a0, [nA, m], `(n_a, m) with m = ${m} from x`);
  const { p } = checkGruParameters(check, parameters, nA, nX, 'a0');
  const k = resolveBackend('gruForward', opts).kernels;
  return disposeOnError(() => {
    const { Wy, by, ...recurrence } = p;
    const out = k.gruSequenceForward({ x, a0, ...recurrence });
    const yPred = k.softmaxOutput({ a: out.a, W: Wy, b: by });
    const parametersUsed = Object.freeze(p);
    const steps: GruCellCache[] = out.steps.map((s, t) => ({ ...s, aPrev: out.steps[t - 1]?.aNext ?? a0, parameters: parametersUsed }));
    return { a: out.a, yPred, caches: sealCaches(steps, x, out.tape) };
  });
}

/** Gradients of a whole GRU sequence. */
export interface GruGradients extends GruWeightGradients {
  /** `(n_x, m, T_x)` */
  readonly dx: Tensor;
  /** `(n_a, m)` */
  readonly da0: Tensor;
}

/**
 * Backpropagation through time for a GRU: for `t = T_x..1` the cell backward gets
 * `da[:, :, t] + daPrev⟨t⟩`; weight gradients are summed over the steps. Caches from `gruForward`
 * on the same backend take the backend's sequence kernel (the weight gradients as one product
 * over all steps); caches assembled by hand step through the cell.
 *
 * @example
 * ```ts
 * const { caches } = gruForward(x, a0, parameters, { backend });
 * const { dx, da0, dWz } = gruBackward(rng.randn(5, 10, 7), caches, { backend });
 * ```
 *
 * @param da gradient of the loss with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`
 * @param caches what `gruForward` returned
 */
export function gruBackward(da: Tensor, caches: GruCaches, opts?: BackendOptions): GruGradients {
  const check = new ArgumentChecker('gruBackward');
  check.tensor('da', da);
  const { steps, nA, m } = checkSequenceCaches(check, caches, checkGruCache);
  check.shape('da', da, [nA, m, steps.length], `(n_a, m, T_x) from caches (${steps.length} steps)`);
  const backend = resolveBackend('gruBackward', opts);
  const k = backend.kernels;
  const { Wz, Wr, Whx, Whh } = (steps[0] as GruCellCache).parameters;
  const tape = tapeFor(caches, backend);
  if (tape !== undefined) return k.gruSequenceBackward({ da, tape, Wz, Wr, Whx, Whh });
  return disposeOnError(() => stepBack(k, da, steps));
}

/** `gruBackward` over caches without a tape: the cell backward step by step, then the stacked `dx`. */
function stepBack(k: Kernels, da: Tensor, steps: readonly GruCellCache[]): GruGradients {
  const dxSteps: Tensor[] = new Array<Tensor>(steps.length);
  let daCarry: Tensor | undefined;
  let acc: GruWeightGradients | undefined;
  for (let t = steps.length - 1; t >= 0; t--) {
    const step = steps[t] as GruCellCache;
    const daNext = k.sliceTime(da, t);
    const p = step.parameters;
    const g = k.gruCellBackward({ ...step, daNext, daCarry, Wz: p.Wz, Wr: p.Wr, Whx: p.Whx, Whh: p.Whh }, acc);
    disposeAll([daNext, daCarry]);
    if (acc !== undefined) disposeAll(Object.values(acc));
    const { dxt, daPrev, ...weights } = g;
    dxSteps[t] = dxt;
    daCarry = daPrev;
    acc = weights;
  }
  const dx = k.stackTime(dxSteps);
  disposeAll(dxSteps);
  if (daCarry === undefined || acc === undefined) throw new Error('gruBackward: caches held no steps');
  return { dx, da0: daCarry, ...acc };
}
