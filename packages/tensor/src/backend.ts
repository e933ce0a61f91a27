import type { DataArray, DType } from './dtype.js';
import type {
  GruCellBackwardArgs,
  GruCellBackwardResult,
  GruCellForwardArgs,
  GruCellForwardResult,
  LstmCellBackwardArgs,
  LstmCellBackwardResult,
  LstmCellForwardArgs,
  LstmCellForwardResult,
  LstmWeightGrads,
  RnnCellBackwardArgs,
  RnnCellBackwardResult,
  RnnCellForwardArgs,
  RnnCellForwardResult,
  RnnWeightGrads,
} from './cell-kernels.js';
import type {
  GruWeightGrads,
  GruSequenceBackwardArgs,
  GruSequenceBackwardResult,
  GruSequenceForwardArgs,
  GruSequenceForwardResult,
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
  /**
   * The elements `[offset, offset + size(shape))` of `t` in C order, as a tensor of `shape`: a row
   * block of the first axis (one direction's states in `(2·n_a, m, T)`, one layer's `(n_a, m)` of
   * `(L, n_a, m)`). A backend may return a view that shares `t`'s storage.
   */
  sliceFlat(t: Tensor, offset: number, shape: readonly number[]): Tensor;
  /** The elements of `parts` one after another, as a tensor of `shape` (whose size is their total): concatenation along the first axis. */
  concatFlat(parts: readonly Tensor[], shape: readonly number[]): Tensor;
  /** `t` with every column `j` of its last axis zeroed where `keep[j]` is false (a batch's empty examples). */
  maskColumns(t: Tensor, keep: readonly boolean[]): Tensor;
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
  /** One GRU step forward, fused: the gates, the candidate, the new state and the softmax output. */
  gruCellForward(args: GruCellForwardArgs): GruCellForwardResult;
  /** One GRU step backward; with `accumulate`, the weight gradients returned are `accumulate + this step's`. */
  gruCellBackward(args: GruCellBackwardArgs, accumulate?: GruWeightGrads): GruCellBackwardResult;
  /**
   * A GRU's recurrence over a whole sequence (reset gate after the recurrent product): the input
   * projection of every step first, then only the recurrent products inside the loop.
   */
  gruSequenceForward(args: GruSequenceForwardArgs): GruSequenceForwardResult;
  /** Backpropagation through time over `gruSequenceForward`'s tape; weight gradients are one product over all steps. */
  gruSequenceBackward(args: GruSequenceBackwardArgs): GruSequenceBackwardResult;
  /** The output layer of every step at once: `ŷ = softmax(W·a + b)`, `(n_y, m, T_x)`, the softmax over the classes. */
  softmaxOutput(args: SoftmaxOutputArgs): Tensor;
  /** A linear output layer of every step at once: `ŷ = W·a + b`, `(n_y, m, T_x)` (for regression). */
  linearOutput(args: SoftmaxOutputArgs): Tensor;
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
  /**
   * The dtype this backend computes in when it has one: `float32` for gpu.js, which stores and
   * computes float64 tensors in float32. Libraries choose their default dtype from it (a model
   * on gpu.js holds float32 tensors, and nothing is rounded on upload); absent when the backend
   * computes in the dtype of the tensors it is given, as the CPU backend does.
   */
  readonly computeDType?: DType | undefined;
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
