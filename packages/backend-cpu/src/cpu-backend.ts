import { BackendError, DataId, InvalidArgumentError, Tensor, type Backend, type DataArray, type DType, type Kernels, type MemoryInfo, type SequenceTape } from '@rnn/tensor';
import type { CpuContext, TimeMajorSource } from './cpu-context.js';
import type { Engine, EngineMode } from './engine/engine.js';
import { JsEngine } from './engine/js-engine.js';
import { matMul, PackedMatrix } from './engine/mat-mul.js';
import { ResidentPool, type ResidentArrays } from './engine/resident.js';
import { hasWasmSimd, WasmEngine } from './engine/wasm-engine.js';
import { gruCellBackward, gruCellForward } from './kernels/gru-cell.js';
import { gruSequenceBackward, gruSequenceForward } from './kernels/gru-sequence.js';
import { lstmCellBackward, lstmCellForward } from './kernels/lstm-cell.js';
import { lstmSequenceBackward, lstmSequenceForward } from './kernels/lstm-sequence.js';
import { outputBackward, softmaxOutput } from './kernels/output-layer.js';
import { rnnCellBackward, rnnCellForward } from './kernels/rnn-cell.js';
import { rnnSequenceBackward, rnnSequenceForward } from './kernels/rnn-sequence.js';
import { add, concatFlat, maskColumns, sliceFlat, sliceTime, stackTime } from './kernels/time-axis.js';

/** Options of `createCpuBackend`. */
export interface CpuBackendOptions {
  /**
   * What runs the kernels: `'wasm-simd'` (WebAssembly SIMD128; throws where it is missing),
   * `'js'` (plain TypeScript loops), or `'auto'` (the default): WebAssembly SIMD where the
   * JavaScript engine has it — Node ≥ 16.4 and every current browser — else TypeScript.
   */
  readonly engine?: EngineMode | 'auto' | undefined;
  /**
   * Threads the WebAssembly engine may split large calls over, the calling one included
   * (default 1). Above 1 the engine runs on shared memory with worker threads: Node's
   * `worker_threads`, or Web Workers on a cross-origin-isolated page; where neither is possible it
   * runs on one thread and `threadsUnavailable` says why. Calls too small to gain stay on the
   * calling thread.
   */
  readonly threads?: number | undefined;
}

/** The CPU backend: storage is a typed array per tensor, kernels run on a WebAssembly SIMD or a TypeScript engine. */
export interface CpuBackend extends Backend {
  readonly name: 'cpu';
  /** `wasm-simd` or `js`: the engine that runs the kernels. */
  readonly mode: EngineMode;
  /** Threads large calls are split over (1 unless `threads` was asked for and workers could start). */
  readonly threads: number;
  /** Why the threads asked for could not start, if they could not. */
  readonly threadsUnavailable: string | undefined;
  /** Engine calls split over more than one thread so far. */
  readonly splitCalls: number;
  /**
   * Resolves once the worker threads can take work (at once with one thread). Workers start in
   * the background; until they are ready the calling thread does their share.
   */
  ready(): Promise<void>;
  /**
   * `C = A·B` for row-major `A (M, K)` and `B (K, N)` (both float32 or both float64), with the
   * product every kernel here is built on: for benchmarks, or wherever a plain product is needed.
   *
   * @throws InvalidArgumentError when a length does not match its sizes or the dtypes differ.
   */
  matMul(A: DataArray, B: DataArray, M: number, K: number, N: number): DataArray;
  /**
   * `A (M, K)` packed once for many products `A·B` (`multiply(B, N)`), as the sequence kernels
   * pack a layer's weights once per sequence; `dispose()` frees it.
   *
   * @throws InvalidArgumentError when `A`'s length does not match `(M, K)`.
   */
  prepareMatMul(A: DataArray, M: number, K: number): PackedMatrix;
}

/** Storage of one handle: values, or a function that computes them on first read. */
type Slot = DataArray | { readonly make: () => DataArray; readonly settled: () => void };

/** How many bytes of tapes may stay in the engine's heap; beyond it the oldest move to host memory. */
const RESIDENT_BUDGET = 256 * 1024 * 1024;

