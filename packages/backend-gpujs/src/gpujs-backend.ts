import { BackendError, DataId, Tensor, type Backend, type DataArray, type DType, type Kernels, type MemoryInfo } from '@rnn/tensor';
import { DeviceBuffer } from './device-buffer.js';
import type { BufferSlice, GpuContext, KernelInput } from './gpu-context.js';
import { GpuRuntime, type DeviceValue, type GpuJsMode, type KernelDef, type KernelStats, type RequestedMode } from './gpu-runtime.js';
import { lstmCellBackward } from './kernels/lstm-cell-backward.js';
import { lstmCellForward } from './kernels/lstm-cell-forward.js';
import { lstmSequenceBackward, lstmSequenceForward } from './kernels/lstm-sequence.js';
import { outputBackward } from './kernels/output-backward.js';
import { rnnCellBackward, rnnCellForward } from './kernels/rnn-cell.js';
import { rnnSequenceBackward, rnnSequenceForward } from './kernels/rnn-sequence.js';
import { softmaxOutputSequence } from './kernels/softmax-output.js';
import { add, copyDef, sliceTime, stackTime } from './kernels/time-axis.js';

/**
 * What to do with float64 tensors. The device stores float32 only.
 * - `'reject'` (default): kernels and `upload` throw a `BackendError` naming the argument.
 * - `'compute-in-float32'`: values are rounded to float32 on upload, outputs keep dtype
 *   float64 (so a float64 program runs unchanged) but carry float32 precision.
 */
export type Float64Policy = 'reject' | 'compute-in-float32';

/** Options of `createGpuJsBackend`. */
export interface GpuJsBackendOptions {
  /** The gpu.js mode to run in; a mode that cannot run throws. Default: gpu.js's own choice. */
  readonly mode?: RequestedMode | undefined;
  /** Float64 handling; see `Float64Policy`. */
  readonly float64?: Float64Policy | undefined;
}

/** Counters of a gpu.js backend: kernel compiles and launches, uploads and reads. */
export interface GpuJsStats extends KernelStats {
  /** Host-to-device uploads. */
  readonly uploads: number;
  /** Device-to-host reads. */
  readonly reads: number;
}

/** The gpu.js backend: float32 tensors kept in device textures (or buffers) between kernels. */
export interface GpuJsBackend extends Backend {
  readonly name: 'gpujs';
  /** The gpu.js mode that actually executes the kernels. */
  readonly mode: GpuJsMode;
  /** Compile and launch counters; compile time is reported apart from run time. */
  stats(): GpuJsStats;
  /** Live device buffers (a buffer can back several tensors) and their bytes. */
  deviceMemory(): MemoryInfo;
  /** `dispose()`, then waits until gpu.js has destroyed its kernels and context. */
  disposeAsync(): Promise<void>;
}

type View = BufferSlice;

class GpuJsBackendImpl implements GpuJsBackend, GpuContext {
  readonly name = 'gpujs';
  readonly backend: Backend = this;
  readonly #runtime: GpuRuntime;
  readonly #float64: Float64Policy;
  readonly #views = new Map<DataId, View>();
  readonly #buffers = new Set<DeviceBuffer>();
  #uploads = 0;
  #reads = 0;
  #disposed: Promise<void> | null = null;

  constructor(runtime: GpuRuntime, float64: Float64Policy) {
    this.#runtime = runtime;
    this.#float64 = float64;
  }

  get mode(): GpuJsMode {
    return this.#runtime.mode;
  }

