// The WebAssembly SIMD engine of @rnn/backend-cpu: every export comes in an f32 and an f64
// instantiation. Pointers are byte addresses in this module's memory, sizes and strides count
// elements. The TypeScript side (src/engine/wasm-engine.ts) owns the memory layout.

import { gemmPacked, packA, packedLength } from './gemm';
import { fromTimeMajor, toTimeMajor, transposeBlocks } from './layout';
import { add, fillRows, gruBackStep, gruStep, gruStepVariant, lstmBackStep, lstmStep, lstmStepVariant, mapInPlace, rnnBackStep, rnnStep, rnnStepVariant, softmaxColumns, sumRows } from './pointwise';

export { packedLength };

export function packA_f32(a: usize, rowStride: i32, colStride: i32, segStride: i32, L: i32, S: i32, M: i32, dst: usize): void { packA<f32>(a, rowStride, colStride, segStride, L, S, M, dst); }
export function packA_f64(a: usize, rowStride: i32, colStride: i32, segStride: i32, L: i32, S: i32, M: i32, dst: usize): void { packA<f64>(a, rowStride, colStride, segStride, L, S, M, dst); }

export function gemm_f32(ap: usize, M: i32, K: i32, b: usize, ldb: i32, strideB: i32, c: usize, ldc: i32, strideC: i32, N: i32, batch: i32, accumulate: bool): void { gemmPacked<f32>(ap, M, K, b, ldb, strideB, c, ldc, strideC, N, batch, accumulate); }
export function gemm_f64(ap: usize, M: i32, K: i32, b: usize, ldb: i32, strideB: i32, c: usize, ldc: i32, strideC: i32, N: i32, batch: i32, accumulate: bool): void { gemmPacked<f64>(ap, M, K, b, ldb, strideB, c, ldc, strideC, N, batch, accumulate); }



