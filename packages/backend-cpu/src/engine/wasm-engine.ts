import type { DataArray, DType } from '@rnn/tensor';
import type { Engine, EngineOps } from './engine.js';
import { HeapAllocator } from './heap-allocator.js';
import { splitRange } from './split.js';
import { ThreadPool } from './thread-pool.js';
import { ENGINE_WASM_BASE64, ENGINE_WASM_SHARED_BASE64 } from './wasm-binary.js';

type Fn = (...args: number[]) => number;

/** A tiny module using one SIMD instruction: it validates only where WebAssembly SIMD128 exists. */
const SIMD_PROBE: Uint8Array<ArrayBuffer> = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True where this JavaScript engine runs WebAssembly with SIMD128 (Node ≥ 16.4, every current browser). */
export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && WebAssembly.validate(SIMD_PROBE);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const PAGE = 65536;
/** Pages the shared memory may grow to (2 GiB): the shared module declares this maximum. */
const SHARED_MAX_PAGES = 32768;

/**
 * Multiply-adds below which a call is not split over threads: handing a part to a worker and
 * waiting for it costs microseconds, so small calls run faster on one thread. Measured with
 * `pnpm bench --section threads` (see BENCHMARKS.md).
 */
export const SPLIT_MIN_WORK = 1 << 18;

/** Exports every engine call is made through, in the order workers index them. */
const NAMES = ['packA', 'gemm', 'lstmStep', 'lstmBackStep', 'rnnStep', 'rnnBackStep', 'gruStep', 'gruBackStep', 'lstmStepVariant', 'rnnStepVariant', 'gruStepVariant', 'softmaxColumns', 'fillRows', 'sumRows', 'mapInPlace', 'add', 'toTimeMajor', 'fromTimeMajor', 'transposeBlocks'] as const;
type Name = (typeof NAMES)[number];
const WORKER_NAMES = NAMES.flatMap((n) => [`${n}_f32`, `${n}_f64`]);

/** Options of `WasmEngine`. */
export interface WasmEngineOptions {
  /** Threads to split large calls over (the calling one included); 1 runs everything on the caller. */
  readonly threads?: number | undefined;
}

/**
 * The WebAssembly SIMD engine: the module compiled from `assembly/` (shipped inside the package
 * as base64, so no bundler or loader has to find a `.wasm` file), instantiated synchronously
 * (it is far below browsers' 8 MB limit for synchronous compilation on the main thread). With
 * `threads > 1` it runs on a shared memory and splits large calls — a step's hidden units, a
 * batch of steps, the rows of a product — over worker threads.
 */
export class WasmEngine implements Engine {
  readonly mode = 'wasm-simd';
  readonly allocator = new HeapAllocator((bytes) => this.#reserve(bytes));
  /** Threads that calls may be split over, or 1. */
  readonly threads: number;
  /** Why worker threads were asked for and not started, if so. */
  readonly threadsUnavailable: string | undefined;
  readonly #exports: WebAssembly.Exports;
  readonly #memory: WebAssembly.Memory;
  readonly #pool: ThreadPool | undefined;
  readonly #f32: EngineOps;
  readonly #f64: EngineOps;

  constructor(options: WasmEngineOptions = {}) {
    const threads = options.threads ?? 1;
    let pool: ThreadPool | string | undefined;
    if (threads > 1 && typeof SharedArrayBuffer === 'function') {
      const module = new WebAssembly.Module(decodeBase64(ENGINE_WASM_SHARED_BASE64));
      const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
      pool = ThreadPool.start(module, memory, WORKER_NAMES, threads);
      this.#memory = memory;
      this.#exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } else {
      if (threads > 1) pool = 'SharedArrayBuffer is not available here';
      this.#exports = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(ENGINE_WASM_BASE64)), {}).exports;
      const memory = this.#exports['memory'];
      if (!(memory instanceof WebAssembly.Memory)) throw new Error('the engine module exports no memory');
      this.#memory = memory;
    }
    this.#pool = pool instanceof ThreadPool ? pool : undefined;
    this.threads = this.#pool === undefined ? 1 : threads;
    this.threadsUnavailable = typeof pool === 'string' ? pool : undefined;
    this.#f32 = this.#makeOps('float32');
    this.#f64 = this.#makeOps('float64');
  }

  get byteLength(): number {
    return this.#memory.buffer.byteLength;
  }

  ops(dtype: DType): EngineOps {
    return dtype === 'float32' ? this.#f32 : this.#f64;
  }

  /** Calls split over more than one thread so far. */
  get splitCalls(): number {
    return this.#pool?.splitCalls ?? 0;
  }

  /** Resolves once every worker thread can take work (at once without threads). */
  async ready(): Promise<void> {
    await this.#pool?.ready();
  }

  /** Stops the worker threads, if any. */
  dispose(): void {
    this.#pool?.terminate();
  }

  #reserve(bytes: number): void {
    const missing = bytes - this.#memory.buffer.byteLength;
    if (missing > 0) this.#memory.grow(Math.ceil(missing / PAGE));
  }

