// The WebAssembly SIMD engine of @rnn/backend-cpu: every export comes in an f32 and an f64
// instantiation. Pointers are byte addresses in this module's memory, sizes and strides count
// elements. The TypeScript side (src/engine/wasm-engine.ts) owns the memory layout.

import { gemmPacked, packA, packedLength } from './gemm';
import { fromTimeMajor, toTimeMajor, transposeBlocks } from './layout';
import { add, fillRows, lstmStepBackward, lstmStepForward, rnnStepBackward, rnnStepForward, softmaxColumns, sumRows } from './pointwise';

export { packedLength };

export function packA_f32(a: usize, rowStride: i32, colStride: i32, segStride: i32, L: i32, S: i32, M: i32, dst: usize): void { packA<f32>(a, rowStride, colStride, segStride, L, S, M, dst); }
export function packA_f64(a: usize, rowStride: i32, colStride: i32, segStride: i32, L: i32, S: i32, M: i32, dst: usize): void { packA<f64>(a, rowStride, colStride, segStride, L, S, M, dst); }

export function gemm_f32(ap: usize, M: i32, K: i32, b: usize, ldb: i32, strideB: i32, c: usize, ldc: i32, strideC: i32, N: i32, batch: i32, accumulate: bool): void { gemmPacked<f32>(ap, M, K, b, ldb, strideB, c, ldc, strideC, N, batch, accumulate); }
export function gemm_f64(ap: usize, M: i32, K: i32, b: usize, ldb: i32, strideB: i32, c: usize, ldc: i32, strideC: i32, N: i32, batch: i32, accumulate: bool): void { gemmPacked<f64>(ap, M, K, b, ldb, strideB, c, ldc, strideC, N, batch, accumulate); }

export function lstmStepForward_f32(g: usize, cPrev: usize, c: usize, h: usize, n: i32): void { lstmStepForward<f32>(g, cPrev, c, h, n); }
export function lstmStepForward_f64(g: usize, cPrev: usize, c: usize, h: usize, n: i32): void { lstmStepForward<f64>(g, cPrev, c, h, n); }
export function lstmStepBackward_f32(dh: usize, daCarry: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, n: i32): void { lstmStepBackward<f32>(dh, daCarry, dcCarry, c, cPrev, g, dG, n); }
export function lstmStepBackward_f64(dh: usize, daCarry: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, n: i32): void { lstmStepBackward<f64>(dh, daCarry, dcCarry, c, cPrev, g, dG, n); }
export function rnnStepForward_f32(z: usize, h: usize, n: i32): void { rnnStepForward<f32>(z, h, n); }
export function rnnStepForward_f64(z: usize, h: usize, n: i32): void { rnnStepForward<f64>(z, h, n); }
export function rnnStepBackward_f32(dh: usize, daCarry: usize, h: usize, dz: usize, n: i32): void { rnnStepBackward<f32>(dh, daCarry, h, dz, n); }
export function rnnStepBackward_f64(dh: usize, daCarry: usize, h: usize, dz: usize, n: i32): void { rnnStepBackward<f64>(dh, daCarry, h, dz, n); }

export function softmaxColumns_f32(z: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { softmaxColumns<f32>(z, rows, cols, stride, batch); }
export function softmaxColumns_f64(z: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { softmaxColumns<f64>(z, rows, cols, stride, batch); }
export function fillRows_f32(c: usize, b: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { fillRows<f32>(c, b, rows, cols, stride, batch); }
export function fillRows_f64(c: usize, b: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { fillRows<f64>(c, b, rows, cols, stride, batch); }
export function sumRows_f32(a: usize, rows: i32, cols: i32, stride: i32, batch: i32, out: usize, accumulate: bool): void { sumRows<f32>(a, rows, cols, stride, batch, out, accumulate); }
export function sumRows_f64(a: usize, rows: i32, cols: i32, stride: i32, batch: i32, out: usize, accumulate: bool): void { sumRows<f64>(a, rows, cols, stride, batch, out, accumulate); }
export function add_f32(a: usize, b: usize, out: usize, n: i32): void { add<f32>(a, b, out, n); }
export function add_f64(a: usize, b: usize, out: usize, n: i32): void { add<f64>(a, b, out, n); }

export function toTimeMajor_f32(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { toTimeMajor<f32>(src, n, m, steps, dst, mp); }
export function toTimeMajor_f64(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { toTimeMajor<f64>(src, n, m, steps, dst, mp); }
export function fromTimeMajor_f32(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { fromTimeMajor<f32>(src, n, m, steps, dst, mp); }
export function fromTimeMajor_f64(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { fromTimeMajor<f64>(src, n, m, steps, dst, mp); }
export function transposeBlocks_f32(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void { transposeBlocks<f32>(src, rows, cols, lds, strideSrc, dst, ldd, strideDst, batch); }
export function transposeBlocks_f64(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void { transposeBlocks<f64>(src, rows, cols, lds, strideSrc, dst, ldd, strideDst, batch); }
