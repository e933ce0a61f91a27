import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext, KernelInput } from '../gpu-context.js';
import type { DeviceArray, KernelDef, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';

// The affine map `z = W·a + b` forward and backward, as products over the columns of `a`. A
// sequence `a (n, m, T)` stored time last is the matrix `(n, m·T)`, so one launch covers every step.

/**
 * `z = W[:, col0 : col0 + n]·a + b` `(R, M)`, `W` with rows of `ld` values, `a (n, M)`, `b (R, 1)`: for
 * flat `p = r·M + c`, `z[r, c] = b[r] + Σ_{k<n} W[r·ld + col0 + k]·a[k·M + c]`.
 */
function affineKernel(
  this: KernelThis<{ n: number; M: number; ld: number; col0: number }>,
  W: DeviceArray, WOff: number, a: DeviceArray, aOff: number, b: DeviceArray, bOff: number,
): number {
  const M = this.constants.M;
  const r = Math.floor((this.thread.x + 0.5) / M);
  const c = this.thread.x - r * M;
  let z = b[bOff + r]!;
  for (let k = 0; k < this.constants.n; k++) {
    z += W[WOff + r * this.constants.ld + this.constants.col0 + k]! * a[aOff + k * M + c]!;
  }
  return z;
}

/**
 * `[Aᵀ·d; Bᵀ·d]` `(colsA + colsB, M)` from `A (R, colsA)`, `B (R, colsB)`, `d (R, M)`, from row
 * `rowFrom` on (the output size says how many rows): row `r < colsA` is `Σ_{k<R} A[k, r]·d[k, c]`,
 * row `colsA + q` is `Σ_{k<R} B[k, q]·d[k, c]`. For `z = [A | B]·[p; x] + b` that is `[dp; dx]`.
 * With `pass = 1`, row `r < colsA` also adds `d[R + r, c]`: a gradient `(colsA, M)` stored after
 * `d`'s `R` rows that passes through (the examples an RNN step did not run for).
 */
function affineInputGradKernel(
  this: KernelThis<{ R: number; colsA: number; colsB: number; M: number; rowFrom: number; pass: number }>,
  A: DeviceArray, AOff: number, B: DeviceArray, BOff: number, d: DeviceArray, dOff: number,
): number {
  const M = this.constants.M;
  const row = Math.floor((this.thread.x + 0.5) / M);
  const c = this.thread.x - row * M;
  const r = this.constants.rowFrom + row;
  let s = 0;
  if (r < this.constants.colsA) {
    for (let k = 0; k < this.constants.R; k++) {
      s += A[AOff + k * this.constants.colsA + r]! * d[dOff + k * M + c]!;
    }
    if (this.constants.pass === 1) {
      s += d[dOff + (this.constants.R + r) * M + c]!;
    }
  } else {
    for (let k = 0; k < this.constants.R; k++) {
      s += B[BOff + k * this.constants.colsB + r - this.constants.colsA]! * d[dOff + k * M + c]!;
    }
  }
  return s;
}

/**
 * `[dA | dB | db]`, flat `R·nP + R·nX + R`, for `z = [A | B]·[p; x] + b` with `d = dz (R, M)`,
 * `p (nP, M)`, `x (nX, M)`: `dA = d·pᵀ`, `dB = d·xᵀ`, `db = Σ_c d`, each plus its accumulator when `acc = 1`.
 */
function affineWeightGradKernel(
  this: KernelThis<{ R: number; nP: number; nX: number; M: number; acc: number }>,
  d: DeviceArray, dOff: number, p: DeviceArray, pOff: number, x: DeviceArray, xOff: number,
  accA: DeviceArray, accAOff: number, accB: DeviceArray, accBOff: number, accb: DeviceArray, accbOff: number,
): number {
  const R = this.constants.R;
  const nP = this.constants.nP;
  const nX = this.constants.nX;
  const M = this.constants.M;
  const i = this.thread.x;
  let s = 0;
  if (i < R * nP) {
    const r = Math.floor((i + 0.5) / nP);
    const k = i - r * nP;
    for (let c = 0; c < M; c++) {
      s += d[dOff + r * M + c]! * p[pOff + k * M + c]!;
    }
    if (this.constants.acc === 1) {
      s += accA[accAOff + i]!;
    }
  } else if (i < R * (nP + nX)) {
    const q = i - R * nP;
    const r = Math.floor((q + 0.5) / nX);
    const k = q - r * nX;
    for (let c = 0; c < M; c++) {
      s += d[dOff + r * M + c]! * x[xOff + k * M + c]!;
    }
    if (this.constants.acc === 1) {
      s += accB[accBOff + q]!;
    }
  } else {
    const r = i - R * (nP + nX);
    for (let c = 0; c < M; c++) {
      s += d[dOff + r * M + c]!;
    }
    if (this.constants.acc === 1) {
      s += accb[accbOff + r]!;
    }
  }
  return s;
}

/** Sizes of `affine`: `z (R, M) = W[:, col0 : col0 + n]·a + b` with `W` rows of `ld` values. */
export interface AffineSizes {
  readonly R: number;
  readonly n: number;
  readonly M: number;
  readonly ld: number;
  readonly col0: number;
}

/** `z = W[:, col0 : col0 + n]·a + b` `(R, M)` in one launch, under `name` in the stats; the caller owns the buffer. */
export function affine(ctx: GpuContext, name: string, W: KernelInput, a: KernelInput, b: KernelInput, s: AffineSizes): DeviceBuffer {
  return ctx.run({ name, source: KERNEL_SOURCES.affineKernel, size: s.R * s.M, constants: { n: s.n, M: s.M, ld: s.ld, col0: s.col0 } } satisfies KernelDefOf<typeof affineKernel>, [W, a, b]);
}

/**
 * Rows `rowFrom … rowFrom + rows − 1` of `[Aᵀ·d; Bᵀ·d]` (`affineInputGradKernel`), `(rows, M)`, as a
 * kernel to run on `[A, B, d]`; with `pass`, `d` carries a pass-through gradient after its `R` rows.
 */
export function affineInputGradDef(
  name: string,
  s: { readonly R: number; readonly colsA: number; readonly colsB: number; readonly M: number; readonly rowFrom: number; readonly rows: number; readonly pass?: boolean },
): KernelDef {
  const constants = { R: s.R, colsA: s.colsA, colsB: s.colsB, M: s.M, rowFrom: s.rowFrom, pass: s.pass === true ? 1 : 0 };
  return { name, source: KERNEL_SOURCES.affineInputGradKernel, size: s.rows * s.M, constants } satisfies KernelDefOf<typeof affineInputGradKernel>;
}

/** `[dA | dB | db]` (`affineWeightGradKernel`) as a kernel to run on `[d, p, x, accA, accB, accb]`. */
export function affineWeightGradDef(
  name: string,
  s: { readonly R: number; readonly nP: number; readonly nX: number; readonly M: number; readonly acc: boolean },
): KernelDef {
  return {
    name,
    source: KERNEL_SOURCES.affineWeightGradKernel,
    size: s.R * (s.nP + s.nX + 1),
    constants: { R: s.R, nP: s.nP, nX: s.nX, M: s.M, acc: s.acc ? 1 : 0 },
  } satisfies KernelDefOf<typeof affineWeightGradKernel>;
}
