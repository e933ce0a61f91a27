import type { Tensor } from '@rnn/tensor';

/** RNN parameters with the NumPy keys: `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `Wya (n_y,n_a)`, `ba (n_a,1)`, `by (n_y,1)`. */
export interface RnnParameters {
  /** Hidden-to-hidden weights, `(n_a, n_a)`. */
  readonly Waa: Tensor;
  /** Input-to-hidden weights, `(n_a, n_x)`. */
  readonly Wax: Tensor;
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly Wya: Tensor;
  /** Hidden bias, `(n_a, 1)`, broadcast over the batch. */
  readonly ba: Tensor;
  /** Output bias, `(n_y, 1)`, broadcast over the batch. */
  readonly by: Tensor;
}

/** LSTM parameters with the NumPy keys: gate weights `(n_a, n_a+n_x)`, gate biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface LstmParameters {
  /** Forget-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wf: Tensor;
  /** Forget-gate bias, `(n_a, 1)`. */
  readonly bf: Tensor;
  /** Update (input) gate weights, `(n_a, n_a + n_x)`. */
  readonly Wi: Tensor;
  /** Update (input) gate bias, `(n_a, 1)`. */
  readonly bi: Tensor;
  /** Candidate-cell weights, `(n_a, n_a + n_x)`. */
  readonly Wc: Tensor;
  /** Candidate-cell bias, `(n_a, 1)`. */
  readonly bc: Tensor;
  /** Output-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wo: Tensor;
  /** Output-gate bias, `(n_a, 1)`. */
  readonly bo: Tensor;
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly Wy: Tensor;
  /** Output bias, `(n_y, 1)`, broadcast over the batch. */
  readonly by: Tensor;
}

/** What `rnnCellForward` keeps for the backward pass: NumPy's `(a_next, a_prev, xt, parameters)`. */
export interface RnnCellCache {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** The parameters this step ran with. */
  readonly parameters: RnnParameters;
}

/** What `lstmCellForward` keeps: NumPy's `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`. */
export interface LstmCellCache {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Cell state after this step, `(n_a, m)`. */
  readonly cNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Cell (memory) state from the previous step, `(n_a, m)`. */
  readonly cPrev: Tensor;
  /** Forget gate `σ(Wf·[aPrev; xt] + bf)`, `(n_a, m)`. */
  readonly ft: Tensor;
  /** Update gate `σ(Wi·[aPrev; xt] + bi)`, `(n_a, m)`. */
  readonly it: Tensor;
  /** Candidate cell value `tanh(Wc·[aPrev; xt] + bc)`, `(n_a, m)`. */
  readonly cct: Tensor;
  /** Output gate `σ(Wo·[aPrev; xt] + bo)`, `(n_a, m)`. */
  readonly ot: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** The parameters this step ran with. */
  readonly parameters: LstmParameters;
}

/** NumPy's `caches` of a sequence: the pair `(list of step caches, x)`, so `caches[1]` is `x`. */
export type SequenceCaches<C> = readonly [steps: readonly C[], x: Tensor];

/** `rnnForward`'s caches. */
export type RnnCaches = SequenceCaches<RnnCellCache>;

/** `lstmForward`'s caches. */
export type LstmCaches = SequenceCaches<LstmCellCache>;
