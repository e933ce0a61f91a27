import { BackendError } from '@rnn/tensor';
import type { GPU, IKernelRunShortcut, Kernel } from 'gpu.js';
import { DEVICE_FUNCTIONS } from './kernels/device-functions.js';
import { copyDef } from './kernels/time-axis.js';

// gpu.js 2.24.1 accepts these at run time but leaves them out of its typings.
declare module 'gpu.js' {
  interface GPU {
    /** A helper function from its source text (the typings list only `string[]`). */
    addFunction(source: string): this;
  }
  interface IGPUKernelSettings {
    /** Upper bound of every loop whose bound is not a compile-time literal (GLSL ES 1.00 needs one). */
    loopMaxIterations?: number;
  }
}

/** The gpu.js modes that execute kernels, as `backend.mode` reports them. */
export type GpuJsMode = 'headlessgl' | 'webgl2' | 'webgl' | 'webgpu' | 'webasm' | 'cpu';

/** A mode to ask for: one of `GpuJsMode`, or `'gpu'` for gpu.js's own choice among its GPU modes. */
export type RequestedMode = GpuJsMode | 'gpu';

/**
 * What a pipeline kernel returns, per mode: a GL texture (`headlessgl`, `webgl2`, `webgl`) or
 * a WebGPU buffer handle, both with `toArray()` and `delete()`; or a plain `Float32Array` on
 * `webasm` and `cpu`, where there is no device memory to keep it in.
 */
export type DeviceValue = DeviceHandle | Float32Array;

/** A texture or buffer that gpu.js keeps on the device. */
export interface DeviceHandle {
  toArray(): unknown;
  delete(): void;
}

/** A device array as a kernel source sees it: indexed by a flat position. */
export type DeviceArray = readonly number[];

/** A kernel's `this` inside its source: the thread index and the compile-time constants. */
export interface KernelThis<C> {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
  readonly constants: C;
}

/** Compile-time integers of a kernel (sizes, flags); they are part of its cache key. */
export type KernelConstants = Readonly<Record<string, number>>;

/**
 * One kernel to compile: its source (the JavaScript text of a kernel function, which gpu.js
 * parses), the flat output length and its constants. Every tensor is stored flat in C order,
 * so a kernel's output is 1-D.
 */
export interface KernelDef {
  /** Name in the cache and in `stats()`, e.g. `lstmGates`. */
  readonly name: string;
  /**
   * The kernel function's source text, from `KERNEL_SOURCES` (generated from the TypeScript
   * function, so a bundler's minifier never rewrites what gpu.js compiles). Its parameters are
   * device arrays and integers.
   */
  readonly source: string;
  /** Output length. */
  readonly size: number;
  /** Compile-time constants; the longest loop a kernel runs must be among them. */
  readonly constants: KernelConstants;
}

/**
 * A `KernelDef` of the kernel function `F`: its constants must be exactly the ones `F` reads
 * through `this: KernelThis<C>`, so a def and the function it runs cannot drift apart.
 */
export type KernelDefOf<F> = KernelDef & { readonly constants: F extends (this: KernelThis<infer C>, ...args: never[]) => number ? C : never };

/** Compile and launch counters, so a benchmark can separate compile time from run time. */
export interface KernelStats {
  /** Kernels compiled (one per name, shape and constants). */
  readonly compiles: number;
  /** Milliseconds spent in first launches, which is where gpu.js compiles. */
  readonly compileMs: number;
  /** Kernel launches, first launches included. */
  readonly launches: number;
  /** Launches per kernel name. */
  readonly launchesByKernel: Readonly<Record<string, number>>;
}

type GpuJsModule = typeof import('gpu.js');

/** A kernel run's raw result: the value, or a promise of it on webgpu. */
export type LaunchResult = DeviceValue | Promise<DeviceValue>;

function isDeviceHandle(value: unknown): value is DeviceHandle {
  return typeof value === 'object' && value !== null && 'delete' in value && typeof value.delete === 'function' && 'toArray' in value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';
}

