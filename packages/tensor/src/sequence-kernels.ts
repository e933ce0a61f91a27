import type { Backend } from './backend.js';
import type { GruRecurrentWeights, LstmGateActivations, LstmGateWeights, LstmWeightGrads, RnnRecurrentWeights, RnnWeightGrads } from './cell-kernels.js';
import type { Tensor } from './tensor.js';

/**
 * What a sequence forward kernel keeps for its backward pass. Only the backend that made a tape
 * knows what it holds (hidden states, cell states and gate activations of every step, in the
 * layout its backward reads fastest); everyone else can only hand it back or dispose it.
 */
export interface SequenceTape {
  /** The backend whose sequence backward reads this tape. */
  readonly backend: Backend;
  /** True once `dispose()` was called. */
  readonly isDisposed: boolean;
  /** Frees what the tape holds. Disposing twice does nothing. */
  dispose(): void;
}

/**
 * How a sequence kernel walks the steps. By default from the first step to the last over every
 * example; `reverse` walks from the last to the first (the backward direction of a
 * bidirectional layer); `lengths` gives each example of a padded batch its own length: a step at
 * or past an example's length leaves its state unchanged, its outputs zero and takes no gradient
 * (ONNX's `sequence_lens`; in reverse, an example starts at its own last step).
 */
export interface SequenceOptions {
  /** Walk the steps from the last to the first. */
  readonly reverse?: boolean | undefined;
  /** `m` integers in `[0, T_x]`: the steps each example has. */
  readonly lengths?: readonly number[] | undefined;
}

/**
 * Cell clipping, as ONNX's `clip` attribute: every gate's and candidate's pre-activation is
 * clamped to `[−clip, clip]` before its activation. A forward-only option: a tape made with it
 * has no backward (the sequence backward refuses it).
 */
export interface ClipOption {
  /** The threshold, a positive number. */
  readonly clip?: number | undefined;
}

/** Inputs of an RNN over a whole sequence: `x (n_x, m, T_x)`, `a0 (n_a, m)`, `Waa (n_a, n_a)`, `Wax (n_a, n_x)`, `ba (n_a, 1)`. */
export interface RnnSequenceForwardArgs extends SequenceOptions, ClipOption, RnnRecurrentWeights {
  /** Inputs of every step, `(n_x, m, T_x)`, time last. */
  readonly x: Tensor;
  /** Initial hidden state, `(n_a, m)`. */
  readonly a0: Tensor;
}

