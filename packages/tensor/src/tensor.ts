import type { Backend, DataId } from './backend.js';
import { toDataArray, formatShape, sizeOf, type DataArray, type DType } from './dtype.js';
import { DisposedTensorError, InvalidArgumentError } from './errors.js';
import { track } from './lifetime.js';

/** Nested number arrays in NumPy `tolist()` order; a scalar tensor reads as a number. */
export type NestedArray = number | NestedArray[];

/** The ranks `toArray(rank)` and `array(rank)` type their result for. */
export type Rank = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * The nested arrays of a tensor of rank `R`: `NestedArrayOfRank<0>` is `number`,
 * `NestedArrayOfRank<3>` is `number[][][]`; for a rank not known when compiling, `NestedArray`.
 * `Depth` counts the levels already nested while the type is built; leave it out.
 */
export type NestedArrayOfRank<R extends number, Depth extends readonly unknown[] = []> = number extends R
  ? NestedArray
  : R extends unknown
    ? Depth['length'] extends R
      ? number
      : NestedArrayOfRank<R, [...Depth, unknown]>[]
    : never;

type Home = { readonly kind: 'host'; readonly values: DataArray } | { readonly kind: 'device'; readonly backend: Backend; readonly id: DataId };

/** The backend handles a tensor holds: its own (a kernel output) and the copies uploaded to other backends. */
interface Handles {
  readonly own: { readonly backend: Backend; readonly id: DataId } | null;
  readonly copies: Map<Backend, DataId>;
}

function releaseHandles(handles: Handles): void {
  if (handles.own !== null) handles.own.backend.release(handles.own.id);
  for (const [backend, id] of handles.copies) backend.release(id);
  handles.copies.clear();
}

/**
 * Gives back the backend memory of tensors that were garbage collected without `dispose()`, so a
 * program that forgets to dispose does not leak device memory. Made on first use.
 */
let collected: FinalizationRegistry<Handles> | undefined;

/**
 * An immutable n-dimensional array stored row-major (C order) in a flat typed array.
 *
 * A tensor lives either on the host (made by `tensor`, `zeros` or `RandomState`) or on a
 * backend (made by a kernel). A host tensor is uploaded to a backend the first time a kernel
 * there needs it, and that copy is kept until `dispose()`. Device data comes back to the
 * host only when you read it (`toArray`, `dataSync`, `array`, `data`).
 */
export class Tensor {
  /** Dimensions, outermost first, as in NumPy. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  readonly #home: Home;
  readonly #handles: Handles;
  #disposed = false;

  private constructor(home: Home, shape: readonly number[], dtype: DType) {
    this.#home = home;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.#handles = { own: home.kind === 'device' ? { backend: home.backend, id: home.id } : null, copies: new Map() };
    collected ??= new FinalizationRegistry(releaseHandles);
    collected.register(this, this.#handles, this);
    track(this);
  }

  /**
   * Wraps host values (kept, not copied: the caller hands them over). `values` must be a
   * `Float64Array` for `float64` and a `Float32Array` for `float32`, holding exactly as many
   * values as `shape` has elements; otherwise an `InvalidArgumentError` is thrown.
   */
  static fromHost(values: DataArray, shape: readonly number[], dtype: DType): Tensor {
    const fn = 'Tensor.fromHost';
    checkShape(shape, fn);
    checkDType(dtype, fn);
    const kind = values instanceof Float64Array ? 'float64' : values instanceof Float32Array ? 'float32' : null;
    if (kind !== dtype) {
      throw new InvalidArgumentError(fn, 'values', `is ${kind === null ? 'not a Float64Array or Float32Array' : `a ${kind === 'float64' ? 'Float64Array' : 'Float32Array'}`} but dtype is '${dtype}' (a ${dtype} tensor stores a ${dtype === 'float64' ? 'Float64Array' : 'Float32Array'})`);
    }
    if (values.length !== sizeOf(shape)) {
      throw new InvalidArgumentError(fn, 'values', `holds ${values.length} values but shape ${formatShape(shape)} holds ${sizeOf(shape)}`);
    }
    return new Tensor({ kind: 'host', values }, shape, dtype);
  }

