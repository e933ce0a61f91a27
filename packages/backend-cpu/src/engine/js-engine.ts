import { sigmoid, tanh, type DataArray, type DType } from '@rnn/tensor';
import type { Engine, EngineOps } from './engine.js';
import { HeapAllocator } from './heap-allocator.js';

const MR = 4;

/**
 * The TypeScript engine: the same primitives as the WebAssembly one, as plain loops over a
 * growable `ArrayBuffer`. It runs where WebAssembly SIMD is missing, and in tests as a second,
 * independent implementation. Arithmetic is in float64 whatever the dtype; a float32 heap rounds
 * each stored value.
 */
export class JsEngine implements Engine {
  readonly mode = 'js';
  #buffer = new ArrayBuffer(1 << 16);
  #f32 = new Float32Array(this.#buffer);
  #f64 = new Float64Array(this.#buffer);
  readonly #ops32: EngineOps = jsOps('float32', () => this.#f32);
  readonly #ops64: EngineOps = jsOps('float64', () => this.#f64);
  readonly allocator = new HeapAllocator((bytes) => this.#reserve(bytes));

  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  #reserve(bytes: number): void {
    if (bytes <= this.#buffer.byteLength) return;
    const grown = new ArrayBuffer(Math.max(bytes, this.#buffer.byteLength * 2));
    new Uint8Array(grown).set(new Uint8Array(this.#buffer));
    this.#buffer = grown;
    this.#f32 = new Float32Array(grown);
    this.#f64 = new Float64Array(grown);
  }

  ops(dtype: DType): EngineOps {
    return dtype === 'float32' ? this.#ops32 : this.#ops64;
  }
}

/** Stores (or adds) four sums at `h[o..o+3]`. */
function putRow(h: DataArray, o: number, accumulate: boolean, s0: number, s1: number, s2: number, s3: number): void {
  if (accumulate) {
    h[o] = (h[o] as number) + s0;
    h[o + 1] = (h[o + 1] as number) + s1;
    h[o + 2] = (h[o + 2] as number) + s2;
    h[o + 3] = (h[o + 3] as number) + s3;
  } else {
    h[o] = s0;
    h[o + 1] = s1;
    h[o + 2] = s2;
    h[o + 3] = s3;
  }
}

/** Whether column `j` of the step's mask at element `mask` is on (always, without a mask): masks hold all-ones or zero lanes. */
function laneMask(h: DataArray, mask: number): (j: number) => boolean {
  if (mask === 0) return () => true;
  const words = new Int32Array(h.buffer);
  const perElement = h.BYTES_PER_ELEMENT / 4;
  return (j) => words[(mask + j) * perElement] !== 0;
}

/** `C += W·hPrev` for `blocks` gates of `n_a` rows, restricted to the units `[u0, u1)` of each (one product when all units). */
function recurrentProduct(ops: EngineOps, w: number, K: number, hPrev: number, c: number, blocks: number, nA: number, mp: number, u0: number, u1: number): void {
  if (u0 === 0 && u1 === nA) {
    ops.gemm(w, blocks * nA, K, hPrev, mp, 0, c, mp, 0, mp, 1, true);
    return;
  }
  for (let gate = 0; gate < blocks; gate++) ops.gemm(w + (gate * nA + u0) * K, u1 - u0, K, hPrev, mp, 0, c + (gate * nA + u0) * mp, mp, 0, mp, 1, true);
}

function jsOps(dtype: DType, heap: () => DataArray): EngineOps {
  return {
    dtype,
    heap,
    packA(a, rowStride, colStride, segStride, L, S, M, dst) {
      const h = heap();
      const K = L * S;
      for (let p = 0; p < M; p += MR) {
        let out = dst + p * K;
        for (let s = 0; s < S; s++) {
          for (let l = 0; l < L; l++) {
            const col = a + s * segStride + l * colStride;
            for (let r = 0; r < MR; r++) h[out++] = p + r < M ? (h[col + (p + r) * rowStride] as number) : 0;
          }
        }
      }
    },
    packedLength: (M, K) => Math.ceil(M / MR) * MR * K,
    gemm(ap, M, K, b, ldb, strideB, c, ldc, strideC, N, batch, accumulate) {
      const h = heap();
      for (let bi = 0; bi < batch; bi++) {
        const bBase = b + bi * strideB;
        const cBase = c + bi * strideC;
        for (let p = 0; p < M; p += MR) {
          const rows = Math.min(MR, M - p);
          const pa = ap + p * K;
          for (let j = 0; j < N; j += 4) {
            // A 4×4 block: sixteen running sums, each A value used four times, each B value four times.
            let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            let bp = bBase + j;
            let ai = pa;
            for (let k = 0; k < K; k++) {
              const b0 = h[bp] as number, b1 = h[bp + 1] as number, b2 = h[bp + 2] as number, b3 = h[bp + 3] as number;
              const a0 = h[ai] as number, a1 = h[ai + 1] as number, a2 = h[ai + 2] as number, a3 = h[ai + 3] as number;
              s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
              s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
              s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
              s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
              bp += ldb;
              ai += MR;
            }
            const o = cBase + p * ldc + j;
            putRow(h, o, accumulate, s00, s01, s02, s03);
            if (rows > 1) putRow(h, o + ldc, accumulate, s10, s11, s12, s13);
            if (rows > 2) putRow(h, o + 2 * ldc, accumulate, s20, s21, s22, s23);
            if (rows > 3) putRow(h, o + 3 * ldc, accumulate, s30, s31, s32, s33);
          }
        }
      }
    },
    lstmStep(wa, K, hPrev, g, cPrev, c, hOut, mask, nA, mp, u0, u1) {
      recurrentProduct(this, wa, K, hPrev, g, 4, nA, mp, u0, u1);
      const h = heap();
      const on = laneMask(h, mask);
      const n = nA * mp;
      for (let i = u0 * mp; i < u1 * mp; i++) {
        const f = sigmoid(h[g + i] as number);
        const u = sigmoid(h[g + n + i] as number);
        const cc = tanh(h[g + 2 * n + i] as number);
        const o = sigmoid(h[g + 3 * n + i] as number);
        h[g + i] = f;
        h[g + n + i] = u;
        h[g + 2 * n + i] = cc;
        h[g + 3 * n + i] = o;
        if (!on(i % mp)) {
          h[c + i] = h[cPrev + i] as number;
          h[hOut + i] = h[hPrev + i] as number;
          continue;
        }
        h[c + i] = (h[g + i] as number) * (h[cPrev + i] as number) + (h[g + n + i] as number) * (h[g + 2 * n + i] as number);
        h[hOut + i] = (h[g + 3 * n + i] as number) * tanh(h[c + i] as number);
      }
    },
    lstmBackStep(waT, dGNext, daCarry, dh, dcCarry, c, cPrev, g, dG, mask, nA, mp, u0, u1, withCarry) {
      if (withCarry) this.gemm(waT + u0 * 4 * nA, u1 - u0, 4 * nA, dGNext, mp, 0, daCarry + u0 * mp, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      const n = nA * mp;
      for (let i = u0 * mp; i < u1 * mp; i++) {
        if (!on(i % mp)) {
          for (let gate = 0; gate < 4; gate++) h[dG + gate * n + i] = 0;
          continue;
        }
        const da = (h[dh + i] as number) + (h[daCarry + i] as number);
        const tc = tanh(h[c + i] as number);
        const f = h[g + i] as number;
        const u = h[g + n + i] as number;
        const cc = h[g + 2 * n + i] as number;
        const o = h[g + 3 * n + i] as number;
        const dc = (h[dcCarry + i] as number) + da * o * (1 - tc * tc);
        h[dG + i] = dc * (h[cPrev + i] as number) * f * (1 - f);
        h[dG + n + i] = dc * cc * u * (1 - u);
        h[dG + 2 * n + i] = dc * u * (1 - cc * cc);
        h[dG + 3 * n + i] = da * tc * o * (1 - o);
        h[dcCarry + i] = dc * f;
        h[daCarry + i] = 0;
      }
    },
    rnnStep(wa, hPrev, z, hOut, mask, nA, mp, u0, u1) {
      this.gemm(wa + u0 * nA, u1 - u0, nA, hPrev, mp, 0, z + u0 * mp, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      for (let i = u0 * mp; i < u1 * mp; i++) h[hOut + i] = on(i % mp) ? tanh(h[z + i] as number) : (h[hPrev + i] as number);
    },
    rnnBackStep(waT, dzNext, daCarry, dh, hIn, dz, mask, nA, mp, u0, u1, withCarry) {
      if (withCarry) this.gemm(waT + u0 * nA, u1 - u0, nA, dzNext, mp, 0, daCarry + u0 * mp, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      for (let i = u0 * mp; i < u1 * mp; i++) {
        if (!on(i % mp)) {
          h[dz + i] = 0;
          continue;
        }
        const a = h[hIn + i] as number;
        h[dz + i] = (1 - a * a) * ((h[dh + i] as number) + (h[daCarry + i] as number));
        h[daCarry + i] = 0;
      }
    },
    gruStep(w, hPrev, g, hOut, mask, nA, mp, u0, u1) {
      recurrentProduct(this, w, nA, hPrev, g, 3, nA, mp, u0, u1);
      const h = heap();
      const on = laneMask(h, mask);
      const n = nA * mp;
      for (let i = u0 * mp; i < u1 * mp; i++) {
        const z = sigmoid(h[g + i] as number);
        const r = sigmoid(h[g + n + i] as number);
        const hct = tanh((h[g + 3 * n + i] as number) + r * (h[g + 2 * n + i] as number));
        h[g + i] = z;
        h[g + n + i] = r;
        h[g + 3 * n + i] = hct;
        const hp = h[hPrev + i] as number;
        h[hOut + i] = on(i % mp) ? (1 - (h[g + i] as number)) * (h[g + 3 * n + i] as number) + (h[g + i] as number) * hp : hp;
      }
    },
    gruBackStep(wT, dGNext, daCarry, dh, hPrev, g, dG, mask, nA, mp, u0, u1, withCarry) {
      if (withCarry) this.gemm(wT + u0 * 3 * nA, u1 - u0, 3 * nA, dGNext, mp, 0, daCarry + u0 * mp, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      const n = nA * mp;
      for (let i = u0 * mp; i < u1 * mp; i++) {
        if (!on(i % mp)) {
          for (let gate = 0; gate < 4; gate++) h[dG + gate * n + i] = 0;
          continue;
        }
        const da = (h[dh + i] as number) + (h[daCarry + i] as number);
        const z = h[g + i] as number;
        const r = h[g + n + i] as number;
        const hh = h[g + 2 * n + i] as number;
        const hct = h[g + 3 * n + i] as number;
        const dhpre = da * (1 - z) * (1 - hct * hct);
        h[dG + i] = da * ((h[hPrev + i] as number) - hct) * z * (1 - z);
        h[dG + n + i] = dhpre * hh * r * (1 - r);
        h[dG + 2 * n + i] = dhpre * r;
        h[dG + 3 * n + i] = dhpre;
        h[daCarry + i] = da * z;
      }
    },
    lstmStepVariant(wa, K, hPrev, g, cPrev, c, hOut, mask, nA, mp, peep, clip, coupled) {
      this.gemm(wa, 4 * nA, K, hPrev, mp, 0, g, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      const n = nA * mp;
      const clamp = (v: number): number => Math.max(-clip, Math.min(clip, v));
      for (let i = 0; i < n; i++) {
        const r = Math.floor(i / mp);
        const [pi, po, pf] = peep === 0 ? [0, 0, 0] : [h[peep + r] as number, h[peep + nA + r] as number, h[peep + 2 * nA + r] as number];
        const cp = h[cPrev + i] as number;
        const u = sigmoid(clamp((h[g + n + i] as number) + pi * cp));
        const f = coupled ? 1 - u : sigmoid(clamp((h[g + i] as number) + pf * cp));
        const cc = tanh(clamp(h[g + 2 * n + i] as number));
        h[g + i] = f;
        h[g + n + i] = u;
        h[g + 2 * n + i] = cc;
        const cn = (h[g + i] as number) * cp + (h[g + n + i] as number) * (h[g + 2 * n + i] as number);
        h[g + 3 * n + i] = sigmoid(clamp((h[g + 3 * n + i] as number) + po * cn));
        if (!on(i % mp)) {
          h[c + i] = cp;
          h[hOut + i] = h[hPrev + i] as number;
          continue;
        }
        h[c + i] = cn;
        h[hOut + i] = (h[g + 3 * n + i] as number) * tanh(h[c + i] as number);
      }
    },
    rnnStepVariant(wa, hPrev, z, hOut, mask, nA, mp, clip) {
      this.gemm(wa, nA, nA, hPrev, mp, 0, z, mp, 0, mp, 1, true);
      const h = heap();
      const on = laneMask(h, mask);
      for (let i = 0; i < nA * mp; i++) h[hOut + i] = on(i % mp) ? tanh(Math.max(-clip, Math.min(clip, h[z + i] as number))) : (h[hPrev + i] as number);
    },
    gruStepVariant(w, whh, hPrev, g, hOut, rh, mask, nA, mp, clip, resetAfter) {
      this.gemm(w, resetAfter ? 3 * nA : 2 * nA, nA, hPrev, mp, 0, g, mp, 0, mp, 1, true);
      let h = heap();
      const n = nA * mp;
      const clamp = (v: number): number => Math.max(-clip, Math.min(clip, v));
      for (let i = 0; i < n; i++) {
        h[g + i] = sigmoid(clamp(h[g + i] as number));
        h[g + n + i] = sigmoid(clamp(h[g + n + i] as number));
        if (!resetAfter) h[rh + i] = (h[g + n + i] as number) * (h[hPrev + i] as number);
      }
      if (!resetAfter) this.gemm(whh, nA, nA, rh, mp, 0, g + 2 * n, mp, 0, mp, 1, true);
      h = heap();
      const on = laneMask(h, mask);
      for (let i = 0; i < n; i++) {
        const hh = h[g + 2 * n + i] as number;
        const pre = (h[g + 3 * n + i] as number) + (resetAfter ? (h[g + n + i] as number) * hh : hh);
        h[g + 3 * n + i] = tanh(clamp(pre));
        const hp = h[hPrev + i] as number;
        const z = h[g + i] as number;
        h[hOut + i] = on(i % mp) ? (1 - z) * (h[g + 3 * n + i] as number) + z * hp : hp;
      }
    },
    softmaxColumns(z, rows, cols, stride, batch) {
      const h = heap();
      for (let bi = 0; bi < batch; bi++) {
        const base = z + bi * stride;
        for (let j = 0; j < cols; j++) {
          let top = Number.NEGATIVE_INFINITY;
          for (let r = 0; r < rows; r++) top = Math.max(top, h[base + r * cols + j] as number);
          let sum = 0;
          for (let r = 0; r < rows; r++) {
            const e = Math.exp((h[base + r * cols + j] as number) - top);
            h[base + r * cols + j] = e;
            sum += e;
          }
          for (let r = 0; r < rows; r++) h[base + r * cols + j] = (h[base + r * cols + j] as number) / sum;
        }
      }
    },
    fillRows(c, b, rows, cols, stride, batch) {
      const h = heap();
      for (let bi = 0; bi < batch; bi++) {
        for (let r = 0; r < rows; r++) {
          const o = c + bi * stride + r * cols;
          h.fill(h[b + r] as number, o, o + cols);
        }
      }
    },
    sumRows(a, rows, cols, stride, batch, out, accumulate) {
      const h = heap();
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let bi = 0; bi < batch; bi++) {
          const o = a + bi * stride + r * cols;
          for (let j = 0; j < cols; j++) s += h[o + j] as number;
        }
        h[out + r] = (accumulate ? (h[out + r] as number) : 0) + s;
      }
    },
    mapInPlace(fn, a, n) {
      const h = heap();
      const f = fn === 'exp' ? Math.exp : fn === 'sigmoid' ? sigmoid : tanh;
      for (let i = a; i < a + n; i++) h[i] = f(h[i] as number);
    },
    add(a, b, out, n) {
      const h = heap();
      for (let i = 0; i < n; i++) h[out + i] = (h[a + i] as number) + (h[b + i] as number);
    },
    toTimeMajor(src, n, m, T, dst, mp) {
      const h = heap();
      h.fill(0, dst, dst + T * n * mp);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const from = src + (i * m + j) * T;
          for (let t = 0; t < T; t++) h[dst + (t * n + i) * mp + j] = h[from + t] as number;
        }
      }
    },
    fromTimeMajor(src, n, m, T, dst, mp) {
      const h = heap();
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const to = dst + (i * m + j) * T;
          for (let t = 0; t < T; t++) h[to + t] = h[src + (t * n + i) * mp + j] as number;
        }
      }
    },
    transposeBlocks(src, rows, cols, lds, strideSrc, dst, ldd, strideDst, batch) {
      const h = heap();
      for (let bi = 0; bi < batch; bi++) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) h[dst + bi * strideDst + c * ldd + r] = h[src + bi * strideSrc + r * lds + c] as number;
        }
      }
    },
  };
}