/** What a live tape counts for in `memory()`, and what to release if it is garbage collected undisposed. */
interface TapeRecord {
  readonly arrays: ResidentArrays<string>;
  readonly bytes: number;
}

class CpuBackendImpl implements CpuBackend, CpuContext {
  readonly name = 'cpu';
  readonly backend: Backend = this;
  readonly engine: Engine;
  readonly pool = new ResidentPool(RESIDENT_BUDGET);
  readonly timeMajor = new WeakMap<Tensor, TimeMajorSource>();
  readonly #storage = new Map<DataId, Slot>();
  readonly #tapes = new Set<TapeRecord>();
  /** Releases the heap arrays of tapes dropped without `dispose()`. */
  readonly #finalizer = new FinalizationRegistry<TapeRecord>((record) => this.#forget(record));
  #disposed = false;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  get mode(): EngineMode {
    return this.engine.mode;
  }

  get threads(): number {
    return this.engine instanceof WasmEngine ? this.engine.threads : 1;
  }

  get threadsUnavailable(): string | undefined {
    return this.engine instanceof WasmEngine ? this.engine.threadsUnavailable : undefined;
  }

  get splitCalls(): number {
    return this.engine instanceof WasmEngine ? this.engine.splitCalls : 0;
  }

  async ready(): Promise<void> {
    if (this.engine instanceof WasmEngine) await this.engine.ready();
  }

  readonly kernels: Kernels = {
    sliceTime: (x, t) => sliceTime(this.#live('sliceTime'), x, t),
    stackTime: (steps) => stackTime(this.#live('stackTime'), steps),
    add: (a, b) => add(this.#live('add'), a, b),
    sliceFlat: (t, offset, shape) => sliceFlat(this.#live('sliceFlat'), t, offset, shape),
    concatFlat: (parts, shape) => concatFlat(this.#live('concatFlat'), parts, shape),
    maskColumns: (t, keep) => maskColumns(this.#live('maskColumns'), t, keep),
    rnnCellForward: (args) => rnnCellForward(this.#live('rnnCellForward'), args),
    rnnCellBackward: (args, acc) => rnnCellBackward(this.#live('rnnCellBackward'), args, acc),
    lstmCellForward: (args) => lstmCellForward(this.#live('lstmCellForward'), args),
    lstmCellBackward: (args, acc) => lstmCellBackward(this.#live('lstmCellBackward'), args, acc),
    rnnSequenceForward: (args) => rnnSequenceForward(this.#live('rnnSequenceForward'), args),
    rnnSequenceBackward: (args) => rnnSequenceBackward(this.#live('rnnSequenceBackward'), args),
    lstmSequenceForward: (args) => lstmSequenceForward(this.#live('lstmSequenceForward'), args),
    lstmSequenceBackward: (args) => lstmSequenceBackward(this.#live('lstmSequenceBackward'), args),
    gruCellForward: (args) => gruCellForward(this.#live('gruCellForward'), args),
    gruCellBackward: (args, acc) => gruCellBackward(this.#live('gruCellBackward'), args, acc),
    gruSequenceForward: (args) => gruSequenceForward(this.#live('gruSequenceForward'), args),
    gruSequenceBackward: (args) => gruSequenceBackward(this.#live('gruSequenceBackward'), args),
    softmaxOutput: (args) => softmaxOutput(this.#live('softmaxOutput'), args),
    linearOutput: (args) => softmaxOutput(this.#live('linearOutput'), args, false),
    outputBackward: (args) => outputBackward(this.#live('outputBackward'), args),
  };

  matMul(A: DataArray, B: DataArray, M: number, K: number, N: number): DataArray {
    return matMul(this.#live('matMul').engine, A, B, M, K, N);
  }

  prepareMatMul(A: DataArray, M: number, K: number): PackedMatrix {
    return new PackedMatrix(this.#live('prepareMatMul').engine, A, M, K);
  }

  upload(values: DataArray, dtype: DType): DataId {
    this.#live('upload');
    const id = new DataId('cpu', values.length, dtype);
    this.#storage.set(id, values);
    return id;
  }

  read(id: DataId): DataArray;
  read(t: Tensor): DataArray;
  read(what: DataId | Tensor): DataArray {
    this.#live('read');
    const id = what instanceof Tensor ? what.dataIdOn(this) : what;
    const slot = this.#storage.get(id);
    if (slot === undefined) throw new BackendError('read', 'cpu', 'this data was released or belongs to another backend');
    if ('make' in slot) {
      const values = slot.make();
      this.#storage.set(id, values);
      slot.settled();
      return values;
    }
    return slot;
  }

  async readAsync(id: DataId): Promise<DataArray> {
    return this.read(id);
  }

  release(id: DataId): void {
    const slot = this.#storage.get(id);
    if (slot !== undefined && 'make' in slot) slot.settled();
    this.#storage.delete(id);
  }

  /** Live handles (tensors and tapes) and their bytes, on the host or in the engine's heap. */
  memory(): MemoryInfo {
    let bytes = 0;
    for (const slot of this.#storage.values()) if (!('make' in slot)) bytes += slot.byteLength;
    for (const tape of this.#tapes) bytes += tape.bytes;
    return { tensors: this.#storage.size + this.#tapes.size, bytes };
  }

  dispose(): void {
    for (const slot of this.#storage.values()) if ('make' in slot) slot.settled();
    this.#storage.clear();
    for (const tape of [...this.#tapes]) this.#forget(tape);
    if (this.engine instanceof WasmEngine) this.engine.dispose();
    this.#disposed = true;
  }

  // CpuContext, used by the kernels.
  tensor(values: DataArray, shape: readonly number[]): Tensor {
    return Tensor.fromDevice(this, this.upload(values, values instanceof Float32Array ? 'float32' : 'float64'), shape);
  }

  lazyTensor(shape: readonly number[], dtype: DType, make: () => DataArray, settled: () => void = () => undefined): Tensor {
    const id = new DataId('cpu', shape.reduce((a, b) => a * b, 1), dtype);
    this.#storage.set(id, { make, settled });
    return Tensor.fromDevice(this, id, shape);
  }

  trackTape(tape: SequenceTape, arrays: ResidentArrays<string>): () => void {
    const record: TapeRecord = { arrays, bytes: arrays.bytes };
    this.#tapes.add(record);
    this.#finalizer.register(tape, record, record);
    return () => {
      this.#finalizer.unregister(record);
      this.#tapes.delete(record);
    };
  }

  #forget(record: TapeRecord): void {
    if (!this.#tapes.delete(record)) return;
    this.#finalizer.unregister(record);
    record.arrays.release();
  }

  #live(fn: string): this {
    if (this.#disposed) throw new BackendError(fn, 'cpu', 'this backend was disposed');
    return this;
  }
}

/**
 * Creates a CPU backend. Each backend owns its storage and its engine's memory; `dispose()`
 * drops it all. `backend.mode` says what runs the kernels: `wasm-simd` or `js`.
 *
 * ```ts
 * import { setBackend } from '@rnn/tensor';
 * import { createCpuBackend } from '@rnn/backend-cpu';
 * const cpu = createCpuBackend();
 * setBackend(cpu);
 * cpu.mode; // 'wasm-simd' in Node and current browsers
 * ```
 *
 * @throws InvalidArgumentError when `options.engine` is not one of the modes or `options.threads` is not an integer from 1 to 64.
 * @throws BackendError when `engine: 'wasm-simd'` is asked for where WebAssembly SIMD is missing.
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const requested = options.engine ?? 'auto';
  if (requested !== 'auto' && requested !== 'wasm-simd' && requested !== 'js') {
    throw new InvalidArgumentError('createCpuBackend', 'options.engine', `must be 'auto', 'wasm-simd' or 'js', got ${String(requested)}`);
  }
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new InvalidArgumentError('createCpuBackend', 'options.threads', `must be an integer from 1 to 64, got ${String(threads)}`);
  }
  if (requested === 'js') return new CpuBackendImpl(new JsEngine());
  if (hasWasmSimd()) return new CpuBackendImpl(new WasmEngine({ threads }));
  if (requested === 'wasm-simd') throw new BackendError('createCpuBackend', 'cpu', 'WebAssembly SIMD128 is not available in this JavaScript engine; use engine: \'js\' or \'auto\'');
  return new CpuBackendImpl(new JsEngine());
}
