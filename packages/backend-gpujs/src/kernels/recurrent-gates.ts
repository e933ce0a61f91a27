import type { DeviceBuffer } from '../device-buffer.js';
import type { GpuContext, KernelInput } from '../gpu-context.js';
import type { DeviceArray, KernelDefOf, KernelThis } from '../gpu-runtime.js';
import { KERNEL_SOURCES } from './kernel-sources.generated.js';

/** Compiled into kernels from `@rnn/tensor` (see `device-functions.ts`). */
declare function sigmoid(x: number): number;
declare function tanhOf(x: number): number;

/** Sizes, activation rows and the switches of `recurrentGatesKernel`. */
type GatesConstants = {
  nA: number; m: number; T: number; ld: number; tanhFrom: number; tanhTo: number; idFrom: number; masked: number;
  clipped: number; peep: number; coupled: number;
};

/**
 * One step of a recurrence whose input projection was computed for every step beforehand:
 * `z[j, c] = zx[j, c, t] + Σ_{k<nA} W[j·ld + k]·aPrev[k, c]` `(R, m)` with `zx (R', m, T)`, `R' ≥ R`,
 * then `tanh(z)` for rows `tanhFrom ≤ j < tanhTo`, `z` itself for rows `j ≥ idFrom` and `σ(z)` for
 * the others. RNN: `R = nA`, `W = Waa`, every row tanh. LSTM: `R = 4·nA`, `W = [Wf; Wi; Wc; Wo]` with
 * rows of `ld = nA + nX` (only their first `nA` columns are read here), tanh for the candidate rows,
 * giving `[ft; it; cct; ot]`. GRU: `R = 3·nA`, `W = [Wz; Wr; [Whh | 0]; …]`, giving `[zt; rt; hh]`.
 * With `masked = 1` (the RNN, whose output is its state) an example whose length `len[c] ≤ t`
 * keeps its state: `aPrev[j, c]`.
 *
 * ONNX's forward-only options, as switches: `clipped = 1` clamps every activated row's
 * pre-activation to `[−clip, clip]` (`clip` is an argument, not a constant: one kernel serves every
 * threshold, and constants bound the loops); `peep = 1` adds the LSTM's peepholes
 * `P = [Pf; Pi; …]` `(≥ 2nA)` to the forget and update rows, `z[j, c] += P[j]·cPrev[j mod nA, c]` for
 * `j < 2nA`; `coupled = 1` makes each forget row `1 − it` (ONNX's `input_forget`): its thread computes
 * the update row `j + nA` and returns `1 − σ(z)`.
 */
function recurrentGatesKernel(
  this: KernelThis<GatesConstants>,
  W: DeviceArray, WOff: number, zx: DeviceArray, zxOff: number, aPrev: DeviceArray, aPrevOff: number, len: DeviceArray, lenOff: number,
  cPrev: DeviceArray, cPrevOff: number, P: DeviceArray, POff: number, t: number, clip: number,
): number {
  const m = this.constants.m;
  const nA = this.constants.nA;
  const j = Math.floor((this.thread.x + 0.5) / m);
  const c = this.thread.x - j * m;
  if (this.constants.masked === 1) {
    if (t >= len[lenOff + c]!) {
      return aPrev[aPrevOff + j * m + c]!;
    }
  }
  let row = j;
  if (this.constants.coupled === 1 && j < nA) {
    row = j + nA;
  }
  let z = zx[zxOff + (row * m + c) * this.constants.T + t]!;
  for (let k = 0; k < nA; k++) {
    z += W[WOff + row * this.constants.ld + k]! * aPrev[aPrevOff + k * m + c]!;
  }
  if (row >= this.constants.idFrom) {
    return z;
  }
  if (this.constants.peep === 1 && row < 2 * nA) {
    z += P[POff + row]! * cPrev[cPrevOff + (row - Math.floor((row + 0.5) / nA) * nA) * m + c]!;
  }
  if (this.constants.clipped === 1) {
    z = Math.min(Math.max(z, -clip), clip);
  }
  if (row >= this.constants.tanhFrom && row < this.constants.tanhTo) {
    return tanhOf(z);
  }
  if (row !== j) {
    return 1 - sigmoid(z);
  }
  return sigmoid(z);
}

/** What `recurrentGates` needs: the recurrent weights (rows of `ld` values) and the projection `zx (≥ R, m, T)`. */
export interface Recurrence {
  /** Kernel name in the stats. */
  readonly name: string;
  /** `(≥ R, ld)`: the recurrent product reads the first `nA` columns of its first `R` rows. */
  readonly W: KernelInput;
  /** The input projection of every step, `(≥ R, m, T)`. */
  readonly zx: KernelInput;
  /** Rows of the output: `nA` (RNN), `4·nA` (LSTM gates), `3·nA` (GRU) or `2·nA` (GRU, reset before the product). */
  readonly R: number;
  /** Hidden size. */
  readonly nA: number;
  /** Batch size. */
  readonly m: number;
  /** Sequence length. */
  readonly T: number;
  /** Values per row of `W`. */
  readonly ld: number;
  /** Rows `[from, to)` that take tanh. */
  readonly tanhRows: readonly [number, number];
  /** Rows from this one on take no activation (`R` when none). */
  readonly idFrom: number;
  /** Clamp every activated row's pre-activation to `[−clip, clip]` (ONNX's `clip`). */
  readonly clip?: number | undefined;
  /** The LSTM's peepholes `[Pf; Pi; Po]` `(3nA)`, added to the forget and update rows with `cPrev`. */
  readonly peepholes?: KernelInput | undefined;
  /** The LSTM's forget rows are `1 − it` (ONNX's `input_forget`). */
  readonly coupled?: boolean | undefined;
}

/**
 * Step `t` of `r` from `aPrev (nA, m)` (and, with peepholes, `cPrev (nA, m)`): one launch, `(R, m)`.
 * With `len` (the RNN over a batch with per-example lengths) an example past its length keeps `aPrev`.
 */
export function recurrentGates(ctx: GpuContext, r: Recurrence, aPrev: KernelInput, t: number, len?: KernelInput, cPrev?: KernelInput): DeviceBuffer {
  const [tanhFrom, tanhTo] = r.tanhRows;
  const constants = {
    nA: r.nA, m: r.m, T: r.T, ld: r.ld, tanhFrom, tanhTo, idFrom: r.idFrom, masked: len === undefined ? 0 : 1,
    clipped: r.clip === undefined ? 0 : 1, peep: r.peepholes === undefined ? 0 : 1, coupled: r.coupled === true ? 1 : 0,
  };
  return ctx.run(
    { name: r.name, source: KERNEL_SOURCES.recurrentGatesKernel, size: r.R * r.m, constants } satisfies KernelDefOf<typeof recurrentGatesKernel>,
    [r.W, r.zx, aPrev, len ?? aPrev, cPrev ?? aPrev, r.peepholes ?? aPrev, t, r.clip ?? 0],
  );
}
