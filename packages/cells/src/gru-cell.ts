import { resolveBackend, type BackendOptions, type GruCellBackwardResult, type GruWeightGrads, type Tensor } from '@rnn/tensor';
import { checkCellParameters } from './cell-spec.js';
import { GRU } from './gru-spec.js';
import type { GruCellCache, GruParameters } from './types.js';
import { ArgumentChecker } from './validate.js';

/** Checks GRU parameters against `n_a` and `n_x` (from the description); returns them typed, with `n_y`. */
export function checkGruParameters(check: ArgumentChecker, parameters: unknown, nA: number, nX: number, from: string): { p: GruParameters; nY: number } {
  return checkCellParameters(check, GRU, parameters, nA, nX, from);
}

/** What `gruCellForward` returns. */
export interface GruCellForwardOutput {
  /** Next hidden state `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Prediction `(n_y, m)`, a softmax over each column. */
  readonly ytPred: Tensor;
  /** What `gruCellBackward` needs. */
  readonly cache: GruCellCache;
}

/**
 * One GRU step, the reset gate applied after the recurrent product (PyTorch, Keras, ONNX
 * `linear_before_reset=1`). With `concat = [aPrev; xt]`: update gate `zt = σ(Wz·concat + bz)`,
 * reset gate `rt = σ(Wr·concat + br)`, `hh = Whh·aPrev + bhh`, candidate
 * `hct = tanh(Whx·xt + bhx + rt ⊙ hh)`, `aNext = (1 − zt) ⊙ hct + zt ⊙ aPrev`,
 * `ytPred = softmax(Wy·aNext + by)`.
 *
 * @example
 * ```ts
 * const rng = new RandomState(1);
 * const w = () => rng.randn(5, 8);
 * const p = { Wz: w(), bz: rng.randn(5, 1), Wr: w(), br: rng.randn(5, 1), Whx: rng.randn(5, 3), bhx: rng.randn(5, 1),
 *             Whh: rng.randn(5, 5), bhh: rng.randn(5, 1), Wy: rng.randn(2, 5), by: rng.randn(2, 1) };
 * const { aNext, ytPred, cache } = gruCellForward(rng.randn(3, 10), rng.randn(5, 10), p, { backend });
 * aNext.shape;   // [5, 10]
 * ```
 *
 * @param xt input at this step, `(n_x, m)`
 * @param aPrev hidden state, `(n_a, m)`
 */
export function gruCellForward(xt: Tensor, aPrev: Tensor, parameters: GruParameters, opts?: BackendOptions): GruCellForwardOutput {
  const check = new ArgumentChecker('gruCellForward');
  const [nX = 0, m = 0] = check.rank('xt', xt, 2, '(n_x, m)');
  const [nA = 0] = check.rank('aPrev', aPrev, 2, '(n_a, m)');
  check.shape('aPrev', aPrev, [nA, m], `(n_a, m) with m = ${m} from xt`);
  const { p } = checkGruParameters(check, parameters, nA, nX, 'aPrev');
  const backend = resolveBackend('gruCellForward', opts);
  const { aNext, ytPred, zt, rt, hct, hh } = backend.kernels.gruCellForward({ xt, aPrev, ...p });
  return { aNext, ytPred, cache: { aNext, aPrev, xt, zt, rt, hct, hh, parameters: p } };
}

/** Gradients of one GRU step: `dxt (n_x,m)`, `daPrev (n_a,m)` and the weight gradients. */
export type GruCellGradients = GruCellBackwardResult;

/** Gradients of the GRU weights and biases. */
export type GruWeightGradients = GruWeightGrads;

/** Checks a GRU step cache; returns its dimensions. */
export function checkGruCache(check: ArgumentChecker, arg: string, cache: unknown): { c: GruCellCache; nA: number; nX: number; m: number } {
  const raw = check.record(arg, cache, ['aNext', 'aPrev', 'xt', 'zt', 'rt', 'hct', 'hh', 'parameters'] as const);
  const [nA = 0, m = 0] = check.rank(`${arg}.aNext`, raw.aNext, 2, '(n_a, m)');
  const state = (key: 'aNext' | 'aPrev' | 'zt' | 'rt' | 'hct' | 'hh'): Tensor => check.shape(`${arg}.${key}`, raw[key], [nA, m], `(n_a, m) from ${arg}.aNext`);
  const states = { aNext: state('aNext'), aPrev: state('aPrev'), zt: state('zt'), rt: state('rt'), hct: state('hct'), hh: state('hh') };
  const [nX = 0] = check.rank(`${arg}.xt`, raw.xt, 2, '(n_x, m)');
  const xt = check.shape(`${arg}.xt`, raw.xt, [nX, m], `(n_x, m) with m = ${m} from ${arg}.aNext`);
  const { p } = checkGruParameters(check, raw.parameters, nA, nX, `${arg}.aNext`);
  return { c: { ...states, xt, parameters: p }, nA, nX, m };
}

/**
 * Backward pass of one GRU step, per SPEC.md, with `da = daNext`:
 * `dhct = da ⊙ (1 − zt)`, `dz = da ⊙ (aPrev − hct) ⊙ zt(1 − zt)`, `dhpre = dhct ⊙ (1 − hct²)`,
 * `dr = dhpre ⊙ hh ⊙ rt(1 − rt)`, `dhh = dhpre ⊙ rt`; `dWz = dz·concatᵀ`, `dWr = dr·concatᵀ`,
 * `dWhx = dhpre·xtᵀ`, `dWhh = dhh·aPrevᵀ`, biases the sums over the batch;
 * `daPrev = (Wzᵀ·dz + Wrᵀ·dr)[:n_a] + da ⊙ zt + Whhᵀ·dhh`, `dxt = (Wzᵀ·dz + Wrᵀ·dr)[n_a:] + Whxᵀ·dhpre`.
 *
 * @example
 * ```ts
 * const { cache } = gruCellForward(xt, aPrev, parameters, { backend });
 * const { dxt, daPrev, dWz, dWhh } = gruCellBackward(rng.randn(5, 10), cache, { backend });
 * ```
 *
 * @param daNext gradient with respect to `aNext`, `(n_a, m)`
 * @param cache the cache `gruCellForward` returned
 */
export function gruCellBackward(daNext: Tensor, cache: GruCellCache, opts?: BackendOptions): GruCellGradients {
  const check = new ArgumentChecker('gruCellBackward');
  check.tensor('daNext', daNext);
  const { c, nA, m } = checkGruCache(check, 'cache', cache);
  check.shape('daNext', daNext, [nA, m], '(n_a, m), the shape of cache.aNext');
  const backend = resolveBackend('gruCellBackward', opts);
  const { Wz, Wr, Whx, Whh } = c.parameters;
  return backend.kernels.gruCellBackward({ daNext, aPrev: c.aPrev, xt: c.xt, zt: c.zt, rt: c.rt, hct: c.hct, hh: c.hh, Wz, Wr, Whx, Whh });
}