  readonly kernels: Kernels = {
    sliceTime: (x, t) => sliceTime(this.#checked('sliceTime', { x }), x, t),
    stackTime: (steps) => stackTime(this.#checked('stackTime', Object.fromEntries(steps.map((s, i) => [`steps[${i}]`, s]))), steps),
    add: (a, b) => add(this.#checked('add', { a, b }), a, b),
    rnnCellForward: (args) => rnnCellForward(this.#checked('rnnCellForward', { ...args }), args),
    rnnCellBackward: (args, acc) => rnnCellBackward(this.#checked('rnnCellBackward', { ...args, ...acc }), args, acc),
    lstmCellForward: (args) => lstmCellForward(this.#checked('lstmCellForward', { ...args }), args),
    lstmCellBackward: (args, acc) => lstmCellBackward(this.#checked('lstmCellBackward', { ...args, ...acc }), args, acc),
    rnnSequenceForward: (args) => rnnSequenceForward(this.#checked('rnnSequenceForward', { ...args }), args),
    rnnSequenceBackward: (args) => rnnSequenceBackward(this.#checked('rnnSequenceBackward', { ...args }), args),
    lstmSequenceForward: (args) => lstmSequenceForward(this.#checked('lstmSequenceForward', { ...args }), args),
    lstmSequenceBackward: (args) => lstmSequenceBackward(this.#checked('lstmSequenceBackward', { ...args }), args),
    softmaxOutput: (args) => softmaxOutputSequence(this.#checked('softmaxOutput', { ...args }), args),
    outputBackward: (args) => outputBackward(this.#checked('outputBackward', { ...args }), args),
  };

  upload(values: DataArray, dtype: DType): DataId {
    this.#live('upload');
    this.#checkDType('upload', 'values', dtype);
    this.#uploads++;
    const host = values instanceof Float32Array ? values : Float32Array.from(values);
    const onDevice = this.#runtime.mode === 'webasm' || this.#runtime.mode === 'cpu';
    const buffer = values.length === 0 || onDevice
      ? this.#buffer(host, values.length)
      : this.#buffer(this.#runtime.launch(copyDef('upload', host.length), [host, 0], [host.length]), host.length);
    const id = this.#addView(buffer, 0, values.length, dtype);
    buffer.releaseRef();
    return id;
  }

  read(id: DataId): DataArray {
    this.#live('read');
    if (this.#runtime.isAsync) throw new BackendError('read', 'gpujs', `mode '${this.mode}' reads only asynchronously: use await tensor.data()`);
    const view = this.#view('read', id);
    this.#reads++;
    return this.#slice(this.#runtime.readSync(view.buffer.valueSync('read')), view, id);
  }

  async readAsync(id: DataId): Promise<DataArray> {
    this.#live('readAsync');
    const view = this.#view('readAsync', id);
    this.#reads++;
    view.buffer.retain();
    try {
      return this.#slice(await this.#runtime.readAsync(await view.buffer.value('readAsync')), view, id);
    } finally {
      view.buffer.releaseRef();
    }
  }

  release(id: DataId): void {
    const view = this.#views.get(id);
    if (view === undefined) return;
    this.#views.delete(id);
    view.buffer.releaseRef();
  }

  memory(): MemoryInfo {
    return { tensors: this.#views.size, bytes: this.deviceMemory().bytes };
  }

  deviceMemory(): MemoryInfo {
    let bytes = 0;
    for (const buffer of this.#buffers) bytes += buffer.bytes;
    return { tensors: this.#buffers.size, bytes };
  }

  stats(): GpuJsStats {
    return { ...this.#runtime.stats(), uploads: this.#uploads, reads: this.#reads };
  }

  dispose(): void {
    void this.disposeAsync();
  }

  disposeAsync(): Promise<void> {
    if (this.#disposed !== null) return this.#disposed;
    for (const id of [...this.#views.keys()]) this.release(id);
    this.#disposed = this.#runtime.destroy();
    return this.#disposed;
  }

  // GpuContext, used by the kernels.
  run(def: KernelDef, inputs: readonly KernelInput[]): DeviceBuffer {
    if (def.size === 0) return this.#buffer(new Float32Array(0), 0);
    const held: DeviceBuffer[] = [];
    const slots: (View | number)[] = inputs.map((input) => {
      if (typeof input === 'number') return input;
      const view = input instanceof DeviceBuffer ? { buffer: input, offset: 0 } : input instanceof Tensor ? this.#view(def.name, input.dataIdOn(this)) : input;
      held.push(view.buffer.retain());
      return view;
    });
    const releaseInputs = (): void => held.forEach((b) => b.releaseRef());
    const lengths = held.map((b) => b.length);
    const args = (values: readonly DeviceValue[]): (DeviceValue | number)[] => {
      let next = 0;
      return slots.flatMap((slot) => (typeof slot === 'number' ? [slot] : [values[next++] as DeviceValue, slot.offset]));
    };
    if (held.every((b) => !b.isPending) && !this.#runtime.isAsync) {
      try {
        return this.#buffer(this.#runtime.launch(def, args(held.map((b) => b.valueSync(def.name))), lengths), def.size);
      } finally {
        releaseInputs();
      }
    }
    const launched = Promise.all(held.map((b) => b.value(def.name))).then((values) => this.#runtime.launch(def, args(values), lengths));
    launched.then(releaseInputs, releaseInputs);
    return this.#buffer(launched, def.size);
  }

  view(buffer: DeviceBuffer, offset: number, shape: readonly number[], dtype: DType): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    return Tensor.fromDevice(this, this.#addView(buffer, offset, size, dtype), shape);
  }

  hold(fn: string, tensor: Tensor): BufferSlice {
    const view = this.#view(fn, tensor.dataIdOn(this));
    view.buffer.retain();
    return view;
  }

  free(...buffers: DeviceBuffer[]): void {
    for (const buffer of buffers) buffer.releaseRef();
  }

  #buffer(result: DeviceValue | Promise<DeviceValue>, length: number): DeviceBuffer {
    const buffer = new DeviceBuffer(result, length, (value) => {
      this.#buffers.delete(buffer);
      if (value !== null) this.#runtime.release(value);
    });
    this.#buffers.add(buffer);
    return buffer.retain();
  }

  #addView(buffer: DeviceBuffer, offset: number, size: number, dtype: DType): DataId {
    const id = new DataId('gpujs', size, dtype);
    this.#views.set(id, { buffer: buffer.retain(), offset });
    return id;
  }

  #view(fn: string, id: DataId): View {
    const view = this.#views.get(id);
    if (view === undefined) throw new BackendError(fn, 'gpujs', 'this data was released or belongs to another backend');
    return view;
  }

  /** This view's part of a buffer read back: a subarray for float32 (`Tensor` copies it for the user), widened for float64. */
  #slice(values: Float32Array, view: View, id: DataId): DataArray {
    const part = values.subarray(view.offset, view.offset + id.size);
    return id.dtype === 'float64' ? Float64Array.from(part) : part;
  }

  /** Checks the backend is live and every tensor argument's dtype before any work; returns `this` as the kernels' context. */
  #checked(fn: string, args: Readonly<Record<string, unknown>>): GpuContext {
    this.#live(fn);
    for (const [arg, value] of Object.entries(args)) {
      if (value instanceof Tensor) this.#checkDType(fn, arg, value.dtype);
    }
    return this;
  }

  #checkDType(fn: string, arg: string, dtype: DType): void {
    if (dtype === 'float64' && this.#float64 === 'reject') {
      throw new BackendError(
        fn,
        'gpujs',
        `${arg} is float64 but this backend computes in float32: make float32 tensors (e.g. rng.randnAs(shape, 'float32')) or create the backend with { float64: 'compute-in-float32' }`,
      );
    }
  }

  #live(fn: string): void {
    if (this.#disposed !== null) throw new BackendError(fn, 'gpujs', 'this backend was disposed');
  }
}

/**
 * Creates a gpu.js backend. Asynchronous because gpu.js is loaded on demand (importing this
 * package does no work) and because WebGPU needs an adapter before its first kernel.
 *
 * ```ts
 * import { setBackend } from '@rnn/tensor';
 * import { createGpuJsBackend } from '@rnn/backend-gpujs';
 * const gpu = await createGpuJsBackend();          // headlessgl in Node, webgl2 in browsers
 * setBackend(gpu);
 * console.log(gpu.mode, gpu.stats().compileMs);
 * ```
 *
 * @throws BackendError when `options.mode` is given and cannot run here.
 */
export async function createGpuJsBackend(options: GpuJsBackendOptions = {}): Promise<GpuJsBackend> {
  const runtime = await GpuRuntime.create(options.mode);
  return new GpuJsBackendImpl(runtime, options.float64 ?? 'reject');
}
