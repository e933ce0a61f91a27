// exp, expm1-based tanh and the logistic sigmoid on whole SIMD vectors (f32x4 and f64x2).
//
// exp(y) = 2ⁿ·(1 + q): n = round(y·log₂e), r = y − n·ln2 (Cody–Waite, |r| ≤ ln2/2), and
// q = expm1(r) = r + r²/2! + … as a Taylor polynomial (to r⁷ for f32, r¹³ for f64, each
// leaving a truncation error under a quarter of an ulp). 2ⁿ is assembled from exponent bits in
// two factors, so results that overflow become +∞ and tiny ones become subnormal or 0, as with
// Math.exp. tanh uses expm1 of −2|x| ≤ 0 (no cancellation near 0, no overflow) and restores the
// sign bit, so tanh(−0) = −0. NaN propagates through every path (min/max keep NaN).

// ---- f32x4 ----

const F32_LOG2E: f32 = 1.4426950408889634;
const F32_SHIFT: f32 = 12582912.0; // 1.5·2²³: adding it rounds to an integer held in the low mantissa bits
const F32_SHIFT_BITS: i32 = 0x4b400000;
const F32_LN2_HI: f32 = 0.693359375; // few mantissa bits: n·LN2_HI is exact
const F32_LN2_LO: f32 = -2.12194440e-4;

// @ts-ignore: decorator
@inline function expm1PolyF32(r: v128): v128 {
  let p = f32x4.splat(1.0 / 5040.0);
  p = f32x4.add(f32x4.splat(1.0 / 720.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 120.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 24.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  return f32x4.add(r, f32x4.mul(f32x4.mul(r, r), p));
}

/** `e^y` per lane. */
// @ts-ignore: decorator
@inline export function expF32(y: v128): v128 {
  const x = f32x4.max(f32x4.splat(-104.0), f32x4.min(y, f32x4.splat(89.0)));
  const kf = f32x4.add(f32x4.mul(x, f32x4.splat(F32_LOG2E)), f32x4.splat(F32_SHIFT));
  const nf = f32x4.sub(kf, f32x4.splat(F32_SHIFT));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(nf, f32x4.splat(F32_LN2_HI))), f32x4.mul(nf, f32x4.splat(F32_LN2_LO)));
  const n = i32x4.sub(kf, i32x4.splat(F32_SHIFT_BITS));
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const p = f32x4.add(f32x4.splat(1.0), expm1PolyF32(r));
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** `1 / (1 + e^−x)` per lane. */
// @ts-ignore: decorator
@inline export function sigmoidF32(x: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), expF32(f32x4.neg(x))));
}

/** `tanh(x)` per lane: with `u = expm1(−2|x|)`, `tanh|x| = −u / (u + 2)`, then x's sign. */
// @ts-ignore: decorator
@inline export function tanhF32(x: v128): v128 {
  const ax = f32x4.abs(x);
  // tanh is 1 in f32 beyond |x| ≈ 9; clamping −2|x| at −40 keeps 2ⁿ a normal number.
  const y = f32x4.max(f32x4.mul(ax, f32x4.splat(-2.0)), f32x4.splat(-40.0));
  const kf = f32x4.add(f32x4.mul(y, f32x4.splat(F32_LOG2E)), f32x4.splat(F32_SHIFT));
  const nf = f32x4.sub(kf, f32x4.splat(F32_SHIFT));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(nf, f32x4.splat(F32_LN2_HI))), f32x4.mul(nf, f32x4.splat(F32_LN2_LO)));
  const s = i32x4.shl(i32x4.add(i32x4.sub(kf, i32x4.splat(F32_SHIFT_BITS)), i32x4.splat(127)), 23);
  const u = f32x4.add(f32x4.mul(s, expm1PolyF32(r)), f32x4.sub(s, f32x4.splat(1.0)));
  const t = f32x4.abs(f32x4.div(f32x4.neg(u), f32x4.add(u, f32x4.splat(2.0))));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

// ---- f64x2 ----

