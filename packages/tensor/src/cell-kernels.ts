import type { GruGateActivations, GruWeightGrads } from './sequence-kernels.js';
import type { Tensor } from './tensor.js';

// The arguments and results of the step kernels of each cell: what `Kernels` takes and returns
// for one time step of an RNN, an LSTM or a GRU (the whole-sequence ones are in sequence-kernels.ts).

/** The weights of an RNN's recurrence (what its sequence kernels take): `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `ba (n_a,1)`. */
export interface RnnRecurrentWeights {
  /** Hidden-to-hidden weights, `(n_a, n_a)`. */
  readonly Waa: Tensor;
  /** Input-to-hidden weights, `(n_a, n_x)`. */
  readonly Wax: Tensor;
  /** Hidden bias, `(n_a, 1)`, broadcast over the batch. */
  readonly ba: Tensor;
}

/** RNN parameters with the NumPy keys: `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `Wya (n_y,n_a)`, `ba (n_a,1)`, `by (n_y,1)`. */
export interface RnnParameters extends RnnRecurrentWeights {
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly Wya: Tensor;
  /** Output bias, `(n_y, 1)`, broadcast over the batch. */
  readonly by: Tensor;
}

/** The weights of an LSTM's four gates (what its sequence kernels take): `(n_a, n_a + n_x)` each, biases `(n_a, 1)`. */
export interface LstmGateWeights {
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
}

/** LSTM parameters with the NumPy keys: gate weights `(n_a, n_a+n_x)`, gate biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface LstmParameters extends LstmGateWeights {
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly Wy: Tensor;
  /** Output bias, `(n_y, 1)`, broadcast over the batch. */
  readonly by: Tensor;
}

/** Inputs of one RNN cell step. Shapes: `xt (n_x,m)`, `aPrev (n_a,m)`, `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `ba (n_a,1)`, `Wya (n_y,n_a)`, `by (n_y,1)`. */
export interface RnnCellForwardArgs extends RnnParameters {
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
}

/** `aNext = tanh(Waa·aPrev + Wax·xt + ba)` `(n_a,m)`; `ytPred = softmax(Wya·aNext + by)` `(n_y,m)`. */
export interface RnnCellForwardResult {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Prediction `softmax(Wya·aNext + by)`, `(n_y, m)`. */
  readonly ytPred: Tensor;
}

/** Inputs of one RNN cell step backward; `daCarry` (optional) is added to `daNext`. */
export interface RnnCellBackwardArgs {
  /** Gradient of the loss with respect to `aNext` from outside the recurrence, `(n_a, m)`. */
  readonly daNext: Tensor;
  /** Gradient flowing back through time into `aNext`, added to `daNext` when given, `(n_a, m)`. */
  readonly daCarry?: Tensor | undefined;
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden-to-hidden weights, `(n_a, n_a)`. */
  readonly Waa: Tensor;
  /** Input-to-hidden weights, `(n_a, n_x)`. */
  readonly Wax: Tensor;
}

/** Weight gradients of an RNN cell: `dWax (n_a,n_x)`, `dWaa (n_a,n_a)`, `dba (n_a,1)`. */
export interface RnnWeightGrads {
  /** Gradient with respect to `Wax`, `(n_a, n_x)`. */
  readonly dWax: Tensor;
  /** Gradient with respect to `Waa`, `(n_a, n_a)`. */
  readonly dWaa: Tensor;
  /** Gradient with respect to `ba`, summed over the batch, `(n_a, 1)`. */
  readonly dba: Tensor;
}

/** Gradients of one RNN cell step: `dxt (n_x,m)`, `daPrev (n_a,m)` and the weight gradients. */
export interface RnnCellBackwardResult extends RnnWeightGrads {
  /** Gradient with respect to `xt`, `(n_x, m)`. */
  readonly dxt: Tensor;
  /** Gradient with respect to `aPrev`, `(n_a, m)`. */
  readonly daPrev: Tensor;
}

/** Inputs of one LSTM cell step. Gate weights are `(n_a, n_a+n_x)`, gate biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface LstmCellForwardArgs extends LstmParameters {
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Cell (memory) state from the previous step, `(n_a, m)`. */
  readonly cPrev: Tensor;
}

/** The four gate activations of one LSTM step, each `(n_a, m)`. */
export interface LstmGateActivations {
  /** Forget gate `σ(Wf·[aPrev; xt] + bf)`, `(n_a, m)`. */
  readonly ft: Tensor;
  /** Update gate `σ(Wi·[aPrev; xt] + bi)`, `(n_a, m)`. */
  readonly it: Tensor;
  /** Candidate cell value `tanh(Wc·[aPrev; xt] + bc)`, `(n_a, m)`. */
  readonly cct: Tensor;
  /** Output gate `σ(Wo·[aPrev; xt] + bo)`, `(n_a, m)`. */
  readonly ot: Tensor;
}

/** Outputs of one LSTM step, each `(n_a,m)` except `ytPred (n_y,m)`: the new state and the gate activations. */
export interface LstmCellForwardResult extends LstmGateActivations {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Cell state after this step, `(n_a, m)`. */
  readonly cNext: Tensor;
  /** Prediction `softmax(Wy·aNext + by)`, `(n_y, m)`. */
  readonly ytPred: Tensor;
}

