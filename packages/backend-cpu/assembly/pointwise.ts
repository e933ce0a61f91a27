// The element-wise parts of a recurrent step, fused with the step's recurrent product: one
// call per step forward and one per step backward for a range of hidden units, each lane a
// column of the (padded) batch; every block is a contiguous `(rows, m_pad)` slab.

import { gemmPacked } from './gemm';
import { vexp, vsigmoid, vtanh } from './vector-math';

// @ts-ignore: decorator
@inline function one<T>(): v128 {
  return v128.splat<T>(<T>1);
}

// Masks: with per-example sequence lengths, step t of example j runs only while t < length_j.
// `mask` then points at the step's row of `mp` lanes, all ones where the step runs and zero
// where it does not (0 = no mask: every column runs). A column that does not run keeps its state
// (and in the backward passes its carried gradients through) and produces zero gate gradients.

// @ts-ignore: decorator
@inline function laneMask<T>(mask: usize, col: usize): v128 {
  return mask == 0 ? v128.splat<i32>(-1) : v128.load(mask + col);
}

/**
 * LSTM step forward for units `[u0, u1)` of `g = [zf; zi; zc; zo]` (blocks `n_a·mp` apart, one
 * row per unit): the activations replace the pre-activations, `c = ft ⊙ cPrev + it ⊙ cct`,
 * `h = ot ⊙ tanh(c)`; masked columns keep `cPrev`, `hPrev`.
 */
function lstmPointwiseForward<T>(g: usize, hPrev: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const f = vsigmoid<T>(v128.load(g + o));
      const i = vsigmoid<T>(v128.load(g + block + o));
      const cc = vtanh<T>(v128.load(g + 2 * block + o));
      const ot = vsigmoid<T>(v128.load(g + 3 * block + o));
      v128.store(g + o, f);
      v128.store(g + block + o, i);
      v128.store(g + 2 * block + o, cc);
      v128.store(g + 3 * block + o, ot);
      const cp = v128.load(cPrev + o);
      const cn = v128.add<T>(v128.mul<T>(f, cp), v128.mul<T>(i, cc));
      const on = laneMask<T>(mask, j);
      v128.store(c + o, v128.bitselect(cn, cp, on));
      v128.store(h + o, v128.bitselect(v128.mul<T>(ot, vtanh<T>(cn)), v128.load(hPrev + o), on));
    }
  }
}

/**
 * LSTM step backward for units `[u0, u1)`, per SPEC.md. With `da = dh + daCarry`, `tc = tanh(c)`:
 * `dc = dcCarry + da ⊙ ot ⊙ (1 − tc²)`, `dG = [dc ⊙ cPrev ⊙ ft(1−ft); dc ⊙ cct ⊙ it(1−it);
 * dc ⊙ it ⊙ (1 − cct²); da ⊙ tc ⊙ ot(1−ot)]`, `dcCarry ← dc ⊙ ft`, and `daCarry ← 0`, the base
 * the next step's `W_aᵀ·dG` is added to. Masked columns: `dG = 0`, both carries pass through.
 */
function lstmPointwiseBackward<T>(dh: usize, daCarry: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  const ones = one<T>();
  const zero = v128.splat<T>(<T>0);
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const on = laneMask<T>(mask, j);
      const carry = v128.load(daCarry + o);
      const da = v128.add<T>(v128.load(dh + o), carry);
      const tc = vtanh<T>(v128.load(c + o));
      const f = v128.load(g + o);
      const i = v128.load(g + block + o);
      const cc = v128.load(g + 2 * block + o);
      const ot = v128.load(g + 3 * block + o);
      const dcIn = v128.load(dcCarry + o);
      const dc = v128.add<T>(dcIn, v128.mul<T>(v128.mul<T>(da, ot), v128.sub<T>(ones, v128.mul<T>(tc, tc))));
      v128.store(dG + o, v128.bitselect(v128.mul<T>(v128.mul<T>(dc, v128.load(cPrev + o)), v128.mul<T>(f, v128.sub<T>(ones, f))), zero, on));
      v128.store(dG + block + o, v128.bitselect(v128.mul<T>(v128.mul<T>(dc, cc), v128.mul<T>(i, v128.sub<T>(ones, i))), zero, on));
      v128.store(dG + 2 * block + o, v128.bitselect(v128.mul<T>(v128.mul<T>(dc, i), v128.sub<T>(ones, v128.mul<T>(cc, cc))), zero, on));
      v128.store(dG + 3 * block + o, v128.bitselect(v128.mul<T>(v128.mul<T>(da, tc), v128.mul<T>(ot, v128.sub<T>(ones, ot))), zero, on));
      v128.store(dcCarry + o, v128.bitselect(v128.mul<T>(dc, f), dcIn, on));
      v128.store(daCarry + o, v128.bitselect(zero, carry, on));
    }
  }
}