  /** Wraps storage a backend made; used by backends for kernel outputs. */
  static fromDevice(backend: Backend, id: DataId, shape: readonly number[]): Tensor {
    return new Tensor({ kind: 'device', backend, id }, shape, id.dtype);
  }

  /** The backend this tensor was made on, or `null` for a host tensor. */
  get backend(): Backend | null {
    return this.#home.kind === 'device' ? this.#home.backend : null;
  }

  /** True once `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * The handle of this tensor's data on `backend`, uploading it first when it lives elsewhere
   * (the upload is kept for later calls). A tensor from another backend is read back
   * synchronously for that.
   */
  dataIdOn(backend: Backend): DataId {
    this.#assertLive('Tensor.dataIdOn');
    const home = this.#home;
    if (home.kind === 'device' && home.backend === backend) return home.id;
    let copy = this.#handles.copies.get(backend);
    if (copy === undefined) {
      const values = home.kind === 'host' ? home.values : home.backend.read(home.id).slice(); // read may return storage
      copy = backend.upload(values, this.dtype);
      this.#handles.copies.set(backend, copy);
    }
    return copy;
  }

  /** A copy of the flat values, C order. Throws on a backend that reads only asynchronously. */
  dataSync(): DataArray {
    this.#assertLive('Tensor.dataSync');
    const home = this.#home;
    return home.kind === 'host' ? home.values.slice() : home.backend.read(home.id).slice();
  }

  /** A copy of the flat values, C order, waiting for device work to finish. */
  async data(): Promise<DataArray> {
    this.#assertLive('Tensor.data');
    const home = this.#home;
    return home.kind === 'host' ? home.values.slice() : (await home.backend.readAsync(home.id)).slice();
  }

  /**
   * Nested arrays in NumPy `tolist()` order. Given the tensor's rank, the result is typed by it
   * (`toArray(3)` is a `number[][][]`) and a tensor of another rank is refused with an
   * `InvalidArgumentError`.
   *
   * ```ts
   * const rows = tensor([[1, 2], [3, 4]]).toArray(2);   // number[][]: [[1, 2], [3, 4]]
   * for (const row of rows) console.log(row.join(' '));
   * ```
   */
  toArray(): NestedArray;
  toArray<R extends Rank>(rank: R): NestedArrayOfRank<R>;
  toArray(rank?: Rank): NestedArray {
    if (rank !== undefined) this.#checkRank('Tensor.toArray', rank);
    return nest(this.dataSync(), this.shape);
  }

  /** `toArray()` for backends that read asynchronously; `array(3)` is typed `number[][][]` as `toArray(3)` is. */
  async array(): Promise<NestedArray>;
  async array<R extends Rank>(rank: R): Promise<NestedArrayOfRank<R>>;
  async array(rank?: Rank): Promise<NestedArray> {
    if (rank !== undefined) this.#checkRank('Tensor.array', rank);
    return nest(await this.data(), this.shape);
  }

  /**
   * One element, NumPy's `t[i, j, k]`: `a.at(4, 3, 6)` is NumPy's `a[4][3][6]`. Negative indices
   * count from the end, as in NumPy. Reads synchronously, as `dataSync` does (use `await t.data()`
   * on a backend that reads only asynchronously). Throws an `InvalidArgumentError` when the
   * number of indices is not the rank or an index is out of range.
   */
  at(...index: number[]): number {
    const fn = 'Tensor.at';
    this.#assertLive(fn);
    if (index.length !== this.shape.length) {
      throw new InvalidArgumentError(fn, 'index', `has ${index.length} indices but the tensor has shape ${formatShape(this.shape)} (rank ${this.shape.length})`);
    }
    let offset = 0;
    this.shape.forEach((dim, axis) => {
      const i = index[axis] as number;
      if (!Number.isInteger(i) || i < -dim || i >= dim) {
        throw new InvalidArgumentError(fn, `index[${axis}]`, `is ${i}, outside [${-dim}, ${dim}) for shape ${formatShape(this.shape)}`);
      }
      offset = offset * dim + (i < 0 ? i + dim : i);
    });
    const home = this.#home;
    const values = home.kind === 'host' ? home.values : home.backend.read(home.id);
    return values[offset] as number;
  }

