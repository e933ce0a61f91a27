import type { GruGateActivations, GruParameters, LstmGateActivations, LstmParameters, RnnParameters, Tensor } from '@rnn/tensor';

export type { GruParameters, LstmParameters, RnnParameters };

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
export interface LstmCellCache extends LstmGateActivations {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Cell state after this step, `(n_a, m)`. */
  readonly cNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Cell (memory) state from the previous step, `(n_a, m)`. */
  readonly cPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** The parameters this step ran with. */
  readonly parameters: LstmParameters;
}

/** What `gruCellForward` keeps, per SPEC.md: `(a_next, a_prev, xt, zt, rt, hct, hh, parameters)`. */
export interface GruCellCache extends GruGateActivations {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** The parameters this step ran with. */
  readonly parameters: GruParameters;
}

/** NumPy's `caches` of a sequence: the pair `(list of step caches, x)`, so `caches[1]` is `x`. */
export type SequenceCaches<C> = readonly [steps: readonly C[], x: Tensor];

/** `rnnForward`'s caches. */
export type RnnCaches = SequenceCaches<RnnCellCache>;

/** `lstmForward`'s caches. */
export type LstmCaches = SequenceCaches<LstmCellCache>;

/** `gruForward`'s caches. */
export type GruCaches = SequenceCaches<GruCellCache>;
