import type { Tensor } from '@rnn/tensor';

/** RNN parameters with the NumPy keys: `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `Wya (n_y,n_a)`, `ba (n_a,1)`, `by (n_y,1)`. */
export interface RnnParameters {
  readonly Waa: Tensor;
  readonly Wax: Tensor;
  readonly Wya: Tensor;
  readonly ba: Tensor;
  readonly by: Tensor;
}

/** LSTM parameters with the NumPy keys: gate weights `(n_a, n_a+n_x)`, gate biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface LstmParameters {
  readonly Wf: Tensor;
  readonly bf: Tensor;
  readonly Wi: Tensor;
  readonly bi: Tensor;
  readonly Wc: Tensor;
  readonly bc: Tensor;
  readonly Wo: Tensor;
  readonly bo: Tensor;
  readonly Wy: Tensor;
  readonly by: Tensor;
}

/** What `rnnCellForward` keeps for the backward pass: NumPy's `(a_next, a_prev, xt, parameters)`. */
export interface RnnCellCache {
  readonly aNext: Tensor;
  readonly aPrev: Tensor;
  readonly xt: Tensor;
  readonly parameters: RnnParameters;
}

/** What `lstmCellForward` keeps: NumPy's `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`. */
export interface LstmCellCache {
  readonly aNext: Tensor;
  readonly cNext: Tensor;
  readonly aPrev: Tensor;
  readonly cPrev: Tensor;
  readonly ft: Tensor;
  readonly it: Tensor;
  readonly cct: Tensor;
  readonly ot: Tensor;
  readonly xt: Tensor;
  readonly parameters: LstmParameters;
}

/** NumPy's `caches` of a sequence: the pair `(list of step caches, x)`, so `caches[1]` is `x`. */
export type SequenceCaches<C> = readonly [steps: readonly C[], x: Tensor];

/** `rnnForward`'s caches. */
export type RnnCaches = SequenceCaches<RnnCellCache>;

/** `lstmForward`'s caches. */
export type LstmCaches = SequenceCaches<LstmCellCache>;