/** Narrows a gpu.js pipeline result to a `DeviceValue`, or throws naming the kernel. */
function toDeviceValue(name: string, value: unknown): DeviceValue {
  if (value instanceof Float32Array || isDeviceHandle(value)) return value;
  throw new BackendError(name, 'gpujs', `gpu.js returned ${Object.prototype.toString.call(value)} where a texture, buffer or Float32Array was expected`);
}

/**
 * The one `GPU` instance of a backend and its kernels: compiles each kernel once per
 * name + constants + size, launches it with pipeline outputs (`pipeline: true`,
 * `precision: 'single'`, `immutable: true` so every call gets a fresh texture), counts both,
 * and checks that every kernel runs in the mode the backend reports, never a silent fallback.
 */
export class GpuRuntime {
  readonly #module: GpuJsModule;
  readonly #gpu: GPU;
  readonly #cache = new Map<string, IKernelRunShortcut>();
  readonly #launchesByKernel: Record<string, number> = {};
  #compiles = 0;
  #compileMs = 0;
  #launches = 0;
  /** The mode kernels execute in; settled by the probe kernel in `create`. */
  mode: GpuJsMode = 'cpu';

  private constructor(module: GpuJsModule, gpu: GPU) {
    this.#module = module;
    this.#gpu = gpu;
  }

  /**
   * Loads gpu.js, makes a `GPU` in `requested` mode and runs a probe kernel to learn which
   * mode actually executes. Throws a `BackendError` when a forced mode is unavailable or
   * gpu.js falls back from it.
   */
  static async create(requested: RequestedMode | undefined): Promise<GpuRuntime> {
    const module: GpuJsModule = await import('gpu.js');
    const { GPU: GpuClass } = module;
    if (requested === 'webgpu' && !(await GpuClass.isWebGPUAvailable())) {
      throw new BackendError('createGpuJsBackend', 'gpujs', "mode 'webgpu' was asked for but no WebGPU adapter is available here (navigator.gpu missing or requestAdapter() gave null)");
    }
    let gpu: GPU;
    try {
      gpu = new GpuClass(requested === undefined ? {} : { mode: requested });
    } catch (cause) {
      throw new BackendError('createGpuJsBackend', 'gpujs', `mode '${requested}' cannot run here: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    for (const source of DEVICE_FUNCTIONS) gpu.addFunction(source);
    const runtime = new GpuRuntime(module, gpu);
    const probe = runtime.#compile(copyDef('probe', 1));
    try {
      const out = probe(Float32Array.of(1), 0);
      const value = isPromiseLike(out) ? await out : out;
      runtime.#dispose(toDeviceValue('probe', value));
    } catch (cause) {
      throw new BackendError('createGpuJsBackend', 'gpujs', `the probe kernel failed in mode '${requested ?? 'auto'}': ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    runtime.mode = runtime.#modeOf(probe.kernel);
    if (requested !== undefined && requested !== 'gpu' && runtime.mode !== requested) {
      await gpu.destroy();
      throw new BackendError('createGpuJsBackend', 'gpujs', `mode '${requested}' was asked for but gpu.js runs '${runtime.mode}'`);
    }
    if (requested === 'gpu' && (runtime.mode === 'cpu' || runtime.mode === 'webasm')) {
      await gpu.destroy();
      throw new BackendError('createGpuJsBackend', 'gpujs', `mode 'gpu' was asked for but no GPU mode is available (gpu.js runs '${runtime.mode}')`);
    }
    return runtime;
  }

  /** True on webgpu, where every launch resolves later. */
  get isAsync(): boolean {
    return this.mode === 'webgpu';
  }

  /**
   * Launches `def` (compiling it on first use); `args` are device values and integers, and
   * `inputLengths` the lengths of the device values. gpu.js bakes an input texture's size
   * into the compiled shader and reads a texture of another size wrongly, without switching
   * kernels, so those lengths are part of the cache key.
   */
  launch(def: KernelDef, args: readonly (DeviceValue | number)[], inputLengths: readonly number[]): LaunchResult {
    const key = `${def.name}|${def.size}|${JSON.stringify(def.constants)}|${inputLengths.join(',')}`;
    let kernel = this.#cache.get(key);
    const first = kernel === undefined;
    if (kernel === undefined) {
      kernel = this.#compile(def);
      this.#cache.set(key, kernel);
    }
    this.#launches++;
    this.#launchesByKernel[def.name] = (this.#launchesByKernel[def.name] ?? 0) + 1;
    const started = first ? performance.now() : 0;
    // gpu.js's typings do not list WebGPU buffer handles among kernel arguments, hence apply.
    const out: unknown = Reflect.apply(kernel, undefined, args);
    if (isPromiseLike(out)) {
      return Promise.resolve(out).then((value) => {
        if (first) this.#firstLaunchDone(def.name, started, kernel);
        return toDeviceValue(def.name, value);
      });
    }
    if (first) this.#firstLaunchDone(def.name, started, kernel);
    return toDeviceValue(def.name, out);
  }

  /** Frees one kernel output. */
  release(value: DeviceValue): void {
    this.#dispose(value);
  }

  /** Reads a device value back as flat float32 values. */
  async readAsync(value: DeviceValue): Promise<Float32Array> {
    if (value instanceof Float32Array) return value;
    return flatFloat32(await value.toArray());
  }

  /** Reads a device value back synchronously; webgpu handles cannot be. */
  readSync(value: DeviceValue): Float32Array {
    if (value instanceof Float32Array) return value;
    const out = value.toArray();
    if (isPromiseLike(out)) throw new BackendError('read', 'gpujs', 'this device reads only asynchronously: use await tensor.data()');
    return flatFloat32(out);
  }

  /** Counters since creation. */
  stats(): KernelStats {
    return { compiles: this.#compiles, compileMs: this.#compileMs, launches: this.#launches, launchesByKernel: { ...this.#launchesByKernel } };
  }

  /** Destroys every kernel and the GL context or WebGPU resources of this instance. */
  async destroy(): Promise<void> {
    this.#cache.clear();
    await this.#gpu.destroy();
  }

  #compile(def: KernelDef): IKernelRunShortcut {
    this.#compiles++;
    // Every loop runs to one constant (a size) or fewer steps; their sum bounds them all.
    const loopMax = Object.values(def.constants).reduce((a, b) => a + b, 1);
    return this.#gpu.createKernel(def.source, {
      output: [def.size],
      constants: def.constants,
      pipeline: true,
      immutable: true,
      precision: 'single',
      loopMaxIterations: loopMax,
      tactic: 'precision',
    });
  }

