import { InvalidArgumentError, Tensor, type Backend, type SequenceTape } from '@rnn/tensor';
import type { GruCellCache, LstmCellCache, RnnCellCache, SequenceCaches } from './types.js';
import type { ArgumentChecker } from './validate.js';

/**
 * The tape of every sequence forward pass, keyed by the (frozen) list of step caches it returned,
 * so a backward pass over caches from `lstmForward` / `rnnForward` can take the backend's
 * sequence kernel instead of stepping through the cells. Caches assembled by hand have no tape.
 */
const tapes = new WeakMap<object, SequenceTape>();

/** Freezes the step caches and the `(steps, x)` pair a forward pass returns and records its tape. */
export function sealCaches<C extends object>(steps: C[], x: Tensor, tape: SequenceTape): SequenceCaches<C> {
  for (const step of steps) Object.freeze(step);
  Object.freeze(steps);
  tapes.set(steps, tape);
  return Object.freeze([steps, x] as const);
}

/** The live tape recorded for these caches on `backend`, if any: the fast path of a sequence backward. */
export function tapeFor(caches: SequenceCaches<unknown>, backend: Backend): SequenceTape | undefined {
  const tape = tapes.get(caches[0]);
  return tape !== undefined && !tape.isDisposed && tape.backend === backend ? tape : undefined;
}

/** Disposes every tensor given, skipping `undefined`. */
export function disposeAll(tensors: readonly (Tensor | undefined)[]): void {
  for (const t of tensors) t?.dispose();
}

/**
 * Checks NumPy-style sequence caches `(steps, x)`: a non-empty list of step caches that agree
 * with each other and with `x (n_x, m, T_x)`.
 */
export function checkSequenceCaches<D extends { c: unknown; nA: number; nX: number; m: number }>(
  check: ArgumentChecker,
  caches: unknown,
  checkStep: (check: ArgumentChecker, arg: string, cache: unknown) => D,
): { steps: readonly D['c'][]; nA: number; nX: number; m: number } {
  if (!Array.isArray(caches) || caches.length !== 2 || !Array.isArray(caches[0])) {
    throw new InvalidArgumentError(check.fn, 'caches', 'must be the [steps, x] pair the forward function returned');
  }
  const [rawSteps, x] = caches as [unknown[], unknown];
  if (rawSteps.length === 0) throw new InvalidArgumentError(check.fn, 'caches[0]', 'must hold at least one step');
  const first = checkStep(check, 'caches[0][0]', rawSteps[0]);
  const steps = rawSteps.map((raw, t) => {
    const step = t === 0 ? first : checkStep(check, `caches[0][${t}]`, raw);
    if (step.nA !== first.nA || step.nX !== first.nX || step.m !== first.m) {
      throw new InvalidArgumentError(
        check.fn, `caches[0][${t}]`,
        `has n_a=${step.nA}, n_x=${step.nX}, m=${step.m} but caches[0][0] has n_a=${first.nA}, n_x=${first.nX}, m=${first.m}`,
      );
    }
    return step.c;
  });
  check.shape('caches[1]', x, [first.nX, first.m, steps.length], `x of (n_x, m, T_x) from the step caches`);
  if (!(x instanceof Tensor)) throw new InvalidArgumentError(check.fn, 'caches[1]', 'must be a Tensor');
  return { steps, nA: first.nA, nX: first.nX, m: first.m };
}

/**
 * Frees what a sequence forward pass made and its caches hold: every step's time slice of `x`,
 * its hidden and cell states and its gate activations (and the zero `c⟨0⟩` of an LSTM), and the
 * record the backend kept for the backward pass. What
 * you passed in — `x`, `a0` and the parameters — is left alone, as are the stacked `a`, `c`
 * and `yPred` the forward returned. Call it once the backward pass is done; on a GPU backend
 * this is what gives the device memory back.
 */
export function disposeCaches(caches: SequenceCaches<RnnCellCache | LstmCellCache | GruCellCache>): void {
  const [steps, x] = caches;
  const first = steps[0];
  const keep = new Set<Tensor>([x]);
  if (first !== undefined) {
    keep.add(first.aPrev);
    for (const t of Object.values(first.parameters) as Tensor[]) keep.add(t);
  }
  const owned = new Set<Tensor>();
  for (const s of steps) {
    for (const [key, t] of Object.entries(s)) if (key !== 'parameters' && t instanceof Tensor && !keep.has(t)) owned.add(t);
  }
  for (const t of owned) t.dispose();
  tapes.get(steps)?.dispose();
}
