import type { Dim } from './host-value.js';

/** Called with what went wrong; throws the phase's error (`OnnxImportError` at load, `OnnxRunError` at run). */
export type Fail = (problem: string) => never;

/** `axis` in `[−rank, rank)` as a non-negative axis; anything else fails. */
export function normalizeAxis(axis: number, rank: number, fail: Fail, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) fail(`${what} ${axis} is outside [${-rank}, ${rank}) for a tensor of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Normalized axes, refusing duplicates. */
export function normalizeAxes(axes: readonly number[], rank: number, fail: Fail, what = 'axes'): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank, fail, `${what} entry`));
  if (new Set(out).size !== out.length) fail(`${what} [${axes.join(', ')}] repeats an axis`);
  return out;
}

/** Two dims that must be equal: the known one when the other is not, failing when both are known and differ. */
export function sameDim(a: Dim, b: Dim, fail: Fail, what: string): Dim {
  if (a !== null && b !== null && a !== b) fail(`${what}: ${a} ≠ ${b}`);
  return a ?? b;
}

/** NumPy's multidirectional broadcast of two shapes (ONNX `Add`, `MatMul`'s batch dims). */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[], fail: Fail, what: string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = i < rank - a.length ? 1 : (a[i - (rank - a.length)] as Dim);
    const y = i < rank - b.length ? 1 : (b[i - (rank - b.length)] as Dim);
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null || y === null) out.push(x ?? y);
    else if (x === y) out.push(x);
    else fail(`${what}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast (dimension ${i}: ${x} vs ${y})`);
  }
  return out;
}
