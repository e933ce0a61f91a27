import { resolveBackend, zeros, type BackendOptions, type LstmCellBackwardResult, type LstmWeightGrads, type Tensor } from '@rnn/tensor';
import type { LstmCellCache, LstmParameters } from './types.js';
import { checkCellParameters } from './cell-spec.js';
import { LSTM } from './lstm-spec.js';
import { ArgumentChecker } from './validate.js';

/** Checks LSTM parameters against `n_a` and `n_x` (from the description); returns them typed, with `n_y`. */
export function checkLstmParameters(check: ArgumentChecker, parameters: unknown, nA: number, nX: number, from: string): { p: LstmParameters; nY: number } {
  return checkCellParameters(check, LSTM, parameters, nA, nX, from);
}

/** What `lstmCellForward` returns. */
export interface LstmCellForwardOutput {
  /** Next hidden state `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Next memory cell state `(n_a, m)`. */
  readonly cNext: Tensor;
  /** Prediction `(n_y, m)`, a softmax over each column. */
  readonly ytPred: Tensor;
  /** What `lstmCellBackward` needs, gate activations included. */
  readonly cache: LstmCellCache;
}

/**
 * One LSTM step, NumPy's `lstm_cell_forward`. With `concat = [aPrev; xt]`:
 * forget gate `ft = σ(Wf·concat + bf)`, update gate `it = σ(Wi·concat + bi)`,
 * candidate `cct = tanh(Wc·concat + bc)`, `cNext = ft ⊙ cPrev + it ⊙ cct`,
 * output gate `ot = σ(Wo·concat + bo)`, `aNext = ot ⊙ tanh(cNext)`, `ytPred = softmax(Wy·aNext + by)`.
 *
 * @param xt input at this step, `(n_x, m)`
 * @param aPrev hidden state, `(n_a, m)`
 * @param cPrev memory cell state, `(n_a, m)`
 */
export function lstmCellForward(xt: Tensor, aPrev: Tensor, cPrev: Tensor, parameters: LstmParameters, opts?: BackendOptions): LstmCellForwardOutput {
  const check = new ArgumentChecker('lstmCellForward');
  const [nX = 0, m = 0] = check.rank('xt', xt, 2, '(n_x, m)');
  const [nA = 0] = check.rank('aPrev', aPrev, 2, '(n_a, m)');
  check.shape('aPrev', aPrev, [nA, m], `(n_a, m) with m = ${m} from xt`);
  check.shape('cPrev', cPrev, [nA, m], `(n_a, m), the shape of aPrev`);
  const { p } = checkLstmParameters(check, parameters, nA, nX, 'aPrev');
  const backend = resolveBackend('lstmCellForward', opts);

  const out = backend.kernels.lstmCellForward({ xt, aPrev, cPrev, ...p });
  const { aNext, cNext, ft, it, cct, ot, ytPred } = out;
  return { aNext, cNext, ytPred, cache: { aNext, cNext, aPrev, cPrev, ft, it, cct, ot, xt, parameters: p } };
}

/** Gradients of one LSTM step: `dxt (n_x,m)`, `daPrev (n_a,m)`, `dcPrev (n_a,m)` and the gate weight gradients. */
export type LstmCellGradients = LstmCellBackwardResult;

/** Gradients of the LSTM gate weights `(n_a, n_a+n_x)` and biases `(n_a, 1)`. */
export type LstmWeightGradients = LstmWeightGrads;

/** Checks an LSTM step cache; returns its dimensions. */
export function checkLstmCache(check: ArgumentChecker, arg: string, cache: unknown): { c: LstmCellCache; nA: number; nX: number; m: number } {
  const raw = check.record(arg, cache, ['aNext', 'cNext', 'aPrev', 'cPrev', 'ft', 'it', 'cct', 'ot', 'xt', 'parameters'] as const);
  const [nA = 0, m = 0] = check.rank(`${arg}.aNext`, raw.aNext, 2, '(n_a, m)');
  const state = (key: 'aNext' | 'cNext' | 'aPrev' | 'cPrev' | 'ft' | 'it' | 'cct' | 'ot'): Tensor =>
    check.shape(`${arg}.${key}`, raw[key], [nA, m], `(n_a, m) from ${arg}.aNext`);
  const states = {
    aNext: state('aNext'), cNext: state('cNext'), aPrev: state('aPrev'), cPrev: state('cPrev'),
    ft: state('ft'), it: state('it'), cct: state('cct'), ot: state('ot'),
  };
  const [nX = 0] = check.rank(`${arg}.xt`, raw.xt, 2, '(n_x, m)');
  const xt = check.shape(`${arg}.xt`, raw.xt, [nX, m], `(n_x, m) with m = ${m} from ${arg}.aNext`);
  const { p } = checkLstmParameters(check, raw.parameters, nA, nX, `${arg}.aNext`);
  return { c: { ...states, xt, parameters: p }, nA, nX, m };
}

/**
 * Backward pass of one LSTM step, NumPy's `lstm_cell_backward`:
 * `dc = dcNext + daNext ⊙ ot ⊙ (1 − tanh²(cNext))`, `dot = daNext ⊙ tanh(cNext) ⊙ ot ⊙ (1 − ot)`,
 * `dcct = dc ⊙ it ⊙ (1 − cct²)`, `dit = dc ⊙ cct ⊙ it ⊙ (1 − it)`, `dft = dc ⊙ cPrev ⊙ ft ⊙ (1 − ft)`,
 * `dW = dgate·concatᵀ`, `db = Σ_batch dgate`, `[daPrev; dxt] = Σ Wᵀ·dgate`, `dcPrev = dc ⊙ ft`.
 *
 * @param daNext gradient with respect to `aNext`, `(n_a, m)`
 * @param dcNext gradient with respect to `cNext`, `(n_a, m)`
 * @param cache the cache `lstmCellForward` returned
 */
export function lstmCellBackward(daNext: Tensor, dcNext: Tensor, cache: LstmCellCache, opts?: BackendOptions): LstmCellGradients {
  const check = new ArgumentChecker('lstmCellBackward');
  check.tensor('daNext', daNext);
  check.tensor('dcNext', dcNext);
  const { c, nA, m } = checkLstmCache(check, 'cache', cache);
  check.shape('daNext', daNext, [nA, m], '(n_a, m), the shape of cache.aNext');
  check.shape('dcNext', dcNext, [nA, m], '(n_a, m), the shape of cache.cNext');
  const backend = resolveBackend('lstmCellBackward', opts);
  const { Wf, Wi, Wc, Wo } = c.parameters;
  return backend.kernels.lstmCellBackward({ daNext, dcNext, ...c, Wf, Wi, Wc, Wo });
}

/** A zero state `(n_a, m)` of `like`'s dtype. */
export function zeroState(nA: number, m: number, like: Tensor): Tensor {
  return zeros([nA, m], like.dtype);
}