/** `C += A·B` for the rows `[r0, r1)` of a packed A (`K` columns) into C (row stride `mp`): one block of rows of a step's product. */
// @ts-ignore: decorator
@inline function rowsProduct<T>(ap: usize, K: i32, b: usize, c: usize, mp: i32, r0: i32, r1: i32): void {
  const size = <usize>sizeof<T>();
  gemmPacked<T>(ap + <usize>(r0 * K) * size, r1 - r0, K, b, mp, 0, c + <usize>(r0 * mp) * size, mp, 0, mp, 1, true);
}

/**
 * `C += W·hPrev` for `blocks` blocks of `n_a` rows (gates), restricted to the units `[u0, u1)` of
 * each: the recurrent product of one step. All units at once is one product over `blocks·n_a` rows.
 */
// @ts-ignore: decorator
@inline function recurrentProduct<T>(w: usize, K: i32, hPrev: usize, c: usize, blocks: i32, nA: i32, mp: i32, u0: i32, u1: i32): void {
  if (u0 == 0 && u1 == nA) {
    rowsProduct<T>(w, K, hPrev, c, mp, 0, blocks * nA);
  } else {
    for (let gate = 0; gate < blocks; gate++) rowsProduct<T>(w, K, hPrev, c, mp, gate * nA + u0, gate * nA + u1);
  }
}

/**
 * One LSTM step forward for the hidden units `[u0, u1)`: `G += W_a·hPrev` for those rows of each
 * gate (`W_a` packed, `4·n_a` rows of `K`), then the gates and the new state. Disjoint unit
 * ranges can run on different threads: each reads all of `hPrev` and writes only its own rows.
 */
export function lstmStep<T>(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  recurrentProduct<T>(wa, K, hPrev, g, 4, nA, mp, u0, u1);
  lstmPointwiseForward<T>(g, hPrev, cPrev, c, h, mask, nA, mp, u0, u1);
}

/**
 * One LSTM step backward for the hidden units `[u0, u1)`: when `withCarry`, first
 * `daCarry += W_aᵀ·dGNext` for those rows (the gradient from the step after; `W_aᵀ` packed,
 * `4·n_a` columns), then the gate gradients `dG` of those units and their carries.
 */
export function lstmBackStep<T>(waT: usize, dGNext: usize, daCarry: usize, dh: usize, dcCarry: usize, c: usize, cPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void {
  if (withCarry) rowsProduct<T>(waT, 4 * nA, dGNext, daCarry, mp, u0, u1);
  lstmPointwiseBackward<T>(dh, daCarry, dcCarry, c, cPrev, g, dG, mask, nA, mp, u0, u1);
}

/** One RNN step forward for the hidden units `[u0, u1)`: `z += Waa·hPrev` for those rows, `h = tanh(z)`; masked columns keep `hPrev`. */
export function rnnStep<T>(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  rowsProduct<T>(wa, nA, hPrev, z, mp, u0, u1);
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>mp * size;
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      v128.store(h + o, v128.bitselect(vtanh<T>(v128.load(z + o)), v128.load(hPrev + o), laneMask<T>(mask, j)));
    }
  }
}

