import { UsageError, type ParsedArgs } from '../args.js';

/** Bounds of a numeric option. */
export interface NumberBounds {
  /** Only whole numbers. */
  readonly integer?: boolean;
  /** The smallest value allowed. */
  readonly min?: number;
  /** Values must be greater than 0 (for a learning rate or a temperature). */
  readonly positive?: boolean;
}

/** A numeric option: `fallback` when absent, a `UsageError` naming the option when not a finite number in range. */
export function numberOption(args: ParsedArgs, name: string, fallback: number, { integer = false, min = Number.NEGATIVE_INFINITY, positive = false }: NumberBounds = {}): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || (positive && !(value > 0))) {
    const kind = integer ? 'an integer' : 'a finite number';
    const bound = positive ? ' > 0' : Number.isFinite(min) ? ` ≥ ${min}` : '';
    throw new UsageError(`--${name} must be ${kind}${bound}; got ${String(raw)}`);
  }
  return value;
}

/** One of some allowed words, or a `UsageError` listing them. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const found = allowed.find((a) => a === raw);
  if (found === undefined) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got ${String(raw)}`);
  return found;
}
