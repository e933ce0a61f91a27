import type { NestedArray, Tensor } from '../tensor.js';

/** Absolute and relative tolerance: `|actual − expected| ≤ atol + rtol·|expected|`, element by element. */
export interface Tolerance {
  /** Relative tolerance, scaled by `|expected|`. */
  readonly rtol: number;
  /** Absolute tolerance. */
  readonly atol: number;
}

/** Result of comparing two arrays: `ok`, and where and how far they differ most. */
export interface CloseReport {
  /** True when every element is within tolerance (NaN matches NaN). */
  readonly ok: boolean;
  /** The largest `|actual − expected|`. */
  readonly maxAbsError: number;
  /** Flat (row-major) index of the element with the largest error, or −1. */
  readonly worstIndex: number;
  /** A one-line summary that names the first mismatch, for test output. */
  readonly message: string;
}

function flat(values: Tensor | NestedArray | ArrayLike<number>): ArrayLike<number> {
  if (typeof values === 'number') return [values];
  if (Array.isArray(values)) {
    const out: number[] = [];
    const walk = (v: NestedArray): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else out.push(v);
    };
    walk(values);
    return out;
  }
  if ('dataSync' in values) return values.dataSync();
  return values;
}

/**
 * Compares element by element as NumPy's `allclose` does, NaN equal to NaN.
 * Returns a report rather than throwing, so tests can print it.
 */
export function compareClose(
  actual: Tensor | NestedArray | ArrayLike<number>,
  expected: Tensor | NestedArray | ArrayLike<number>,
  { rtol, atol }: Tolerance,
): CloseReport {
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) {
    return { ok: false, maxAbsError: Number.POSITIVE_INFINITY, worstIndex: -1, message: `lengths differ: ${a.length} vs ${e.length}` };
  }
  let ok = true;
  let maxAbsError = 0;
  let worstIndex = -1;
  let firstBad = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const err = Math.abs(x - y);
    const bad = !(err <= atol + rtol * Math.abs(y)) && x !== y;
    if (bad && firstBad < 0) firstBad = i;
    if (bad) ok = false;
    if (!(err <= maxAbsError)) {
      maxAbsError = err;
      worstIndex = i;
    }
  }
  const message = ok
    ? `all ${a.length} close (max abs error ${maxAbsError.toExponential(2)})`
    : `first mismatch at flat index ${firstBad}: ${a[firstBad]} vs ${e[firstBad]}; max abs error ${maxAbsError.toExponential(2)} at ${worstIndex} (rtol ${rtol}, atol ${atol})`;
  return { ok, maxAbsError, worstIndex, message };
}

/** Throws an `Error` with the report's message unless `actual` is close to `expected`. */
export function assertAllClose(
  actual: Tensor | NestedArray | ArrayLike<number>,
  expected: Tensor | NestedArray | ArrayLike<number>,
  tolerance: Tolerance,
  label = 'values',
): void {
  const report = compareClose(actual, expected, tolerance);
  if (!report.ok) throw new Error(`${label}: ${report.message}`);
}
