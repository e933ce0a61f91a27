import {
  BackendError,
  DataId,
  Tensor,
  type Backend,
  type DataArray,
  type DType,
  type Kernels,
  type LstmSequenceForwardArgs,
  type MemoryInfo,
  type SequenceTape,
} from '@rnn/tensor';
import { DeviceBuffer } from './device-buffer.js';
import type { BufferSlice, GpuContext, KernelInput } from './gpu-context.js';
import { GpuRuntime, type DeviceValue, type GpuJsMode, type KernelDef, type KernelStats, type RequestedMode } from './gpu-runtime.js';
import { KernelCalls } from './kernel-calls.js';
import { gruCellBackward } from './kernels/gru-cell-backward.js';
import { gruCellForward } from './kernels/gru-cell-forward.js';
import { gruSequenceBackward, gruSequenceForward } from './kernels/gru-sequence.js';
import { lstmCellBackward } from './kernels/lstm-cell-backward.js';
import { lstmCellForward } from './kernels/lstm-cell-forward.js';
import { lstmSequenceBackward, lstmSequenceForward } from './kernels/lstm-sequence.js';
import { outputBackward } from './kernels/output-backward.js';
import { rnnCellBackward, rnnCellForward } from './kernels/rnn-cell.js';
import { rnnSequenceBackward, rnnSequenceForward } from './kernels/rnn-sequence.js';
import { linearOutputSequence, softmaxOutputSequence } from './kernels/softmax-output.js';
import { add, concatFlat, copyDef, maskColumns, sliceFlat, sliceTime, stackTime } from './kernels/time-axis.js';
import { publicName } from './public-names.js';
import { TapeKeeper } from './sequence-tape.js';

/**
 * What the backend does with float64 tensors, chosen once when it is created. The device stores
 * and computes float32 only.
 * - `'compute-in-float32'` (default): float64 tensors are accepted, rounded to float32 when
 *   uploaded and computed in float32; outputs keep dtype float64 (so a float64 program, such as
 *   one drawing with `rng.randn`, runs unchanged with only the backend line swapped) but carry
 *   float32 precision (about 7 significant digits).
 * - `'reject'`: a float64 tensor is refused before any work with a `BackendError` that names the
 *   public function called (`lstmForward`, not its kernel), the kernel and the argument; for
 *   programs that must never lose precision silently.
 */
export type Float64Policy = 'compute-in-float32' | 'reject';

/** Options of `createGpuJsBackend`. */
export interface GpuJsBackendOptions {
  /** The gpu.js mode to run in; a mode that cannot run throws. Default: gpu.js's own choice. */
  readonly mode?: RequestedMode | undefined;
  /** Float64 handling, `'compute-in-float32'` unless set; see `Float64Policy`. */
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
  /** Always `float32`: every kernel computes in float32, float64 tensors included. */
  readonly computeDType: 'float32';
  /** Compile and launch counters; compile time is reported apart from run time. */
  stats(): GpuJsStats;
  /** Live device buffers (a buffer can back several tensors) and their bytes. */
  deviceMemory(): MemoryInfo;
  /** `dispose()`, then waits until gpu.js has destroyed its kernels and context. */
  disposeAsync(): Promise<void>;
}

type View = BufferSlice;

/** `args` with the peephole tensors as arguments of their own (`peepholes.Pi`…), so that their dtype is checked as the others' are. */
function withPeepholes(args: LstmSequenceForwardArgs): object {
  const p = args.peepholes;
  return p === undefined ? args : { ...args, 'peepholes.Pi': p.Pi, 'peepholes.Pf': p.Pf, 'peepholes.Po': p.Po };
}

