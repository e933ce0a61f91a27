import type { DataArray, DType } from './dtype.js';
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

/** Inputs of one RNN cell step. Shapes: `xt (n_x,m)`, `aPrev (n_a,m)`, `Waa (n_a,n_a)`, `Wax (n_a,n_x)`, `ba (n_a,1)`, `Wya (n_y,n_a)`, `by (n_y,1)`. */
export interface RnnCellForwardArgs {
  readonly xt: Tensor;
  readonly aPrev: Tensor;
  readonly Waa: Tensor;
  readonly Wax: Tensor;
  readonly ba: Tensor;
  readonly Wya: Tensor;
  readonly by: Tensor;
}

/** `aNext = tanh(Waa·aPrev + Wax·xt + ba)` `(n_a,m)`; `ytPred = softmax(Wya·aNext + by)` `(n_y,m)`. */
export interface RnnCellForwardResult {
  readonly aNext: Tensor;
  readonly ytPred: Tensor;
}

/** Inputs of one RNN cell step backward; `daCarry` (optional) is added to `daNext`. */
export interface RnnCellBackwardArgs {
  readonly daNext: Tensor;
  readonly daCarry?: Tensor | undefined;
  readonly aNext: Tensor;
  readonly aPrev: Tensor;
  readonly xt: Tensor;
  readonly Waa: Tensor;
  readonly Wax: Tensor;
}

/** Weight gradients of an RNN cell: `dWax (n_a,n_x)`, `dWaa (n_a,n_a)`, `dba (n_a,1)`. */
export interface RnnWeightGrads {
  readonly dWax: Tensor;
  readonly dWaa: Tensor;
  readonly dba: Tensor;
}

/** Gradients of one RNN cell step: `dxt (n_x,m)`, `daPrev (n_a,m)` and the weight gradients. */
export interface RnnCellBackwardResult extends RnnWeightGrads {
  readonly dxt: Tensor;
  readonly daPrev: Tensor;
}

/** Inputs of one LSTM cell step. Gate weights are `(n_a, n_a+n_x)`, gate biases `(n_a,1)`, `Wy (n_y,n_a)`, `by (n_y,1)`. */
export interface LstmCellForwardArgs {
  readonly xt: Tensor;
  readonly aPrev: Tensor;
  readonly cPrev: Tensor;
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

/** Outputs of one LSTM step, each `(n_a,m)` except `ytPred (n_y,m)`: the new state and the gate activations. */
export interface LstmCellForwardResult {
  readonly aNext: Tensor;
  readonly cNext: Tensor;
  readonly ft: Tensor;
  readonly it: Tensor;
  readonly cct: Tensor;
  readonly ot: Tensor;
  readonly ytPred: Tensor;
}

/** Inputs of one LSTM step backward; `daCarry` (optional) is added to `daNext`. */
export interface LstmCellBackwardArgs {
  readonly daNext: Tensor;
  readonly daCarry?: Tensor | undefined;
  readonly dcNext: Tensor;
  readonly cNext: Tensor;
  readonly aPrev: Tensor;
  readonly cPrev: Tensor;
  readonly ft: Tensor;
  readonly it: Tensor;
  readonly cct: Tensor;
  readonly ot: Tensor;
  readonly xt: Tensor;
  readonly Wf: Tensor;
  readonly Wi: Tensor;
  readonly Wc: Tensor;
  readonly Wo: Tensor;
}

/** Weight gradients of an LSTM cell: `dW* (n_a, n_a+n_x)`, `db* (n_a,1)`. */
export interface LstmWeightGrads {
  readonly dWf: Tensor;
  readonly dbf: Tensor;
  readonly dWi: Tensor;
  readonly dbi: Tensor;
  readonly dWc: Tensor;
  readonly dbc: Tensor;
  readonly dWo: Tensor;
  readonly dbo: Tensor;
}

/** Gradients of one LSTM step: `dxt (n_x,m)`, `daPrev (n_a,m)`, `dcPrev (n_a,m)` and the weight gradients. */
export interface LstmCellBackwardResult extends LstmWeightGrads {
  readonly dxt: Tensor;
  readonly daPrev: Tensor;
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
  /** Reads storage back synchronously. Backends whose device reads only asynchronously throw a `BackendError`. */
  read(id: DataId): DataArray;
  /** Reads storage back, waiting for pending device work. */
  readAsync(id: DataId): Promise<DataArray>;
  /** Frees one handle's storage. Releasing twice is allowed and does nothing. */
  release(id: DataId): void;
  /** Live handles and bytes held. */
  memory(): MemoryInfo;
  /** Frees everything this backend holds; the backend cannot be used afterwards. */
  dispose(): void;
}
