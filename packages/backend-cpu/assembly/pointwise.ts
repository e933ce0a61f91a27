// The element-wise parts of a recurrent step, fused: one pass over the gates per step forward
// and one per step backward, each lane a column of the (padded) batch. `n` counts elements and
// is a multiple of the lane count; every block is a contiguous `(rows, m_pad)` slab.

import { gemmPacked } from './gemm';
import { vexp, vsigmoid, vtanh } from './vector-math';

// @ts-ignore: decorator
@inline function one<T>(): v128 {
  return v128.splat<T>(<T>1);
}

/**
 * LSTM step forward on `count` elements: `g` holds the pre-activations of the forget gate, and
 * the update, candidate and output gates follow every `stride` elements; they are overwritten
 * with `ft, it, cct, ot`, then `c = ft ⊙ cPrev + it ⊙ cct`, `h = ot ⊙ tanh(c)`.
 */
function lstmPointwiseForward<T>(g: usize, stride: i32, cPrev: usize, c: usize, h: usize, count: i32): void {
  const size = <usize>sizeof<T>();
  const block = <usize>stride * size;
  const end = <usize>count * size;
  for (let o: usize = 0; o < end; o += 16) {
    const f = vsigmoid<T>(v128.load(g + o));
    const i = vsigmoid<T>(v128.load(g + block + o));
    const cc = vtanh<T>(v128.load(g + 2 * block + o));
    const ot = vsigmoid<T>(v128.load(g + 3 * block + o));
    v128.store(g + o, f);
    v128.store(g + block + o, i);
    v128.store(g + 2 * block + o, cc);
    v128.store(g + 3 * block + o, ot);
    const cn = v128.add<T>(v128.mul<T>(f, v128.load(cPrev + o)), v128.mul<T>(i, cc));
    v128.store(c + o, cn);
    v128.store(h + o, v128.mul<T>(ot, vtanh<T>(cn)));
  }
}

/**
 * LSTM step backward on `count` elements, per SPEC.md (gates `stride` apart in `g` and `dG`).
 * With `da = dh + daCarry` and `tc = tanh(c)`: `dc = dcCarry + da ⊙ ot ⊙ (1 − tc²)`,
 * `dG = [dc ⊙ cPrev ⊙ ft(1−ft); dc ⊙ cct ⊙ it(1−it); dc ⊙ it ⊙ (1 − cct²); da ⊙ tc ⊙ ot(1−ot)]`,
 * and `dcCarry ← dc ⊙ ft` (in place).
 */
function lstmPointwiseBackward<T>(dh: usize, daCarry: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, stride: i32, count: i32): void {
  const size = <usize>sizeof<T>();
  const block = <usize>stride * size;
  const end = <usize>count * size;
  const ones = one<T>();
  for (let o: usize = 0; o < end; o += 16) {
    const da = v128.add<T>(v128.load(dh + o), v128.load(daCarry + o));
    const tc = vtanh<T>(v128.load(c + o));
    const f = v128.load(g + o);
    const i = v128.load(g + block + o);
    const cc = v128.load(g + 2 * block + o);
    const ot = v128.load(g + 3 * block + o);
    const dc = v128.add<T>(v128.load(dcCarry + o), v128.mul<T>(v128.mul<T>(da, ot), v128.sub<T>(ones, v128.mul<T>(tc, tc))));
    v128.store(dG + o, v128.mul<T>(v128.mul<T>(dc, v128.load(cPrev + o)), v128.mul<T>(f, v128.sub<T>(ones, f))));
    v128.store(dG + block + o, v128.mul<T>(v128.mul<T>(dc, cc), v128.mul<T>(i, v128.sub<T>(ones, i))));
    v128.store(dG + 2 * block + o, v128.mul<T>(v128.mul<T>(dc, i), v128.sub<T>(ones, v128.mul<T>(cc, cc))));
    v128.store(dG + 3 * block + o, v128.mul<T>(v128.mul<T>(da, tc), v128.mul<T>(ot, v128.sub<T>(ones, ot))));
    v128.store(dcCarry + o, v128.mul<T>(dc, f));
  }
}

