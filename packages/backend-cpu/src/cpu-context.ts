import type { Backend, DataArray, DType, Tensor } from '@rnn/tensor';

/** What a CPU kernel needs from its backend: the storage of its inputs and a way to return outputs. */
export interface CpuContext {
  readonly backend: Backend;
  /** The flat values of `t` on this backend (uploaded first if `t` lives elsewhere). Never write to them. */
  readTensor(t: Tensor): DataArray;
  /**
   * Turns a float64 result into an output tensor of `dtype`: kept as is for float64, rounded
   * into a new Float32Array for float32. Returns the stored values too, so later math in the
   * same kernel sees exactly what the tensor holds.
   */
  store(values: Float64Array, shape: readonly number[], dtype: DType): { readonly tensor: Tensor; readonly values: DataArray };
}