class GpuJsBackendImpl implements GpuJsBackend, GpuContext {
  readonly name = 'gpujs';
  readonly computeDType = 'float32';
  readonly backend: Backend = this;
  readonly #runtime: GpuRuntime;
  readonly #float64: Float64Policy;
  readonly #views = new Map<DataId, View>();
  readonly #buffers = new Set<DeviceBuffer>();
  readonly #calls = new KernelCalls();
  readonly #tapes = new TapeKeeper();
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
    sliceTime: (x, t) => this.#call('sliceTime', { x }, () => sliceTime(this, x, t)),
    stackTime: (steps) => this.#call('stackTime', Object.fromEntries(steps.map((s, i) => [`steps[${i}]`, s])), () => stackTime(this, steps)),
    add: (a, b) => this.#call('add', { a, b }, () => add(this, a, b)),
    sliceFlat: (t, offset, shape) => this.#call('sliceFlat', { t }, () => sliceFlat(this, t, offset, shape)),
    concatFlat: (parts, shape) => this.#call('concatFlat', Object.fromEntries(parts.map((p, i) => [`parts[${i}]`, p])), () => concatFlat(this, parts, shape)),
    maskColumns: (t, keep) => this.#call('maskColumns', { t }, () => maskColumns(this, t, keep)),
    rnnCellForward: (args) => this.#call('rnnCellForward', args, () => rnnCellForward(this, args)),
    rnnCellBackward: (args, acc) => this.#call('rnnCellBackward', { ...args, ...acc }, () => rnnCellBackward(this, args, acc)),
    lstmCellForward: (args) => this.#call('lstmCellForward', args, () => lstmCellForward(this, args)),
    lstmCellBackward: (args, acc) => this.#call('lstmCellBackward', { ...args, ...acc }, () => lstmCellBackward(this, args, acc)),
    gruCellForward: (args) => this.#call('gruCellForward', args, () => gruCellForward(this, args)),
    gruCellBackward: (args, acc) => this.#call('gruCellBackward', { ...args, ...acc }, () => gruCellBackward(this, args, acc)),
    rnnSequenceForward: (args) => this.#call('rnnSequenceForward', args, () => rnnSequenceForward(this, args)),
    rnnSequenceBackward: (args) => this.#call('rnnSequenceBackward', args, () => rnnSequenceBackward(this, args)),
    lstmSequenceForward: (args) => this.#call('lstmSequenceForward', withPeepholes(args), () => lstmSequenceForward(this, args)),
    lstmSequenceBackward: (args) => this.#call('lstmSequenceBackward', args, () => lstmSequenceBackward(this, args)),
    gruSequenceForward: (args) => this.#call('gruSequenceForward', args, () => gruSequenceForward(this, args)),
    gruSequenceBackward: (args) => this.#call('gruSequenceBackward', args, () => gruSequenceBackward(this, args)),
    softmaxOutput: (args) => this.#call('softmaxOutput', args, () => softmaxOutputSequence(this, args)),
    linearOutput: (args) => this.#call('linearOutput', args, () => linearOutputSequence(this, args)),
    outputBackward: (args) => this.#call('outputBackward', args, () => outputBackward(this, args)),
  };

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
    this.#tapes.releaseAll();
    this.#disposed = this.#runtime.destroy();
    return this.#disposed;
  }

  // GpuContext, used by the kernels while `#call` runs them.
  run(def: KernelDef, inputs: readonly KernelInput[]): DeviceBuffer {
    if (def.size === 0) return this.#calls.own(this.#buffer(new Float32Array(0), 0));
    // Every input is resolved (a tensor may be disposed, or upload and fail) before any is retained.
    const slots: (View | number)[] = inputs.map((input) => {
      if (typeof input === 'number') return input;
      return input instanceof DeviceBuffer ? { buffer: input, offset: 0 } : input instanceof Tensor ? this.#view(def.name, input.dataIdOn(this)) : input;
    });
    const held = slots.flatMap((slot) => (typeof slot === 'number' ? [] : [slot.buffer.retain()]));
    const releaseInputs = (): void => held.forEach((b) => b.releaseRef());
    const lengths = held.map((b) => b.length);
    const args = (values: readonly DeviceValue[]): (DeviceValue | number)[] => {
      let next = 0;
      return slots.flatMap((slot) => (typeof slot === 'number' ? [slot] : [values[next++] as DeviceValue, slot.offset]));
    };
    if (held.every((b) => !b.isPending) && !this.#runtime.isAsync) {
      try {
        return this.#calls.own(this.#buffer(this.#runtime.launch(def, args(held.map((b) => b.valueSync(def.name))), lengths), def.size));
      } finally {
        releaseInputs();
      }
    }
    const launched = Promise.all(held.map((b) => b.value(def.name))).then((values) => this.#runtime.launch(def, args(values), lengths));
    launched.then(releaseInputs, releaseInputs);
    return this.#calls.own(this.#buffer(launched, def.size));
  }

  view(buffer: DeviceBuffer, offset: number, shape: readonly number[], dtype: DType): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    return Tensor.fromDevice(this, this.#addView(buffer, offset, size, dtype), shape);
  }

  hold(tensor: Tensor): BufferSlice {
    const view = this.#view(this.#calls.name('hold'), tensor.dataIdOn(this));
    this.#calls.own(view.buffer.retain());
    return view;
  }

  retain(buffer: DeviceBuffer): DeviceBuffer {
    return this.#calls.own(buffer.retain());
  }

  fromHost(values: Float32Array): DeviceBuffer {
    return this.#calls.own(this.#uploadBuffer(values));
  }

  upload(values: DataArray, dtype: DType): DataId {
    this.#live('upload');
    this.#checkDType('upload', 'values', dtype);
    const buffer = this.#uploadBuffer(values instanceof Float32Array ? values : Float32Array.from(values));
    const id = this.#addView(buffer, 0, values.length, dtype);
    buffer.releaseRef();
    return id;
  }

  free(...buffers: DeviceBuffer[]): void {
    this.#calls.free(buffers);
  }

  keepForTape(tape: SequenceTape, buffers: readonly DeviceBuffer[]): () => void {
    return this.#tapes.keep(tape, buffers);
  }

  /**
   * Runs the kernel `fn` as one call (`KernelCalls`): the backend live and every tensor argument's
   * dtype checked first, then `body` with the buffers it makes released when it returns or throws.
   */
  #call<T>(fn: string, args: object, body: () => T): T {
    this.#live(fn);
    for (const [arg, value] of Object.entries(args)) {
      if (value instanceof Tensor) this.#checkDType(fn, arg, value.dtype);
    }
    return this.#calls.run(fn, body);
  }

  /** Host float32 values on the device, one reference for the caller: a copy launch, or the array itself where the device is the host. */
  #uploadBuffer(host: Float32Array): DeviceBuffer {
    this.#uploads++;
    const onDevice = this.#runtime.mode === 'webasm' || this.#runtime.mode === 'cpu';
    return host.length === 0 || onDevice
      ? this.#buffer(host, host.length)
      : this.#buffer(this.#runtime.launch(copyDef('upload', host.length), [host, 0], [host.length]), host.length);
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

  #checkDType(fn: string, arg: string, dtype: DType): void {
    if (dtype === 'float64' && this.#float64 === 'reject') {
      const kernel = publicName(fn) === fn ? '' : ` (in its kernel ${fn})`;
      throw new BackendError(
        publicName(fn),
        'gpujs',
        `${arg} is float64${kernel} but this backend was created with { float64: 'reject' } and computes in float32 only: make float32 tensors (e.g. rng.randnAs(shape, 'float32')) or create the backend without that option (float64 is then computed in float32)`,
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
  return new GpuJsBackendImpl(runtime, options.float64 ?? 'compute-in-float32');
}
