import type { ParsedArgs } from '../args.js';

/** A numeric option: `fallback` when absent, an error naming the option when not a number in range. */
export function numberOption(args: ParsedArgs, name: string, fallback: number, { integer = false, min = Number.NEGATIVE_INFINITY } = {}): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'}${Number.isFinite(min) ? ` ≥ ${min}` : ''}; got ${String(raw)}`);
  }
  return value;
}

/** One of some allowed words, or an error listing them. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) throw new Error(`--${name} must be one of ${allowed.join(', ')}; got ${String(raw)}`);
  return raw as T;
}
