import type { DataArray, DType } from './dtype.js';
import type {
  LstmSequenceBackwardArgs,
  LstmSequenceBackwardResult,
  LstmSequenceForwardArgs,
  LstmSequenceForwardResult,
  OutputBackwardArgs,
  OutputBackwardResult,
  RnnSequenceBackwardArgs,
  RnnSequenceBackwardResult,
  RnnSequenceForwardArgs,
  RnnSequenceForwardResult,
  SoftmaxOutputArgs,
} from './sequence-kernels.js';
import type { Tensor } from './tensor.js';

/**
 * A handle to storage that a backend owns: a typed array on the CPU, a texture or a buffer
 * on a GPU. Tensors carry it; only the backend that made it can look inside.
 */
export class DataId {
  constructor(
    /** Name of the backend that made this handle. */
    readonly backend: string,
    /** Number of elements stored. */
    readonly size: number,
    /** Element type stored. */
    readonly dtype: DType,
  ) {}
}

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

/**
 * Every kernel the cells call. A backend implements all of them or does not compile.
 *
 * Kernels take tensors that are already on this backend (`Tensor.dataIdOn` moves them when
 * they are not), return new tensors on this backend, and never change their inputs. A cell
 * step is one kernel, so a GPU backend can fuse it into as few launches as it likes.
 */
export interface Kernels {
  /** `x (n,m,T)` → `x[:, :, t]` `(n,m)`. */
  sliceTime(x: Tensor, t: number): Tensor;
  /** `T` tensors `(n,m)` → `(n,m,T)`, step `t` at `[:, :, t]`. */
  stackTime(steps: readonly Tensor[]): Tensor;
  /** Element-wise `a + b` of two tensors of one shape. */
  add(a: Tensor, b: Tensor): Tensor;
  /** One RNN step forward, fused: matmuls, bias, tanh and the softmax output. */
  rnnCellForward(args: RnnCellForwardArgs): RnnCellForwardResult;
  /** One RNN step backward; with `accumulate`, the weight gradients returned are `accumulate + this step's`. */
  rnnCellBackward(args: RnnCellBackwardArgs, accumulate?: RnnWeightGrads): RnnCellBackwardResult;
  /** One LSTM step forward, fused: the four gates, the new state and the softmax output. */
  lstmCellForward(args: LstmCellForwardArgs): LstmCellForwardResult;
  /** One LSTM step backward; with `accumulate`, the weight gradients returned are `accumulate + this step's`. */
  lstmCellBackward(args: LstmCellBackwardArgs, accumulate?: LstmWeightGrads): LstmCellBackwardResult;
  /**
   * An RNN's recurrence over a whole sequence: the input projection `Wax·x⟨t⟩ + ba` of every step
   * first, then only `Waa·a⟨t−1⟩` inside the loop. No output layer (see `softmaxOutput`).
   */
  rnnSequenceForward(args: RnnSequenceForwardArgs): RnnSequenceForwardResult;
  /** Backpropagation through time over `rnnSequenceForward`'s tape; weight gradients are one product over all steps. */
  rnnSequenceBackward(args: RnnSequenceBackwardArgs): RnnSequenceBackwardResult;
  /**
   * An LSTM's recurrence over a whole sequence: the input projection of all four gates for every
   * step first, then only the recurrent product inside the loop. No output layer (see `softmaxOutput`).
   */
  lstmSequenceForward(args: LstmSequenceForwardArgs): LstmSequenceForwardResult;
  /** Backpropagation through time over `lstmSequenceForward`'s tape; weight gradients are one product over all steps. */
  lstmSequenceBackward(args: LstmSequenceBackwardArgs): LstmSequenceBackwardResult;
  /** The output layer of every step at once: `ŷ = softmax(W·a + b)`, `(n_y, m, T_x)`, the softmax over the classes. */
  softmaxOutput(args: SoftmaxOutputArgs): Tensor;
  /** The output layer's backward over every step at once, from the gradient of its logits. */
  outputBackward(args: OutputBackwardArgs): OutputBackwardResult;
}

/** The names of all kernels, for conformance tests and benchmarks. */
export type KernelName = keyof Kernels;

/** How much device memory a backend holds right now. */
export interface MemoryInfo {
  /** Live storage handles. */
  readonly tensors: number;
  /** Bytes held by those handles. */
  readonly bytes: number;
}

/**
 * A place where tensors live and kernels run. Memory (upload, read, release) plus a kernel
 * table; created explicitly by a factory such as `createCpuBackend()`, disposed by its owner.
 */
export interface Backend {
  /** Short name: `cpu`, `gpujs`. */
  readonly name: string;
  /** What actually executes the kernels, e.g. `js` for the CPU backend or `headlessgl`, `webgl2` for gpu.js. */
  readonly mode: string;
  /** Every kernel the cells use. */
  readonly kernels: Kernels;
  /**
   * Stores host values on this backend. The backend may keep `values` as its storage: the
   * caller hands it over and never changes it afterwards.
   */
  upload(values: DataArray, dtype: DType): DataId;
  /**
   * Reads storage back synchronously. The result may be the backend's own storage: callers must
   * not change it (`Tensor` hands users a copy). Backends whose device reads only
   * asynchronously throw a `BackendError`.
   */
  read(id: DataId): DataArray;
  /** Reads storage back, waiting for pending device work; the result may be storage, as for `read`. */
  readAsync(id: DataId): Promise<DataArray>;
  /** Frees one handle's storage. Releasing twice is allowed and does nothing. */
  release(id: DataId): void;
  /** Live handles and bytes held. */
  memory(): MemoryInfo;
  /** Frees everything this backend holds; the backend cannot be used afterwards. */
  dispose(): void;
}