/** The tensors of one RNN step, for the per-step caches: `xt (n_x, m)`, `aNext (n_a, m)`. */
export interface RnnStepTensors {
  /** Input at this step, `x[:, :, t]`, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
}

/** An RNN's recurrence over a sequence: the stacked states, the per-step tensors and the tape. */
export interface RnnSequenceForwardResult {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Step `t`'s input and hidden state; a backend may compute these only when they are read. */
  readonly steps: readonly RnnStepTensors[];
  /** What `rnnSequenceBackward` reads. */
  readonly tape: SequenceTape;
}

/** Inputs of an RNN's backpropagation through time over a tape from `rnnSequenceForward`. */
export interface RnnSequenceBackwardArgs {
  /** Gradient with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`. */
  readonly da: Tensor;
  /** The forward pass's tape. */
  readonly tape: SequenceTape;
  /** Hidden-to-hidden weights the forward ran with, `(n_a, n_a)`. */
  readonly Waa: Tensor;
  /** Input-to-hidden weights the forward ran with, `(n_a, n_x)`. */
  readonly Wax: Tensor;
}

/** Gradients of an RNN over a sequence: `dx (n_x, m, T_x)`, `da0 (n_a, m)` and the weight gradients summed over the steps. */
export interface RnnSequenceBackwardResult extends RnnWeightGrads {
  /** Gradient with respect to `x`, `(n_x, m, T_x)`. */
  readonly dx: Tensor;
  /** Gradient with respect to `a0`, `(n_a, m)`. */
  readonly da0: Tensor;
}

/**
 * An LSTM's peephole weights, as ONNX's `P`: the forget and update gates also see `P ⊙ c⟨t−1⟩`,
 * the output gate `Po ⊙ c⟨t⟩`. Each `(n_a, 1)`. Forward only, like `clip`.
 */
export interface LstmPeepholes {
  /** Update (input) gate peephole, `(n_a, 1)`. */
  readonly Pi: Tensor;
  /** Output gate peephole, `(n_a, 1)`. */
  readonly Po: Tensor;
  /** Forget gate peephole, `(n_a, 1)`. */
  readonly Pf: Tensor;
}

/** Inputs of an LSTM over a whole sequence: `x (n_x, m, T_x)`, `a0` and `c0 (n_a, m)`, gate weights `(n_a, n_a + n_x)` and biases `(n_a, 1)`. */
export interface LstmSequenceForwardArgs extends SequenceOptions, ClipOption, LstmGateWeights {
  /** Peephole weights (forward only). */
  readonly peepholes?: LstmPeepholes | undefined;
  /** Couple the forget gate to the update gate, `ft = 1 − it` (ONNX `input_forget`; forward only). */
  readonly inputForget?: boolean | undefined;
  /** Inputs of every step, `(n_x, m, T_x)`, time last. */
  readonly x: Tensor;
  /** Initial hidden state, `(n_a, m)`. */
  readonly a0: Tensor;
  /** Initial cell state, `(n_a, m)`. */
  readonly c0: Tensor;
}

/** The tensors of one LSTM step, for the per-step caches: `xt (n_x, m)`, the new state and the gate activations, each `(n_a, m)`. */
export interface LstmStepTensors extends LstmGateActivations {
  /** Input at this step, `x[:, :, t]`, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
  /** Cell state after this step, `(n_a, m)`. */
  readonly cNext: Tensor;
}

/** An LSTM's recurrence over a sequence: the stacked states, the per-step tensors and the tape. */
export interface LstmSequenceForwardResult {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Cell states of every step, `(n_a, m, T_x)`. */
  readonly c: Tensor;
  /** Step `t`'s input, state and gates; a backend may compute these only when they are read. */
  readonly steps: readonly LstmStepTensors[];
  /** What `lstmSequenceBackward` reads. */
  readonly tape: SequenceTape;
}

/** Inputs of an LSTM's backpropagation through time over a tape from `lstmSequenceForward`. */
export interface LstmSequenceBackwardArgs {
  /** Gradient with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`. */
  readonly da: Tensor;
  /** The forward pass's tape. */
  readonly tape: SequenceTape;
  /** Forget-gate weights the forward ran with, `(n_a, n_a + n_x)`. */
  readonly Wf: Tensor;
  /** Update-gate weights the forward ran with, `(n_a, n_a + n_x)`. */
  readonly Wi: Tensor;
  /** Candidate-cell weights the forward ran with, `(n_a, n_a + n_x)`. */
  readonly Wc: Tensor;
  /** Output-gate weights the forward ran with, `(n_a, n_a + n_x)`. */
  readonly Wo: Tensor;
}

/** Gradients of an LSTM over a sequence: `dx`, `da0`, `dc0` and the gate weight gradients summed over the steps. */
export interface LstmSequenceBackwardResult extends LstmWeightGrads {
  /** Gradient with respect to `x`, `(n_x, m, T_x)`. */
  readonly dx: Tensor;
  /** Gradient with respect to `a0`, `(n_a, m)`. */
  readonly da0: Tensor;
  /** Gradient with respect to `c0`, `(n_a, m)`. */
  readonly dc0: Tensor;
}

/** Inputs of a GRU over a whole sequence (reset gate after the recurrent product): `x (n_x, m, T_x)`, `a0 (n_a, m)`, `Wz, Wr (n_a, n_a + n_x)`, `Whx (n_a, n_x)`, `Whh (n_a, n_a)`, biases `(n_a, 1)`. */
export interface GruSequenceForwardArgs extends SequenceOptions, ClipOption, GruRecurrentWeights {
  /**
   * Apply the reset gate after the recurrent product (default true: PyTorch, Keras, ONNX
   * `linear_before_reset = 1`); false is ONNX's default `0`, `hct = tanh(Whx·xt + bhx + Whh·(rt ⊙ aPrev) + bhh)`,
   * forward only.
   */
  readonly linearBeforeReset?: boolean | undefined;
  /** Inputs of every step, `(n_x, m, T_x)`, time last. */
  readonly x: Tensor;
  /** Initial hidden state, `(n_a, m)`. */
  readonly a0: Tensor;
}

/** The GRU's per-step activations, each `(n_a, m)`. */
export interface GruGateActivations {
  /** Update gate `σ(Wz·[aPrev; xt] + bz)`. */
  readonly zt: Tensor;
  /** Reset gate `σ(Wr·[aPrev; xt] + br)`. */
  readonly rt: Tensor;
  /** Candidate `tanh(Whx·xt + bhx + rt ⊙ hh)`. */
  readonly hct: Tensor;
  /** Recurrent part of the candidate, `Whh·aPrev + bhh` (`Whh·(rt ⊙ aPrev) + bhh` with `linearBeforeReset: false`). */
  readonly hh: Tensor;
}

/** The tensors of one GRU step, for the per-step caches: `xt (n_x, m)`, `aNext` and the activations, each `(n_a, m)`. */
export interface GruStepTensors extends GruGateActivations {
  /** Input at this step, `x[:, :, t]`, `(n_x, m)`. */
  readonly xt: Tensor;
  /** Hidden state after this step, `(n_a, m)`. */
  readonly aNext: Tensor;
}

/** A GRU's recurrence over a sequence: the stacked states, the per-step tensors and the tape. */
export interface GruSequenceForwardResult {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Step `t`'s input, state and activations; a backend may compute these only when they are read. */
  readonly steps: readonly GruStepTensors[];
  /** What `gruSequenceBackward` reads. */
  readonly tape: SequenceTape;
}

/** Inputs of a GRU's backpropagation through time over a tape from `gruSequenceForward`. */
export interface GruSequenceBackwardArgs {
  /** Gradient with respect to every hidden state from outside the recurrence, `(n_a, m, T_x)`. */
  readonly da: Tensor;
  /** The forward pass's tape. */
  readonly tape: SequenceTape;
  /** Update-gate weights the forward ran with. */
  readonly Wz: Tensor;
  /** Reset-gate weights the forward ran with. */
  readonly Wr: Tensor;
  /** Candidate input weights the forward ran with. */
  readonly Whx: Tensor;
  /** Candidate recurrent weights the forward ran with. */
  readonly Whh: Tensor;
}

/** Weight gradients of a GRU: `dWz, dWr (n_a, n_a + n_x)`, `dWhx (n_a, n_x)`, `dWhh (n_a, n_a)`, biases `(n_a, 1)`. */
export interface GruWeightGrads {
  /** Gradient with respect to `Wz`. */
  readonly dWz: Tensor;
  /** Gradient with respect to `bz`. */
  readonly dbz: Tensor;
  /** Gradient with respect to `Wr`. */
  readonly dWr: Tensor;
  /** Gradient with respect to `br`. */
  readonly dbr: Tensor;
  /** Gradient with respect to `Whx`. */
  readonly dWhx: Tensor;
  /** Gradient with respect to `bhx`. */
  readonly dbhx: Tensor;
  /** Gradient with respect to `Whh`. */
  readonly dWhh: Tensor;
  /** Gradient with respect to `bhh`. */
  readonly dbhh: Tensor;
}

/** Gradients of a GRU over a sequence: `dx`, `da0` and the weight gradients summed over the steps. */
export interface GruSequenceBackwardResult extends GruWeightGrads {
  /** Gradient with respect to `x`, `(n_x, m, T_x)`. */
  readonly dx: Tensor;
  /** Gradient with respect to `a0`, `(n_a, m)`. */
  readonly da0: Tensor;
}

/** Inputs of the output layer over a sequence: `ŷ = softmax(W·a + b)` for every step. */
export interface SoftmaxOutputArgs {
  /** Hidden states of every step, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly W: Tensor;
  /** Output bias, `(n_y, 1)`. */
  readonly b: Tensor;
}

/** Inputs of the output layer's backward over a sequence, from the gradient of its logits. */
export interface OutputBackwardArgs {
  /** Gradient with respect to the logits `z = W·a + b` of every step, `(n_y, m, T_x)`. */
  readonly dz: Tensor;
  /** Hidden states of every step the forward read, `(n_a, m, T_x)`. */
  readonly a: Tensor;
  /** Hidden-to-output weights, `(n_y, n_a)`. */
  readonly W: Tensor;
}

/** Gradients of the output layer: `da = Wᵀ·dz` `(n_a, m, T_x)`, `dW = Σ dz·aᵀ` `(n_y, n_a)`, `db = Σ dz` `(n_y, 1)`, sums over batch and time. */
export interface OutputBackwardResult {
  /** Gradient with respect to every hidden state, `(n_a, m, T_x)`. */
  readonly da: Tensor;
  /** Gradient with respect to `W`, `(n_y, n_a)`. */
  readonly dW: Tensor;
  /** Gradient with respect to `b`, `(n_y, 1)`. */
  readonly db: Tensor;
}