  /** An exported function of the module (every export is a function of numbers but `memory`). */
  #fn(name: string): Fn {
    const f: unknown = this.#exports[name];
    if (typeof f !== 'function') throw new Error(`the engine module lacks ${name}`);
    return (...args: number[]): number => Reflect.apply(f, undefined, args) as number;
  }

  #makeOps(dtype: DType): EngineOps {
    const memory = this.#memory;
    const suffix = dtype === 'float32' ? '_f32' : '_f64';
    const bytes = dtype === 'float32' ? 4 : 8;
    const fns = new Map<Name, Fn>(NAMES.map((name) => [name, this.#fn(name + suffix)]));
    const call = (name: Name, args: readonly number[]): void => void (fns.get(name) as Fn)(...args);
    const pool = this.#pool;
    /** Runs `name` once per part, split over the threads when there is more than one part. */
    const run = (name: Name, parts: readonly (readonly number[])[]): void => {
      if (pool === undefined || parts.length === 1) {
        for (const part of parts) call(name, part);
        return;
      }
      pool.run(name + suffix, WORKER_NAMES.indexOf(name + suffix), parts, (args) => call(name, args));
    };
    /** How many threads a call with `work` multiply-adds may use now. */
    const ways = (work: number): number => (pool === undefined || work < SPLIT_MIN_WORK ? 1 : pool.readyThreads);
    /** The ranges of hidden units a step is split into: panel-aligned, so only when `n_a` is a multiple of 4. */
    const units = (nA: number, work: number, u0: number, u1: number): (readonly [number, number])[] =>
      nA % 4 === 0 ? splitRange(u0, u1, ways(work), 4) : [[u0, u1]];
    let view: DataArray = new (dtype === 'float32' ? Float32Array : Float64Array)(0);
    const heap = (): DataArray => {
      if (view.buffer !== memory.buffer) view = dtype === 'float32' ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
      return view;
    };
    const p = (element: number): number => element * bytes;
    const flag = (b: boolean): number => (b ? 1 : 0);
    return {
      dtype,
      heap,
      packA: (a, rs, cs, ss, L, S, M, dst) => call('packA', [p(a), rs, cs, ss, L, S, M, p(dst)]),
      packedLength: (M, K) => Math.ceil(M / 4) * 4 * K,
      gemm: (ap, M, K, b, ldb, sb, c, ldc, sc, N, batch, acc) => {
        const n = ways(M * K * N * batch);
        if (batch >= n) {
          run('gemm', splitRange(0, batch, n, 1).map(([lo, hi]) => [p(ap), M, K, p(b + lo * sb), ldb, sb, p(c + lo * sc), ldc, sc, N, hi - lo, flag(acc)]));
        } else {
          run('gemm', splitRange(0, M, n, 4).map(([lo, hi]) => [p(ap + lo * K), hi - lo, K, p(b), ldb, sb, p(c + lo * ldc), ldc, sc, N, batch, flag(acc)]));
        }
      },
      lstmStep: (wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, u0, u1) => {
        run('lstmStep', units(nA, 4 * nA * K * mp, u0, u1).map(([lo, hi]) => [p(wa), K, p(hPrev), p(g), p(cPrev), p(c), p(h), p(mask), nA, mp, lo, hi]));
      },
      lstmBackStep: (waT, dGNext, da, dh, dc, c, cPrev, g, dG, mask, nA, mp, u0, u1, withCarry) => {
        run('lstmBackStep', units(nA, 4 * nA * nA * mp, u0, u1).map(([lo, hi]) => [p(waT), p(dGNext), p(da), p(dh), p(dc), p(c), p(cPrev), p(g), p(dG), p(mask), nA, mp, lo, hi, flag(withCarry)]));
      },
      rnnStep: (wa, hPrev, z, h, mask, nA, mp, u0, u1) => {
        run('rnnStep', units(nA, nA * nA * mp, u0, u1).map(([lo, hi]) => [p(wa), p(hPrev), p(z), p(h), p(mask), nA, mp, lo, hi]));
      },
      rnnBackStep: (waT, dzNext, da, dh, h, dz, mask, nA, mp, u0, u1, withCarry) => {
        run('rnnBackStep', units(nA, nA * nA * mp, u0, u1).map(([lo, hi]) => [p(waT), p(dzNext), p(da), p(dh), p(h), p(dz), p(mask), nA, mp, lo, hi, flag(withCarry)]));
      },
      gruStep: (w, hPrev, g, h, mask, nA, mp, u0, u1) => {
        run('gruStep', units(nA, 3 * nA * nA * mp, u0, u1).map(([lo, hi]) => [p(w), p(hPrev), p(g), p(h), p(mask), nA, mp, lo, hi]));
      },
      gruBackStep: (wT, dGNext, da, dh, hPrev, g, dG, mask, nA, mp, u0, u1, withCarry) => {
        run('gruBackStep', units(nA, 3 * nA * nA * mp, u0, u1).map(([lo, hi]) => [p(wT), p(dGNext), p(da), p(dh), p(hPrev), p(g), p(dG), p(mask), nA, mp, lo, hi, flag(withCarry)]));
      },
      lstmStepVariant: (wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, peep, clip, coupled) =>
        call('lstmStepVariant', [p(wa), K, p(hPrev), p(g), p(cPrev), p(c), p(h), p(mask), nA, mp, p(peep), clip, flag(coupled)]),
      rnnStepVariant: (wa, hPrev, z, h, mask, nA, mp, clip) => call('rnnStepVariant', [p(wa), p(hPrev), p(z), p(h), p(mask), nA, mp, clip]),
      gruStepVariant: (w, whh, hPrev, g, h, rh, mask, nA, mp, clip, resetAfter) =>
        call('gruStepVariant', [p(w), p(whh), p(hPrev), p(g), p(h), p(rh), p(mask), nA, mp, clip, flag(resetAfter)]),
      softmaxColumns: (z, rows, cols, stride, batch) => {
        run('softmaxColumns', splitRange(0, batch, ways(8 * rows * cols * batch), 1).map(([lo, hi]) => [p(z + lo * stride), rows, cols, stride, hi - lo]));
      },
      fillRows: (c, b, rows, cols, stride, batch) => call('fillRows', [p(c), p(b), rows, cols, stride, batch]),
      sumRows: (a, rows, cols, stride, batch, out, acc) => call('sumRows', [p(a), rows, cols, stride, batch, p(out), flag(acc)]),
      mapInPlace: (fn, a, n) => call('mapInPlace', [fn === 'exp' ? 0 : fn === 'sigmoid' ? 1 : 2, p(a), n]),
      add: (a, b, out, n) => call('add', [p(a), p(b), p(out), n]),
      toTimeMajor: (src, n, m, T, dst, mp) => call('toTimeMajor', [p(src), n, m, T, p(dst), mp]),
      fromTimeMajor: (src, n, m, T, dst, mp) => call('fromTimeMajor', [p(src), n, m, T, p(dst), mp]),
      transposeBlocks: (src, rows, cols, lds, ss, dst, ldd, sd, batch) => call('transposeBlocks', [p(src), rows, cols, lds, ss, p(dst), ldd, sd, batch]),
    };
  }
}