  /**
   * Frees this tensor's storage on every backend that holds it, now. Disposing twice does nothing.
   * A tensor that becomes unreachable without `dispose()` is freed when it is garbage collected;
   * `dispose()` (or `tidy`) frees at a moment you choose.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    collected?.unregister(this);
    releaseHandles(this.#handles);
  }

  /** `Tensor(float64, [5, 10])`. */
  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }

  #assertLive(fn: string): void {
    if (this.#disposed) throw new DisposedTensorError(fn, 'this tensor');
  }

  #checkRank(fn: string, rank: number): void {
    if (rank !== this.shape.length) {
      throw new InvalidArgumentError(fn, 'rank', `is ${rank} but the tensor has shape ${formatShape(this.shape)} (rank ${this.shape.length})`);
    }
  }
}

function nest(flat: DataArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return flat[0] ?? Number.NaN;
  const build = (offset: number, axis: number): NestedArray[] => {
    const dim = shape[axis] ?? 0;
    const stride = sizeOf(shape.slice(axis + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < dim; i++) {
      out.push(axis === shape.length - 1 ? (flat[offset + i] ?? Number.NaN) : build(offset + i * stride, axis + 1));
    }
    return out;
  };
  return build(0, 0);
}

function inferShape(values: NestedArray, fn: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0] as NestedArray;
  }
  const flatLength = sizeOf(shape);
  const flat: number[] = [];
  const walk = (v: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (typeof v !== 'number') throw new InvalidArgumentError(fn, 'values', 'is a ragged nested array');
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new InvalidArgumentError(fn, 'values', `is a ragged nested array (axis ${axis} should have length ${shape[axis]})`);
    }
    for (const item of v) walk(item, axis + 1);
  };
  walk(values, 0);
  if (flat.length !== flatLength) throw new InvalidArgumentError(fn, 'values', 'is a ragged nested array');
  return shape;
}

function flatten(values: NestedArray, out: number[] = []): number[] {
  if (Array.isArray(values)) for (const item of values) flatten(item, out);
  else out.push(values);
  return out;
}

function checkShape(shape: readonly number[], fn: string): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(fn, 'shape', `must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

function checkDType(dtype: DType, fn: string): void {
  if (dtype !== 'float64' && dtype !== 'float32') throw new InvalidArgumentError(fn, 'dtype', `must be 'float64' or 'float32', got ${String(dtype)}`);
}

/**
 * Makes a host tensor from nested arrays (shape inferred) or from flat values with a shape.
 *
 * ```ts
 * tensor([[1, 2], [3, 4]]);              // float64, shape [2, 2]
 * tensor([1, 2, 3, 4], [2, 2], 'float32');
 * ```
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float64'): Tensor {
  const fn = 'tensor';
  checkDType(dtype, fn);
  let flat: ArrayLike<number>;
  let finalShape: readonly number[];
  if (ArrayBuffer.isView(values) || (typeof values === 'object' && !Array.isArray(values))) {
    flat = values as ArrayLike<number>;
    finalShape = shape ?? [flat.length];
  } else {
    const nested = values as NestedArray;
    const inferred = inferShape(nested, fn);
    flat = flatten(nested);
    finalShape = shape ?? inferred;
  }
  checkShape(finalShape, fn);
  if (sizeOf(finalShape) !== flat.length) {
    throw new InvalidArgumentError(fn, 'shape', `${formatShape(finalShape)} holds ${sizeOf(finalShape)} elements but ${flat.length} values were given`);
  }
  return Tensor.fromHost(toDataArray(flat, dtype), finalShape, dtype);
}

/** A host tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  checkShape(shape, 'zeros');
  checkDType(dtype, 'zeros');
  const size = sizeOf(shape);
  return Tensor.fromHost(dtype === 'float32' ? new Float32Array(size) : new Float64Array(size), shape, dtype);
}