  #firstLaunchDone(name: string, started: number, kernel: IKernelRunShortcut): void {
    this.#compileMs += performance.now() - started;
    const mode = this.#modeOf(kernel.kernel);
    if (mode !== this.mode) {
      throw new BackendError(name, 'gpujs', `kernel ${name} runs in '${mode}' instead of '${this.mode}' (gpu.js fell back${kernel.kernel.fallbackReason ? `: ${kernel.kernel.fallbackReason}` : ''})`);
    }
  }

  #modeOf(kernel: Kernel): GpuJsMode {
    const m = this.#module;
    if (kernel instanceof m.HeadlessGLKernel) return 'headlessgl';
    if (kernel instanceof m.WebGL2Kernel) return 'webgl2';
    if (kernel instanceof m.WebGLKernel) return 'webgl';
    // gpu.js exports WebGPUKernel at run time but its typings omit it.
    const webGpuKernel: unknown = Reflect.get(m, 'WebGPUKernel');
    if (typeof webGpuKernel === 'function' && kernel instanceof webGpuKernel) return 'webgpu';
    if (kernel instanceof m.WebAssemblyKernel) return 'webasm';
    return 'cpu';
  }

  #dispose(value: DeviceValue): void {
    if (!(value instanceof Float32Array)) value.delete();
  }
}

/** gpu.js `toArray()` of a 1-D output is a Float32Array; anything else is flattened. */
function flatFloat32(values: unknown): Float32Array {
  if (values instanceof Float32Array) return values;
  if (Array.isArray(values)) return Float32Array.from(values.flat(Infinity), Number);
  throw new BackendError('read', 'gpujs', `gpu.js returned ${Object.prototype.toString.call(values)} from toArray()`);
}