/**
 * One RNN step backward for the hidden units `[u0, u1)`: when `withCarry`, first
 * `daCarry += Waaᵀ·dzNext` for those rows, then `dz = (1 − h²) ⊙ (dh + daCarry)` and
 * `daCarry ← 0`; masked columns: `dz = 0`, the carry passes through.
 */
export function rnnBackStep<T>(waT: usize, dzNext: usize, daCarry: usize, dh: usize, h: usize, dz: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void {
  if (withCarry) rowsProduct<T>(waT, nA, dzNext, daCarry, mp, u0, u1);
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>mp * size;
  const ones = one<T>();
  const zero = v128.splat<T>(<T>0);
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const on = laneMask<T>(mask, j);
      const a = v128.load(h + o);
      const carry = v128.load(daCarry + o);
      v128.store(dz + o, v128.bitselect(v128.mul<T>(v128.sub<T>(ones, v128.mul<T>(a, a)), v128.add<T>(v128.load(dh + o), carry)), zero, on));
      v128.store(daCarry + o, v128.bitselect(zero, carry, on));
    }
  }
}

/**
 * One GRU step forward for the hidden units `[u0, u1)`, the reset gate applied after the recurrent
 * product. `g` holds, per unit row, four blocks `n_a·mp` apart: the pre-activations
 * `[Wz_x·x + bz; Wr_x·x + br; bhh; Whx·x + bhx]`. First `g[0:3] += [Wz_a; Wr_a; Whh]·hPrev`
 * (`w` packed, `3·n_a` rows of `n_a`), then `zt = σ(g0)`, `rt = σ(g1)`, `hh = g2`,
 * `hct = tanh(g3 + rt ⊙ hh)`, `h = (1 − zt) ⊙ hct + zt ⊙ hPrev`; `g` becomes `[zt; rt; hh; hct]`.
 */
export function gruStep<T>(w: usize, hPrev: usize, g: usize, h: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32): void {
  recurrentProduct<T>(w, nA, hPrev, g, 3, nA, mp, u0, u1);
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  const ones = one<T>();
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const z = vsigmoid<T>(v128.load(g + o));
      const rt = vsigmoid<T>(v128.load(g + block + o));
      const hct = vtanh<T>(v128.add<T>(v128.load(g + 3 * block + o), v128.mul<T>(rt, v128.load(g + 2 * block + o))));
      v128.store(g + o, z);
      v128.store(g + block + o, rt);
      v128.store(g + 3 * block + o, hct);
      const hp = v128.load(hPrev + o);
      const hn = v128.add<T>(v128.mul<T>(v128.sub<T>(ones, z), hct), v128.mul<T>(z, hp));
      v128.store(h + o, v128.bitselect(hn, hp, laneMask<T>(mask, j)));
    }
  }
}

/**
 * One GRU step backward for the hidden units `[u0, u1)`, per SPEC.md. When `withCarry`, first
 * `daCarry += [Wz_a; Wr_a; Whh]ᵀ·dGNext[0:3]`. With `da = dh + daCarry`:
 * `dz = da ⊙ (hPrev − hct) ⊙ zt(1 − zt)`, `dhpre = da ⊙ (1 − zt) ⊙ (1 − hct²)`,
 * `dr = dhpre ⊙ hh ⊙ rt(1 − rt)`, `dhh = dhpre ⊙ rt`; `dG = [dz; dr; dhh; dhpre]` and
 * `daCarry ← da ⊙ zt`, the direct path the next step's product is added to. Masked columns:
 * `dG = 0`, the carry passes through.
 */