/** Inputs of one LSTM step backward; `daCarry` (optional) is added to `daNext`. */
export interface LstmCellBackwardArgs extends LstmGateActivations {
  /** Gradient of the loss with respect to `aNext` from outside the recurrence, `(n_a, m)`. */
  readonly daNext: Tensor;
  /** Gradient flowing back through time into `aNext`, added to `daNext` when given, `(n_a, m)`. */
  readonly daCarry?: Tensor | undefined;
  /** Gradient of the loss with respect to `cNext`, `(n_a, m)`. */
  readonly dcNext: Tensor;
  /** Cell state after this step, `(n_a, m)`. */
  readonly cNext: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Cell (memory) state from the previous step, `(n_a, m)`. */
  readonly cPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Forget-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wf: Tensor;
  /** Update (input) gate weights, `(n_a, n_a + n_x)`. */
  readonly Wi: Tensor;
  /** Candidate-cell weights, `(n_a, n_a + n_x)`. */
  readonly Wc: Tensor;
  /** Output-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wo: Tensor;
}

/** Weight gradients of an LSTM cell: `dW* (n_a, n_a+n_x)`, `db* (n_a,1)`. */
export interface LstmWeightGrads {
  /** Gradient with respect to `Wf` (forget-gate weights), `(n_a, n_a + n_x)`. */
  readonly dWf: Tensor;
  /** Gradient with respect to `bf` (forget-gate bias), summed over the batch, `(n_a, 1)`. */
  readonly dbf: Tensor;
  /** Gradient with respect to `Wi` (update-gate weights), `(n_a, n_a + n_x)`. */
  readonly dWi: Tensor;
  /** Gradient with respect to `bi` (update-gate bias), summed over the batch, `(n_a, 1)`. */
  readonly dbi: Tensor;
  /** Gradient with respect to `Wc` (candidate-cell weights), `(n_a, n_a + n_x)`. */
  readonly dWc: Tensor;
  /** Gradient with respect to `bc` (candidate-cell bias), summed over the batch, `(n_a, 1)`. */
  readonly dbc: Tensor;
  /** Gradient with respect to `Wo` (output-gate weights), `(n_a, n_a + n_x)`. */
  readonly dWo: Tensor;
  /** Gradient with respect to `bo` (output-gate bias), summed over the batch, `(n_a, 1)`. */
  readonly dbo: Tensor;
}

/** Gradients of one LSTM step: `dxt (n_x,m)`, `daPrev (n_a,m)`, `dcPrev (n_a,m)` and the weight gradients. */
export interface LstmCellBackwardResult extends LstmWeightGrads {
  /** Gradient with respect to `xt`, `(n_x, m)`. */
  readonly dxt: Tensor;
  /** Gradient with respect to `aPrev`, `(n_a, m)`. */
  readonly daPrev: Tensor;
  /** Gradient with respect to `cPrev`, `dc ⊙ ft`, `(n_a, m)`. */
  readonly dcPrev: Tensor;
}

/** The weights of a GRU's gates and candidate (what its sequence kernels take): `Wz, Wr (n_a, n_a+n_x)`, `Whx (n_a,n_x)`, `Whh (n_a,n_a)`, biases `(n_a,1)`. */
export interface GruRecurrentWeights {
  /** Update-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wz: Tensor;
  /** Update-gate bias, `(n_a, 1)`. */
  readonly bz: Tensor;
  /** Reset-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wr: Tensor;
  /** Reset-gate bias, `(n_a, 1)`. */
  readonly br: Tensor;
  /** Candidate input weights, `(n_a, n_x)`. */
  readonly Whx: Tensor;
  /** Candidate input bias, `(n_a, 1)`. */
  readonly bhx: Tensor;
  /** Candidate recurrent weights, `(n_a, n_a)`, applied before the reset gate. */
  readonly Whh: Tensor;
  /** Candidate recurrent bias, `(n_a, 1)`. */
  readonly bhh: Tensor;
}

/** GRU parameters: `Wz, Wr (n_a, n_a+n_x)`, `Whx (n_a,n_x)`, `Whh (n_a,n_a)`, biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface GruParameters extends GruRecurrentWeights {
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly Wy: Tensor;
  /** Output bias, `(n_y, 1)`. */
  readonly by: Tensor;
}

/** Inputs of one GRU step: `xt (n_x,m)`, `aPrev (n_a,m)` and the parameters. */
export interface GruCellForwardArgs extends GruParameters {
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
}

/** Outputs of one GRU step, each `(n_a,m)` except `ytPred (n_y,m)`: the new state and the activations. */
export interface GruCellForwardResult extends GruGateActivations {
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Prediction `softmax(Wy·aNext + by)`, `(n_y, m)`. */
  readonly ytPred: Tensor;
}

/** Inputs of one GRU step backward; `daCarry` (optional) is added to `daNext`. */
export interface GruCellBackwardArgs extends GruGateActivations {
  /** Gradient with respect to `aNext` from outside the recurrence, `(n_a, m)`. */
  readonly daNext: Tensor;
  /** Gradient flowing back through time into `aNext`, added to `daNext` when given, `(n_a, m)`. */
  readonly daCarry?: Tensor | undefined;
  /** Hidden state from the previous step, `(n_a, m)`. */
  readonly aPrev: Tensor;
  /** Input at this time step, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Update-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wz: Tensor;
  /** Reset-gate weights, `(n_a, n_a + n_x)`. */
  readonly Wr: Tensor;
  /** Candidate input weights, `(n_a, n_x)`. */
  readonly Whx: Tensor;
  /** Candidate recurrent weights, `(n_a, n_a)`. */
  readonly Whh: Tensor;
}

/** Gradients of one GRU step: `dxt (n_x,m)`, `daPrev (n_a,m)` and the weight gradients. */
export interface GruCellBackwardResult extends GruWeightGrads {
  /** Gradient with respect to `xt`, `(n_x, m)`. */
  readonly dxt: Tensor;
  /** Gradient with respect to `aPrev`, `(n_a, m)`. */
  readonly daPrev: Tensor;
}
