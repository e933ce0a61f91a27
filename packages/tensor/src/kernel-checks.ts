import { formatShape, sizeOf } from './dtype.js';
import { BackendError, DTypeMismatchError, InvalidArgumentError } from './errors.js';
import type { Tensor } from './tensor.js';

/*
 * Checks a backend runs before the flat kernels, the sequence walk and a sequence backward, so
 * that every backend refuses the same bad input with the same typed error before any work. `fn` is
 * the name the error gives: the kernel, or the public functions that reach it.
 */

/** Whether `shape` is a list of non-negative integers. */
function isShape(shape: readonly number[]): boolean {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
}

/**
 * `sliceFlat(t, offset, shape)`: `offset` an integer and `[offset, offset + size(shape))` inside `t`.
 *
 * @throws InvalidArgumentError otherwise.
 */
export function checkSliceFlat(fn: string, t: Tensor, offset: number, shape: readonly number[]): void {
  if (!isShape(shape)) throw new InvalidArgumentError(fn, 'shape', `must be non-negative integers, got [${String(shape)}]`);
  const size = sizeOf(shape);
  if (!Number.isInteger(offset) || offset < 0 || offset + size > t.size) {
    throw new InvalidArgumentError(fn, 'offset', `${offset} with ${size} elements (shape ${formatShape(shape)}) is outside the ${t.size} elements of t ${formatShape(t.shape)}`);
  }
}

/**
 * `concatFlat(parts, shape)`: at least one part, one dtype, and `shape` holding exactly their elements.
 *
 * @throws InvalidArgumentError on no parts or a `shape` of another size; DTypeMismatchError on mixed dtypes.
 */
export function checkConcatFlat(fn: string, parts: readonly Tensor[], shape: readonly number[]): void {
  const first = parts[0];
  if (first === undefined) throw new InvalidArgumentError(fn, 'parts', 'is empty; at least one tensor is needed');
  parts.forEach((part, i) => {
    if (part.dtype !== first.dtype) throw new DTypeMismatchError(fn, `parts[${i}]`, first.dtype, part.dtype);
  });
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (!isShape(shape) || sizeOf(shape) !== total) {
    throw new InvalidArgumentError(fn, 'shape', `${isShape(shape) ? formatShape(shape) : `[${String(shape)}]`} does not hold the ${total} elements of the parts ${parts.map((p) => formatShape(p.shape)).join(', ')}`);
  }
}

/**
 * `maskColumns(t, keep)`: one flag per column of `t`'s last axis.
 *
 * @throws InvalidArgumentError otherwise.
 */
export function checkMaskColumns(fn: string, t: Tensor, keep: readonly boolean[]): void {
  const m = t.shape[t.shape.length - 1] ?? 1;
  if (!Array.isArray(keep) || keep.length !== m || !keep.every((k) => typeof k === 'boolean')) {
    throw new InvalidArgumentError(fn, 'keep', `must be ${m} booleans, one per column of t ${formatShape(t.shape)}, got ${Array.isArray(keep) ? `${keep.length} values` : typeof keep}`);
  }
}

/**
 * The per-example `lengths` of a sequence over `x (n_x, m, T)`: absent, or `m` integers in `[0, T]`.
 * `arg` is the argument's name in the error (`lengths` for a kernel, `opts.lengths` for a layer).
 *
 * @throws InvalidArgumentError otherwise, naming the first bad element.
 */
export function checkLengths(fn: string, lengths: readonly number[] | undefined, m: number, T: number, arg = 'lengths'): void {
  if (lengths === undefined) return;
  if (!Array.isArray(lengths) || lengths.length !== m) {
    throw new InvalidArgumentError(fn, arg, `must hold one length per example of x (n_x, ${m}, ${T}), got ${Array.isArray(lengths) ? `${lengths.length} values` : typeof lengths}`);
  }
  const bad = lengths.findIndex((l) => !Number.isInteger(l) || l < 0 || l > T);
  if (bad >= 0) throw new InvalidArgumentError(fn, `${arg}[${bad}]`, `must be an integer from 0 to T = ${T}, got ${String(lengths[bad])}`);
}

/** The forward-only options of a sequence forward, as `forwardOnlyOptions` reads them from its arguments. */
export interface ForwardOnlyArgs {
  /** ONNX's `clip` (`ClipOption`). */
  readonly clip?: number | undefined;
  /** The LSTM's peephole weights (`LstmPeepholes`). */
  readonly peepholes?: unknown;
  /** The LSTM's `ft = 1 − it`. */
  readonly inputForget?: boolean | undefined;
  /** The GRU's reset gate after the recurrent product; only `false` is forward only. */
  readonly linearBeforeReset?: boolean | undefined;
}

/**
 * Names of the forward-only options set in a sequence forward's `args` (`clip`, `peepholes`,
 * `inputForget`, `linearBeforeReset: false`), in that order; empty for none. A backend keeps them
 * with the tape and `checkHasBackward` refuses the backward over it.
 */
export function forwardOnlyOptions(args: ForwardOnlyArgs): string[] {
  const out: string[] = [];
  if (args.clip !== undefined) out.push('clip');
  if (args.peepholes !== undefined) out.push('peepholes');
  if (args.inputForget === true) out.push('inputForget');
  if (args.linearBeforeReset === false) out.push('linearBeforeReset: false');
  return out;
}

/**
 * The sequence backward `fn` of `backend` over a tape whose forward ran with the options
 * `forwardOnly` (from `forwardOnlyOptions`): allowed only when there are none.
 *
 * @throws BackendError naming the options otherwise: they have no backward.
 */
export function checkHasBackward(fn: string, backend: string, forwardOnly: readonly string[]): void {
  if (forwardOnly.length > 0) throw new BackendError(fn, backend, `the forward ran with ${forwardOnly.join(', ')}, which has no backward here (a forward-only option for imported models)`);
}