/**
 * One LSTM step forward for the hidden units `[u0, u1)`: `G += W_a·hPrev` for those rows of each
 * gate (`W_a` packed, `4·n_a` rows of `K`; the four gates at once when the range is all units),
 * then the gates and the new state. Disjoint unit ranges can run on different threads: each
 * reads all of `hPrev` and writes only its own rows.
 */
export function lstmStep<T>(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  const size = <usize>sizeof<T>();
  if (u0 == 0 && u1 == nA) {
    gemmPacked<T>(wa, 4 * nA, K, hPrev, mp, 0, g, mp, 0, mp, 1, true);
  } else {
    for (let gate = 0; gate < 4; gate++) {
      const r0 = gate * nA + u0;
      gemmPacked<T>(wa + <usize>(r0 * K) * size, u1 - u0, K, hPrev, mp, 0, g + <usize>(r0 * mp) * size, mp, 0, mp, 1, true);
    }
  }
  const at = <usize>(u0 * mp) * size;
  lstmPointwiseForward<T>(g + at, nA * mp, cPrev + at, c + at, h + at, (u1 - u0) * mp);
}

/**
 * One LSTM step backward for the hidden units `[u0, u1)`: when `withCarry`, first
 * `daCarry = W_aᵀ·dGNext` for those rows (the gradient flowing back from the step after, `W_aᵀ`
 * packed, `4·n_a` columns), then the gate gradients `dG` of those units and their `dcCarry`.
 */
