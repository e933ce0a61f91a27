import { InvalidArgumentError } from './errors.js';

/** Something that holds backend memory until it is disposed: a tensor, a sequence tape. */
export interface Disposable {
  /** Frees what it holds; a second call does nothing. */
  dispose(): void;
  /** True once `dispose()` was called. */
  readonly isDisposed: boolean;
}

/** Open scopes, innermost last: what `tidy` and `disposeOnError` will free. */
const scopes: Set<Disposable>[] = [];

/**
 * Records a newly made tensor or tape in the innermost open scope (`tidy`, `disposeOnError`), if
 * one is open. Tensors call it when they are made; a backend calls it for its tapes.
 */
export function track(made: Disposable): void {
  scopes[scopes.length - 1]?.add(made);
}

/** Takes `kept` out of every open scope, so no enclosing `tidy` frees it. Returns it. */
export function keep<T extends Disposable>(kept: T): T {
  for (const scope of scopes) scope.delete(kept);
  return kept;
}

function isPromiseLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';
}

function isDisposable(value: unknown): value is Disposable {
  return typeof value === 'object' && value !== null && 'dispose' in value && typeof value.dispose === 'function' && 'isDisposed' in value;
}

/** Every disposable inside `value`: itself, or in its arrays and plain objects (a few levels deep). */
function disposablesIn(value: unknown, found: Set<Disposable>, depth = 0): Set<Disposable> {
  if (depth > 8 || typeof value !== 'object' || value === null) return found;
  if (isDisposable(value)) {
    found.add(value);
    return found;
  }
  if (Array.isArray(value)) {
    for (const item of value) disposablesIn(item, found, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) disposablesIn(item, found, depth + 1);
  }
  return found;
}

/** Runs `fn` in a new scope; returns its result and what it made. */
function inScope<T>(fn: () => T, onError: (made: Set<Disposable>) => void): { result: T; made: Set<Disposable> } {
  const made = new Set<Disposable>();
  scopes.push(made);
  try {
    return { result: fn(), made };
  } catch (error) {
    onError(made);
    throw error;
  } finally {
    scopes.splice(scopes.lastIndexOf(made), 1);
  }
}

function disposeAll(made: Iterable<Disposable>): void {
  for (const d of made) d.dispose();
}

/**
 * Runs `fn` and frees every tensor (and tape) it made, except those in what it returns — a
 * tensor, or arrays and plain objects holding tensors, which pass to the enclosing scope.
 * Deterministic release without disposing intermediates one by one:
 *
 * ```ts
 * const loss = tidy(() => {
 *   const { yPred } = lstmForward(x, a0, parameters);  // a, c, caches: freed when tidy returns
 *   return yPred;                                       // kept
 * });
 * ```
 *
 * `fn` must be synchronous: a scope cannot follow an `await` (other code runs meanwhile), so a
 * returned promise is refused with an `InvalidArgumentError` after freeing what `fn` made.
 * When `fn` throws, everything it made is freed and the error propagates.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new InvalidArgumentError('tidy', 'fn', `must be a function, got ${typeof fn}`);
  const { result, made } = inScope(fn, disposeAll);
  if (isPromiseLike(result)) {
    disposeAll(made);
    throw new InvalidArgumentError('tidy', 'fn', 'returned a promise: tidy only scopes synchronous code (dispose what an async function makes, or tidy its synchronous parts)');
  }
  const kept = disposablesIn(result, new Set());
  for (const d of made) {
    if (kept.has(d)) track(d);
    else d.dispose();
  }
  return result;
}

/**
 * Runs `fn`; if it throws, frees every tensor (and tape) it made before rethrowing, so a call that
 * fails midway (a device out of memory, bad input found late) leaves nothing allocated. What it
 * makes when it succeeds passes to the enclosing scope untouched.
 */
export function disposeOnError<T>(fn: () => T): T {
  const { result, made } = inScope(fn, disposeAll);
  for (const d of made) track(d);
  return result;
}