export function lstmStep_f32(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { lstmStep<f32>(wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, u0, u1); }
export function lstmStep_f64(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { lstmStep<f64>(wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, u0, u1); }
export function lstmBackStep_f32(waT: usize, dGNext: usize, daCarry: usize, dh: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { lstmBackStep<f32>(waT, dGNext, daCarry, dh, dcCarry, c, cPrev, g, dG, mask, nA, mp, u0, u1, withCarry); }
export function lstmBackStep_f64(waT: usize, dGNext: usize, daCarry: usize, dh: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { lstmBackStep<f64>(waT, dGNext, daCarry, dh, dcCarry, c, cPrev, g, dG, mask, nA, mp, u0, u1, withCarry); }
export function rnnStep_f32(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { rnnStep<f32>(wa, hPrev, z, h, mask, nA, mp, u0, u1); }
export function rnnStep_f64(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { rnnStep<f64>(wa, hPrev, z, h, mask, nA, mp, u0, u1); }
export function rnnBackStep_f32(waT: usize, dzNext: usize, daCarry: usize, dh: usize, h: usize, dz: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { rnnBackStep<f32>(waT, dzNext, daCarry, dh, h, dz, mask, nA, mp, u0, u1, withCarry); }
export function rnnBackStep_f64(waT: usize, dzNext: usize, daCarry: usize, dh: usize, h: usize, dz: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { rnnBackStep<f64>(waT, dzNext, daCarry, dh, h, dz, mask, nA, mp, u0, u1, withCarry); }
export function gruStep_f32(w: usize, hPrev: usize, g: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { gruStep<f32>(w, hPrev, g, h, mask, nA, mp, u0, u1); }
export function gruStep_f64(w: usize, hPrev: usize, g: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void { gruStep<f64>(w, hPrev, g, h, mask, nA, mp, u0, u1); }
export function gruBackStep_f32(wT: usize, dGNext: usize, daCarry: usize, dh: usize, hPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { gruBackStep<f32>(wT, dGNext, daCarry, dh, hPrev, g, dG, mask, nA, mp, u0, u1, withCarry); }
export function gruBackStep_f64(wT: usize, dGNext: usize, daCarry: usize, dh: usize, hPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void { gruBackStep<f64>(wT, dGNext, daCarry, dh, hPrev, g, dG, mask, nA, mp, u0, u1, withCarry); }

export function lstmStepVariant_f32(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, peep: usize, clip: f64, coupled: bool): void { lstmStepVariant<f32>(wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, peep, clip, coupled); }
export function lstmStepVariant_f64(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, peep: usize, clip: f64, coupled: bool): void { lstmStepVariant<f64>(wa, K, hPrev, g, cPrev, c, h, mask, nA, mp, peep, clip, coupled); }
export function rnnStepVariant_f32(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, clip: f64): void { rnnStepVariant<f32>(wa, hPrev, z, h, mask, nA, mp, clip); }
export function rnnStepVariant_f64(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, clip: f64): void { rnnStepVariant<f64>(wa, hPrev, z, h, mask, nA, mp, clip); }
export function gruStepVariant_f32(w: usize, whh: usize, hPrev: usize, g: usize, h: usize, rh: usize, mask: usize, nA: i32, mp: i32, clip: f64, resetAfter: bool): void { gruStepVariant<f32>(w, whh, hPrev, g, h, rh, mask, nA, mp, clip, resetAfter); }
export function gruStepVariant_f64(w: usize, whh: usize, hPrev: usize, g: usize, h: usize, rh: usize, mask: usize, nA: i32, mp: i32, clip: f64, resetAfter: bool): void { gruStepVariant<f64>(w, whh, hPrev, g, h, rh, mask, nA, mp, clip, resetAfter); }

export function softmaxColumns_f32(z: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { softmaxColumns<f32>(z, rows, cols, stride, batch); }
export function softmaxColumns_f64(z: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { softmaxColumns<f64>(z, rows, cols, stride, batch); }
export function fillRows_f32(c: usize, b: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { fillRows<f32>(c, b, rows, cols, stride, batch); }
export function fillRows_f64(c: usize, b: usize, rows: i32, cols: i32, stride: i32, batch: i32): void { fillRows<f64>(c, b, rows, cols, stride, batch); }
export function sumRows_f32(a: usize, rows: i32, cols: i32, stride: i32, batch: i32, out: usize, accumulate: bool): void { sumRows<f32>(a, rows, cols, stride, batch, out, accumulate); }
export function sumRows_f64(a: usize, rows: i32, cols: i32, stride: i32, batch: i32, out: usize, accumulate: bool): void { sumRows<f64>(a, rows, cols, stride, batch, out, accumulate); }
export function mapInPlace_f32(kind: i32, a: usize, n: i32): void { mapInPlace<f32>(kind, a, n); }
export function mapInPlace_f64(kind: i32, a: usize, n: i32): void { mapInPlace<f64>(kind, a, n); }
export function add_f32(a: usize, b: usize, out: usize, n: i32): void { add<f32>(a, b, out, n); }
export function add_f64(a: usize, b: usize, out: usize, n: i32): void { add<f64>(a, b, out, n); }

export function toTimeMajor_f32(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { toTimeMajor<f32>(src, n, m, steps, dst, mp); }
export function toTimeMajor_f64(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { toTimeMajor<f64>(src, n, m, steps, dst, mp); }
export function fromTimeMajor_f32(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { fromTimeMajor<f32>(src, n, m, steps, dst, mp); }
export function fromTimeMajor_f64(src: usize, n: i32, m: i32, steps: i32, dst: usize, mp: i32): void { fromTimeMajor<f64>(src, n, m, steps, dst, mp); }
export function transposeBlocks_f32(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void { transposeBlocks<f32>(src, rows, cols, lds, strideSrc, dst, ldd, strideDst, batch); }
export function transposeBlocks_f64(src: usize, rows: i32, cols: i32, lds: i32, strideSrc: i32, dst: usize, ldd: i32, strideDst: i32, batch: i32): void { transposeBlocks<f64>(src, rows, cols, lds, strideSrc, dst, ldd, strideDst, batch); }
