import { resolveBackend, type BackendOptions, type RnnCellBackwardResult, type Tensor } from '@rnn/tensor';
import type { RnnCellCache, RnnParameters } from './types.js';
import { checkCellParameters } from './cell-spec.js';
import { RNN } from './rnn-spec.js';
import { ArgumentChecker } from './validate.js';

/** Checks RNN parameters against `n_a` and `n_x` (from the description); returns them typed, with `n_y`. */
export function checkRnnParameters(check: ArgumentChecker, parameters: unknown, nA: number, nX: number, from: string): { p: RnnParameters; nY: number } {
  return checkCellParameters(check, RNN, parameters, nA, nX, from);
}

/** What `rnnCellForward` returns. */
export interface RnnCellForwardOutput {
  /** Next hidden state `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Prediction `(n_y, m)`, a softmax over each column. */
  readonly ytPred: Tensor;
  /** What `rnnCellBackward` needs. */
  readonly cache: RnnCellCache;
}

/**
 * One step of a basic RNN, NumPy's `rnn_cell_forward`:
 * `aNext = tanh(Waa·aPrev + Wax·xt + ba)`, `ytPred = softmax(Wya·aNext + by)`.
 *
 * @param xt input at this step, `(n_x, m)`
 * @param aPrev hidden state from the previous step, `(n_a, m)`
 * @param parameters `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `Wya (n_y,n_a)`, `ba (n_a,1)`, `by (n_y,1)`
 */
export function rnnCellForward(xt: Tensor, aPrev: Tensor, parameters: RnnParameters, opts?: BackendOptions): RnnCellForwardOutput {
  const check = new ArgumentChecker('rnnCellForward');
  const [nX = 0, m = 0] = check.rank('xt', xt, 2, '(n_x, m)');
  const [nA = 0] = check.rank('aPrev', aPrev, 2, '(n_a, m)');
  check.shape('aPrev', aPrev, [nA, m], `(n_a, m) with m = ${m} from xt`);
  const { p } = checkRnnParameters(check, parameters, nA, nX, 'aPrev');
  const backend = resolveBackend('rnnCellForward', opts);

  const { aNext, ytPred } = backend.kernels.rnnCellForward({ xt, aPrev, ...p });
  return { aNext, ytPred, cache: { aNext, aPrev, xt, parameters: p } };
}

/** Gradients of one RNN step: `dxt (n_x,m)`, `daPrev (n_a,m)`, `dWax (n_a,n_x)`, `dWaa (n_a,n_a)`, `dba (n_a,1)`. */
export type RnnCellGradients = RnnCellBackwardResult;

/** Checks an RNN step cache; returns its dimensions. */
export function checkRnnCache(check: ArgumentChecker, arg: string, cache: unknown): { c: RnnCellCache; nA: number; nX: number; m: number } {
  const raw = check.record(arg, cache, ['aNext', 'aPrev', 'xt', 'parameters'] as const);
  const [nA = 0, m = 0] = check.rank(`${arg}.aNext`, raw.aNext, 2, '(n_a, m)');
  const aNext = check.shape(`${arg}.aNext`, raw.aNext, [nA, m], '(n_a, m)');
  const [nX = 0] = check.rank(`${arg}.xt`, raw.xt, 2, '(n_x, m)');
  const xt = check.shape(`${arg}.xt`, raw.xt, [nX, m], `(n_x, m) with m = ${m} from ${arg}.aNext`);
  const aPrev = check.shape(`${arg}.aPrev`, raw.aPrev, [nA, m], `(n_a, m) from ${arg}.aNext`);
  const { p } = checkRnnParameters(check, raw.parameters, nA, nX, `${arg}.aNext`);
  return { c: { aNext, aPrev, xt, parameters: p }, nA, nX, m };
}

/**
 * Backward pass of one RNN step, NumPy's `rnn_cell_backward`: with `dtanh = (1 − aNext²) ⊙ daNext`,
 * `dxt = Waxᵀ·dtanh`, `daPrev = Waaᵀ·dtanh`, `dWax = dtanh·xtᵀ`, `dWaa = dtanh·aPrevᵀ`, `dba = Σ_batch dtanh`.
 *
 * @param daNext gradient of the loss with respect to `aNext`, `(n_a, m)`
 * @param cache the cache `rnnCellForward` returned
 */
export function rnnCellBackward(daNext: Tensor, cache: RnnCellCache, opts?: BackendOptions): RnnCellGradients {
  const check = new ArgumentChecker('rnnCellBackward');
  check.tensor('daNext', daNext);
  const { c, nA, m } = checkRnnCache(check, 'cache', cache);
  check.shape('daNext', daNext, [nA, m], '(n_a, m), the shape of cache.aNext');
  const backend = resolveBackend('rnnCellBackward', opts);
  const { Waa, Wax } = c.parameters;
  return backend.kernels.rnnCellBackward({ daNext, aNext: c.aNext, aPrev: c.aPrev, xt: c.xt, Waa, Wax });
}