export function gruBackStep<T>(wT: usize, dGNext: usize, daCarry: usize, dh: usize, hPrev: usize, g: usize, dG: usize, mask: usize, nA: i32, mp: i32, u0: i32, u1: i32, withCarry: bool): void {
  if (withCarry) rowsProduct<T>(wT, 3 * nA, dGNext, daCarry, mp, u0, u1);
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  const ones = one<T>();
  const zero = v128.splat<T>(<T>0);
  for (let r = u0; r < u1; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const on = laneMask<T>(mask, j);
      const carry = v128.load(daCarry + o);
      const da = v128.add<T>(v128.load(dh + o), carry);
      const z = v128.load(g + o);
      const rt = v128.load(g + block + o);
      const hh = v128.load(g + 2 * block + o);
      const hct = v128.load(g + 3 * block + o);
      const dz = v128.mul<T>(v128.mul<T>(da, v128.sub<T>(v128.load(hPrev + o), hct)), v128.mul<T>(z, v128.sub<T>(ones, z)));
      const dhpre = v128.mul<T>(v128.mul<T>(da, v128.sub<T>(ones, z)), v128.sub<T>(ones, v128.mul<T>(hct, hct)));
      v128.store(dG + o, v128.bitselect(dz, zero, on));
      v128.store(dG + block + o, v128.bitselect(v128.mul<T>(v128.mul<T>(dhpre, hh), v128.mul<T>(rt, v128.sub<T>(ones, rt))), zero, on));
      v128.store(dG + 2 * block + o, v128.bitselect(v128.mul<T>(dhpre, rt), zero, on));
      v128.store(dG + 3 * block + o, v128.bitselect(dhpre, zero, on));
      v128.store(daCarry + o, v128.bitselect(v128.mul<T>(da, z), carry, on));
    }
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

// ---- forward-only variants of the cells, for imported models (ONNX clip, peepholes, input_forget, GRU linear_before_reset = 0) ----

// @ts-ignore: decorator
@inline function clamp<T>(x: v128, hi: v128, lo: v128): v128 {
  return v128.max<T>(v128.min<T>(x, hi), lo);
}

/**
 * One LSTM step forward with ONNX's options, all units: `G += W_a·hPrev`, then with
 * `P = [Pi; Po; Pf]` (`peep`, three `n_a` vectors, or 0 for none) and every pre-activation clamped
 * to `[−clip, clip]`: `ft = σ(zf + Pf ⊙ cPrev)`, `it = σ(zi + Pi ⊙ cPrev)`, `cct = tanh(zc)`,
 * `ft = 1 − it` when `coupled`, `c = ft ⊙ cPrev + it ⊙ cct`, `ot = σ(zo + Po ⊙ c)`, `h = ot ⊙ tanh(c)`.
 */
export function lstmStepVariant<T>(wa: usize, K: i32, hPrev: usize, g: usize, cPrev: usize, c: usize, h: usize, mask: usize, nA: i32, mp: i32, peep: usize, clip: f64, coupled: bool): void {
  rowsProduct<T>(wa, K, hPrev, g, mp, 0, 4 * nA);
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  const hi = v128.splat<T>(<T>clip);
  const lo = v128.splat<T>(<T>-clip);
  const ones = one<T>();
  const zero = v128.splat<T>(<T>0);
  for (let r = 0; r < nA; r++) {
    const row = <usize>r * rowBytes;
    const pi = peep == 0 ? zero : v128.load_splat<T>(peep + <usize>r * size);
    const po = peep == 0 ? zero : v128.load_splat<T>(peep + <usize>(nA + r) * size);
    const pf = peep == 0 ? zero : v128.load_splat<T>(peep + <usize>(2 * nA + r) * size);
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const cp = v128.load(cPrev + o);
      const i = vsigmoid<T>(clamp<T>(v128.add<T>(v128.load(g + block + o), v128.mul<T>(pi, cp)), hi, lo));
      const f = coupled ? v128.sub<T>(ones, i) : vsigmoid<T>(clamp<T>(v128.add<T>(v128.load(g + o), v128.mul<T>(pf, cp)), hi, lo));
      const cc = vtanh<T>(clamp<T>(v128.load(g + 2 * block + o), hi, lo));
      const cn = v128.add<T>(v128.mul<T>(f, cp), v128.mul<T>(i, cc));
      const ot = vsigmoid<T>(clamp<T>(v128.add<T>(v128.load(g + 3 * block + o), v128.mul<T>(po, cn)), hi, lo));
      v128.store(g + o, f);
      v128.store(g + block + o, i);
      v128.store(g + 2 * block + o, cc);
      v128.store(g + 3 * block + o, ot);
      const on = laneMask<T>(mask, j);
      v128.store(c + o, v128.bitselect(cn, cp, on));
      v128.store(h + o, v128.bitselect(v128.mul<T>(ot, vtanh<T>(cn)), v128.load(hPrev + o), on));
    }
  }
}

