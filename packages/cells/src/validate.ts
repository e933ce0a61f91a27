import {
  DTypeMismatchError,
  DisposedTensorError,
  InvalidArgumentError,
  ShapeMismatchError,
  Tensor,
  type DType,
} from '@rnn/tensor';

/**
 * Checks one call's arguments before any work: every argument is a live tensor of one dtype
 * with the shape the others imply. Dimensions are learned from the first argument that
 * fixes them, so messages say where an expectation came from.
 */
export class ArgumentChecker {
  #dtype: { readonly value: DType; readonly from: string } | null = null;

  constructor(readonly fn: string) {}

  /** Asserts `value` is a live tensor of the call's dtype and returns it. */
  tensor(arg: string, value: unknown): Tensor {
    if (!(value instanceof Tensor)) {
      throw new InvalidArgumentError(this.fn, arg, `must be a Tensor, got ${describe(value)}`);
    }
    if (value.isDisposed) throw new DisposedTensorError(this.fn, arg);
    if (this.#dtype === null) this.#dtype = { value: value.dtype, from: arg };
    else if (value.dtype !== this.#dtype.value) {
      throw new DTypeMismatchError(this.fn, arg, `${this.#dtype.value} (the dtype of ${this.#dtype.from})`, value.dtype);
    }
    return value;
  }

  /** Asserts `value` is a tensor of `rank` dimensions and returns its shape. */
  rank(arg: string, value: unknown, rank: number, names: string): readonly number[] {
    const t = this.tensor(arg, value);
    if (t.shape.length !== rank) {
      throw new ShapeMismatchError(this.fn, arg, Array(rank).fill(null), t.shape, `${arg} must be ${names}`);
    }
    if (t.size === 0) {
      throw new ShapeMismatchError(this.fn, arg, Array(rank).fill(null), t.shape, `${arg} must be ${names} with no empty dimension`);
    }
    return t.shape;
  }

  /** Asserts `value` is a tensor of exactly `expected` shape. */
  shape(arg: string, value: unknown, expected: readonly number[], reason: string): Tensor {
    const t = this.tensor(arg, value);
    if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeMismatchError(this.fn, arg, expected, t.shape, reason);
    }
    return t;
  }

  /** Asserts `value` is an object holding each of `keys`, and returns it. */
  record<K extends string>(arg: string, value: unknown, keys: readonly K[]): Record<K, unknown> {
    if (typeof value !== 'object' || value === null) {
      throw new InvalidArgumentError(this.fn, arg, `must be an object with ${keys.join(', ')}, got ${describe(value)}`);
    }
    const missing = keys.filter((k) => !(k in value));
    if (missing.length > 0) throw new InvalidArgumentError(this.fn, arg, `is missing ${missing.join(', ')}`);
    return value as Record<K, unknown>;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}
