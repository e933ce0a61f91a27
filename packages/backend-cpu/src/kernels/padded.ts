import { allocate, checkLengths, type DataArray, type DType } from '@rnn/tensor';
import { padBatch } from '../engine/engine.js';

/**
 * Sizes of a sequence kernel — `n_x` inputs, `n_a` hidden units, batch `m`, `T` steps, and `mp`,
 * the batch padded for the engine — and how it walks the steps: `reverse`, and per-example `lengths`.
 */
export interface SequenceDims {
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  readonly mp: number;
  readonly reverse: boolean;
  readonly lengths: readonly number[] | undefined;
  /** The forward-only options the run used (`clip`, `peepholes`…), which its backward refuses; empty for none. */
  readonly forwardOnly: readonly string[];
}

/**
 * `SequenceDims` of kernel `fn` from the public shapes `x (n_x, m, T)` and `n_a`, and the walk options.
 *
 * @throws InvalidArgumentError when `lengths` are not `m` integers in `[0, T]`.
 */
export function sequenceDims(
  fn: string, xShape: readonly number[], nA: number,
  walk: { reverse?: boolean | undefined; lengths?: readonly number[] | undefined } = {}, forwardOnly: readonly string[] = [],
): SequenceDims {
  const [nX = 0, m = 0, T = 1] = xShape;
  checkLengths(fn, walk.lengths, m, T);
  return { nX, nA, m, T, mp: padBatch(m), reverse: walk.reverse === true, lengths: walk.lengths === undefined ? undefined : [...walk.lengths], forwardOnly };
}

/** The time index of the `s`-th step walked. */
export function timeOf(d: SequenceDims, s: number): number {
  return d.reverse ? d.T - 1 - s : s;
}

/** The tape slot holding the state after time step `t` (slot 0 holds the initial state). */
export function slotAfter(d: SequenceDims, t: number): number {
  return timeOf(d, t) + 1;
}

/** Whether step `t` runs for example `j`. */
export function stepRuns(d: SequenceDims, t: number, j: number): boolean {
  return d.lengths === undefined || t < (d.lengths[j] as number);
}

/** Rows `n` of a padded block `(n, mp)` starting at `offset` of `src`, without the padding: `(n, m)`. */
export function unpadBlock(src: DataArray, offset: number, n: number, m: number, mp: number, dtype: DType): DataArray {
  if (m === mp) return src.slice(offset, offset + n * m);
  const out = allocate(n * m, dtype);
  for (let r = 0; r < n; r++) out.set(src.subarray(offset + r * mp, offset + r * mp + m), r * m);
  return out;
}

/** `(n, m)` values as a padded block `(n, mp)`, padding zero. */
export function padBlock(src: DataArray, n: number, m: number, mp: number, dtype: DType): DataArray {
  if (m === mp) return src;
  const out = allocate(n * mp, dtype);
  for (let r = 0; r < n; r++) out.set(src.subarray(r * m, r * m + m), r * mp);
  return out;
}

/** Several `(n_i, m)` blocks stacked and padded: `(Σ n_i, mp)`. */
export function padBlocks(blocks: readonly { values: DataArray; rows: number }[], m: number, mp: number, dtype: DType): DataArray {
  const total = blocks.reduce((s, b) => s + b.rows, 0);
  const out = allocate(total * mp, dtype);
  let row = 0;
  for (const b of blocks) {
    for (let r = 0; r < b.rows; r++) out.set(b.values.subarray(r * m, r * m + m), (row + r) * mp);
    row += b.rows;
  }
  return out;
}