const F64_LOG2E: f64 = 1.4426950408889634;
const F64_SHIFT: f64 = 6755399441055744.0; // 1.5·2⁵²
const F64_SHIFT_BITS: i64 = 0x4338000000000000;
const F64_LN2_HI: f64 = 6.93147180369123816490e-1; // low 32 bits zero: n·LN2_HI is exact
const F64_LN2_LO: f64 = 1.90821492927058770002e-10;

// @ts-ignore: decorator
@inline function expm1PolyF64(r: v128): v128 {
  let p = f64x2.splat(1.0 / 6227020800.0); // 1/13!
  p = f64x2.add(f64x2.splat(1.0 / 479001600.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 39916800.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 3628800.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 362880.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 5040.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 120.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 6.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, p));
  return f64x2.add(r, f64x2.mul(f64x2.mul(r, r), p));
}

/** `e^y` per lane. */
// @ts-ignore: decorator
@inline export function expF64(y: v128): v128 {
  const x = f64x2.max(f64x2.splat(-1080.0), f64x2.min(y, f64x2.splat(710.0)));
  const kf = f64x2.add(f64x2.mul(x, f64x2.splat(F64_LOG2E)), f64x2.splat(F64_SHIFT));
  const nf = f64x2.sub(kf, f64x2.splat(F64_SHIFT));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(nf, f64x2.splat(F64_LN2_HI))), f64x2.mul(nf, f64x2.splat(F64_LN2_LO)));
  const n = i64x2.sub(kf, i64x2.splat(F64_SHIFT_BITS));
  const n1 = i64x2.shr_s(n, 1);
  const n2 = i64x2.sub(n, n1);
  const s1 = i64x2.shl(i64x2.add(n1, i64x2.splat(1023)), 52);
  const s2 = i64x2.shl(i64x2.add(n2, i64x2.splat(1023)), 52);
  const p = f64x2.add(f64x2.splat(1.0), expm1PolyF64(r));
  return f64x2.mul(f64x2.mul(p, s1), s2);
}

/** `1 / (1 + e^−x)` per lane. */
// @ts-ignore: decorator
@inline export function sigmoidF64(x: v128): v128 {
  return f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.splat(1.0), expF64(f64x2.neg(x))));
}

/** `tanh(x)` per lane, as `tanhF32`. */
// @ts-ignore: decorator
@inline export function tanhF64(x: v128): v128 {
  const ax = f64x2.abs(x);
  // tanh is 1 in f64 beyond |x| ≈ 19.1.
  const y = f64x2.max(f64x2.mul(ax, f64x2.splat(-2.0)), f64x2.splat(-40.0));
  const kf = f64x2.add(f64x2.mul(y, f64x2.splat(F64_LOG2E)), f64x2.splat(F64_SHIFT));
  const nf = f64x2.sub(kf, f64x2.splat(F64_SHIFT));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(nf, f64x2.splat(F64_LN2_HI))), f64x2.mul(nf, f64x2.splat(F64_LN2_LO)));
  const s = i64x2.shl(i64x2.add(i64x2.sub(kf, i64x2.splat(F64_SHIFT_BITS)), i64x2.splat(1023)), 52);
  const u = f64x2.add(f64x2.mul(s, expm1PolyF64(r)), f64x2.sub(s, f64x2.splat(1.0)));
  const t = f64x2.abs(f64x2.div(f64x2.neg(u), f64x2.add(u, f64x2.splat(2.0))));
  return v128.or(t, v128.and(x, i64x2.splat(0x8000000000000000)));
}

// ---- generic over the element type ----

/** `e^y` on a vector of `T` (f32 or f64). */
// @ts-ignore: decorator
@inline export function vexp<T>(y: v128): v128 {
  return sizeof<T>() == 4 ? expF32(y) : expF64(y);
}

/** `σ(x)` on a vector of `T`. */
// @ts-ignore: decorator
@inline export function vsigmoid<T>(x: v128): v128 {
  return sizeof<T>() == 4 ? sigmoidF32(x) : sigmoidF64(x);
}

/** `tanh(x)` on a vector of `T`. */
// @ts-ignore: decorator
@inline export function vtanh<T>(x: v128): v128 {
  return sizeof<T>() == 4 ? tanhF32(x) : tanhF64(x);
}