export function lstmBackStep<T>(waT: usize, dGNext: usize, daCarry: usize, dh: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void {
  const size = <usize>sizeof<T>();
  const at = <usize>(u0 * mp) * size;
  if (withCarry) gemmPacked<T>(waT + <usize>(u0 * 4 * nA) * size, u1 - u0, 4 * nA, dGNext, mp, 0, daCarry + at, mp, 0, mp, 1, false);
  lstmPointwiseBackward<T>(dh + at, daCarry + at, dcCarry + at, c + at, cPrev + at, g + at, dG + at, nA * mp, (u1 - u0) * mp);
}

/** One RNN step forward for the hidden units `[u0, u1)`: `z += Waa·hPrev` for those rows, `h = tanh(z)`. */
export function rnnStep<T>(wa: usize, hPrev: usize, z: usize, h: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  const size = <usize>sizeof<T>();
  const at = <usize>(u0 * mp) * size;
  gemmPacked<T>(wa + <usize>(u0 * nA) * size, u1 - u0, nA, hPrev, mp, 0, z + at, mp, 0, mp, 1, true);
  const end = <usize>((u1 - u0) * mp) * size;
  for (let o: usize = 0; o < end; o += 16) v128.store(h + at + o, vtanh<T>(v128.load(z + at + o)));
}

/**
 * One RNN step backward for the hidden units `[u0, u1)`: when `withCarry`, first
 * `daCarry = Waaᵀ·dzNext` for those rows, then `dz = (1 − h²) ⊙ (dh + daCarry)`.
 */
export function rnnBackStep<T>(waT: usize, dzNext: usize, daCarry: usize, dh: usize, h: usize, dz: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void {
  const size = <usize>sizeof<T>();
  const at = <usize>(u0 * mp) * size;
  if (withCarry) gemmPacked<T>(waT + <usize>(u0 * nA) * size, u1 - u0, nA, dzNext, mp, 0, daCarry + at, mp, 0, mp, 1, false);
  const ones = one<T>();
  const end = <usize>((u1 - u0) * mp) * size;
  for (let o: usize = at; o < at + end; o += 16) {
    const a = v128.load(h + o);
    v128.store(dz + o, v128.mul<T>(v128.sub<T>(ones, v128.mul<T>(a, a)), v128.add<T>(v128.load(dh + o), v128.load(daCarry + o))));
  }
}

/** Softmax down each column of `batch` blocks `(rows, cols)` at `z + bi·stride`, in place: `e^{z − max} / Σ e^{z − max}`. */
export function softmaxColumns<T>(z: usize, rows: i32, cols: i32, stride: i32, batch: i32): void {
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>cols * size;
  for (let bi = 0; bi < batch; bi++) {
    const base = z + <usize>(bi * stride) * size;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      let top = v128.load(base + j);
      for (let r = 1; r < rows; r++) top = v128.max<T>(top, v128.load(base + <usize>r * rowBytes + j));
      let sum = v128.splat<T>(<T>0);
      for (let r = 0; r < rows; r++) {
        const p = base + <usize>r * rowBytes + j;
        const e = vexp<T>(v128.sub<T>(v128.load(p), top));
        v128.store(p, e);
        sum = v128.add<T>(sum, e);
      }
      for (let r = 0; r < rows; r++) {
        const p = base + <usize>r * rowBytes + j;
        v128.store(p, v128.div<T>(v128.load(p), sum));
      }
    }
  }
}

/** Fills `batch` blocks `(rows, cols)` at `c + bi·stride` with the bias broadcast over columns: `c[r, j] = b[r]`. */
export function fillRows<T>(c: usize, b: usize, rows: i32, cols: i32, stride: i32, batch: i32): void {
  const size = <usize>sizeof<T>();
  for (let bi = 0; bi < batch; bi++) {
    let p = c + <usize>(bi * stride) * size;
    for (let r = 0; r < rows; r++) {
      const v = v128.splat<T>(load<T>(b + <usize>r * size));
      for (let j = 0; j < cols; j += 16 / sizeof<T>()) {
        v128.store(p, v);
        p += 16;
      }
    }
  }
}

/** `out[r] [+]= Σ_bi Σ_j a[bi·stride + r·cols + j]`: bias gradients summed over batch and time. */
export function sumRows<T>(a: usize, rows: i32, cols: i32, stride: i32, batch: i32, out: usize, accumulate: bool): void {
  const size = <usize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  for (let r = 0; r < rows; r++) {
    let acc = v128.splat<T>(<T>0);
    for (let bi = 0; bi < batch; bi++) {
      const p = a + <usize>(bi * stride + r * cols) * size;
      for (let j = 0; j < cols; j += lanes) acc = v128.add<T>(acc, v128.load(p + <usize>j * size));
    }
    let s: T = <T>0;
    for (let l = 0; l < lanes; l++) s += extractLane<T>(acc, l);
    const q = out + <usize>r * size;
    store<T>(q, accumulate ? load<T>(q) + s : s);
  }
}

// @ts-ignore: decorator
@inline function extractLane<T>(v: v128, l: i32): T {
  if (sizeof<T>() == 4) {
    if (l == 0) return <T>f32x4.extract_lane(v, 0);
    if (l == 1) return <T>f32x4.extract_lane(v, 1);
    if (l == 2) return <T>f32x4.extract_lane(v, 2);
    return <T>f32x4.extract_lane(v, 3);
  }
  return l == 0 ? <T>f64x2.extract_lane(v, 0) : <T>f64x2.extract_lane(v, 1);
}

/** `out = a + b` over `n` elements. */
export function add<T>(a: usize, b: usize, out: usize, n: i32): void {
  const block = <usize>n * sizeof<T>();
  for (let o: usize = 0; o < block; o += 16) v128.store(out + o, v128.add<T>(v128.load(a + o), v128.load(b + o)));
}

/** Applies `exp` (kind 0), `σ` (1) or `tanh` (2) to `n` elements in place: the vector functions on their own, for accuracy tests. */
export function mapInPlace<T>(kind: i32, a: usize, n: i32): void {
  const end = <usize>n * sizeof<T>();
  for (let o: usize = 0; o < end; o += 16) {
    const v = v128.load(a + o);
    v128.store(a + o, kind == 0 ? vexp<T>(v) : kind == 1 ? vsigmoid<T>(v) : vtanh<T>(v));
  }
}