/** One RNN step forward with ONNX's `clip`, all units: `z += Waa·hPrev`, `h = tanh(clamp(z))`. */
export function rnnStepVariant<T>(wa: usize, hPrev: usize, z: usize, h: usize, mask: usize, nA: i32, mp: i32, clip: f64): void {
  rowsProduct<T>(wa, nA, hPrev, z, mp, 0, nA);
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>mp * size;
  const hi = v128.splat<T>(<T>clip);
  const lo = v128.splat<T>(<T>-clip);
  for (let r = 0; r < nA; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      v128.store(h + o, v128.bitselect(vtanh<T>(clamp<T>(v128.load(z + o), hi, lo)), v128.load(hPrev + o), laneMask<T>(mask, j)));
    }
  }
}

/**
 * One GRU step forward with ONNX's options, all units. `w` packs `[Wz_a; Wr_a; Whh]` (`3·n_a` rows
 * of `n_a`); `g` holds `[zx + bz; rx + br; bhh; hx + bhx]`; pre-activations are clamped to
 * `[−clip, clip]`. With `resetAfter` (linear_before_reset = 1) as `gruStep`; otherwise the reset
 * gate acts first: `hh = Whh·(rt ⊙ hPrev) + bhh` (`whh` packed on its own, through `rh`, `n_a·mp` scratch) and
 * `hct = tanh(hx + bhx + hh)`. `g` becomes `[zt; rt; hh; hct]`.
 */
export function gruStepVariant<T>(w: usize, whh: usize, hPrev: usize, g: usize, h: usize, rh: usize, mask: usize, nA: i32, mp: i32, clip: f64, resetAfter: bool): void {
  const size = <usize>sizeof<T>();
  const block = <usize>(nA * mp) * size;
  const rowBytes = <usize>mp * size;
  const hi = v128.splat<T>(<T>clip);
  const lo = v128.splat<T>(<T>-clip);
  const ones = one<T>();
  rowsProduct<T>(w, nA, hPrev, g, mp, 0, resetAfter ? 3 * nA : 2 * nA);
  for (let o: usize = 0; o < block; o += 16) {
    const rt = vsigmoid<T>(clamp<T>(v128.load(g + block + o), hi, lo));
    v128.store(g + o, vsigmoid<T>(clamp<T>(v128.load(g + o), hi, lo)));
    v128.store(g + block + o, rt);
    if (!resetAfter) v128.store(rh + o, v128.mul<T>(rt, v128.load(hPrev + o)));
  }
  if (!resetAfter) rowsProduct<T>(whh, nA, rh, g + 2 * block, mp, 0, nA);
  for (let r = 0; r < nA; r++) {
    const row = <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const o = row + j;
      const z = v128.load(g + o);
      const hh = v128.load(g + 2 * block + o);
      const pre = resetAfter ? v128.add<T>(v128.load(g + 3 * block + o), v128.mul<T>(v128.load(g + block + o), hh)) : v128.add<T>(v128.load(g + 3 * block + o), hh);
      const hct = vtanh<T>(clamp<T>(pre, hi, lo));
      v128.store(g + 3 * block + o, hct);
      const hp = v128.load(hPrev + o);
      v128.store(h + o, v128.bitselect(v128.add<T>(v128.mul<T>(v128.sub<T>(ones, z), hct), v128.mul<T>(z, hp)), hp, laneMask<T>(mask, j)));
    }
  }
}
