import type { DataArray, DType } from '@rnn/tensor';
import type { Engine, EngineOps } from './engine.js';
import { HeapAllocator } from './heap-allocator.js';
import { ENGINE_WASM_BASE64 } from './wasm-binary.js';

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

/**
 * The WebAssembly SIMD engine: the module compiled from `assembly/` (shipped inside the package
 * as base64, so no bundler or loader has to find a `.wasm` file), instantiated synchronously
 * (it is far below browsers' 8 MB limit for synchronous compilation on the main thread).
 */
export class WasmEngine implements Engine {
  readonly mode = 'wasm-simd';
  readonly #exports: WebAssembly.Exports;
  readonly #memory: WebAssembly.Memory;
  readonly #packedLength: Fn;
  readonly #f32: EngineOps;
  readonly #f64: EngineOps;
  readonly allocator = new HeapAllocator((bytes) => this.#reserve(bytes));

  constructor() {
    const module = new WebAssembly.Module(decodeBase64(ENGINE_WASM_BASE64));
    this.#exports = new WebAssembly.Instance(module, {}).exports;
    const memory = this.#exports['memory'];
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('the engine module exports no memory');
    this.#memory = memory;
    this.#packedLength = this.#fn('packedLength');
    this.#f32 = this.#makeOps('float32');
    this.#f64 = this.#makeOps('float64');
  }

  get byteLength(): number {
    return this.#memory.buffer.byteLength;
  }

  #reserve(bytes: number): void {
    const memory = this.#memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
  }

  ops(dtype: DType): EngineOps {
    return dtype === 'float32' ? this.#f32 : this.#f64;
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
    const fn = (name: string): Fn => this.#fn(name + suffix);
    const [packA, gemm, lstmStep, lstmBackStep, rnnStep, rnnBackStep, softmax, fill, sum, add, toTm, fromTm, transpose] = [
      'packA', 'gemm', 'lstmStep', 'lstmBackStep', 'rnnStep', 'rnnBackStep', 'softmaxColumns',
      'fillRows', 'sumRows', 'add', 'toTimeMajor', 'fromTimeMajor', 'transposeBlocks',
    ].map(fn) as [Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn];
    let view: DataArray = new (dtype === 'float32' ? Float32Array : Float64Array)(0);
    const heap = (): DataArray => {
      if (view.buffer !== memory.buffer) view = dtype === 'float32' ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
      return view;
    };
    const p = (element: number): number => element * bytes;
    return {
      dtype,
      heap,
      packA: (a, rs, cs, ss, L, S, M, dst) => packA(p(a), rs, cs, ss, L, S, M, p(dst)),
      packedLength: (M, K) => this.#packedLength(M, K),
      gemm: (ap, M, K, b, ldb, sb, c, ldc, sc, N, batch, acc) => gemm(p(ap), M, K, p(b), ldb, sb, p(c), ldc, sc, N, batch, acc ? 1 : 0),
      lstmStep: (wa, K, hPrev, g, cPrev, c, h, nA, mp, u0, u1) => lstmStep(p(wa), K, p(hPrev), p(g), p(cPrev), p(c), p(h), nA, mp, u0, u1),
      lstmBackStep: (waT, dGNext, da, dh, dc, c, cPrev, g, dG, nA, mp, u0, u1, withCarry) =>
        lstmBackStep(p(waT), p(dGNext), p(da), p(dh), p(dc), p(c), p(cPrev), p(g), p(dG), nA, mp, u0, u1, withCarry ? 1 : 0),
      rnnStep: (wa, hPrev, z, h, nA, mp, u0, u1) => rnnStep(p(wa), p(hPrev), p(z), p(h), nA, mp, u0, u1),
      rnnBackStep: (waT, dzNext, da, dh, h, dz, nA, mp, u0, u1, withCarry) => rnnBackStep(p(waT), p(dzNext), p(da), p(dh), p(h), p(dz), nA, mp, u0, u1, withCarry ? 1 : 0),
      softmaxColumns: (z, rows, cols, stride, batch) => softmax(p(z), rows, cols, stride, batch),
      fillRows: (c, b, rows, cols, stride, batch) => fill(p(c), p(b), rows, cols, stride, batch),
      sumRows: (a, rows, cols, stride, batch, out, acc) => sum(p(a), rows, cols, stride, batch, p(out), acc ? 1 : 0),
      add: (a, b, out, n) => add(p(a), p(b), p(out), n),
      toTimeMajor: (src, n, m, T, dst, mp) => toTm(p(src), n, m, T, p(dst), mp),
      fromTimeMajor: (src, n, m, T, dst, mp) => fromTm(p(src), n, m, T, p(dst), mp),
      transposeBlocks: (src, rows, cols, lds, ss, dst, ldd, sd, batch) => transpose(p(src), rows, cols, lds, ss, p(dst), ldd, sd, batch),
    };
  }
}
