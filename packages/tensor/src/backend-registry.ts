import type { Backend } from './backend.js';
import { InvalidArgumentError, NoBackendError } from './errors.js';

let current: Backend | null = null;

/** Makes `backend` the default for calls that pass no `{ backend }` option. Returns the previous default. */
export function setBackend(backend: Backend | null): Backend | null {
  if (backend !== null) checkBackend('setBackend', 'backend', backend);
  const previous = current;
  current = backend;
  return previous;
}

/** The default backend; throws `NoBackendError` naming `fn` when none was set. */
export function getBackend(fn = 'getBackend'): Backend {
  if (current === null) throw new NoBackendError(fn);
  return current;
}

/** Options every public function accepts. */
export interface BackendOptions {
  /** Run on this backend instead of the default set with `setBackend`. */
  readonly backend?: Backend | undefined;
}

/**
 * The backend a call should use: `opts.backend`, else the default. Anything in `opts.backend`
 * that is not a backend (a name such as `'cpu'`, `null`, a plain object) is refused with an
 * `InvalidArgumentError` naming `fn`, the public function that was called.
 */
export function resolveBackend(fn: string, opts?: BackendOptions): Backend {
  if (opts === undefined) return getBackend(fn);
  if (typeof opts !== 'object' || opts === null) {
    throw new InvalidArgumentError(fn, 'options', `must be an object such as { backend }, got ${describe(opts)}`);
  }
  const given: unknown = opts.backend;
  if (given === undefined) return getBackend(fn);
  checkBackend(fn, 'options.backend', given);
  return given;
}

/** Throws an `InvalidArgumentError` unless `value` looks like a backend: an object with a kernel table. */
function checkBackend(fn: string, arg: string, value: unknown): asserts value is Backend {
  if (typeof value === 'object' && value !== null && 'kernels' in value && typeof value.kernels === 'object' && value.kernels !== null) return;
  const hint = typeof value === 'string' ? `; pass the backend object itself, e.g. { backend: createCpuBackend() } from @rnn/backend-cpu` : '';
  throw new InvalidArgumentError(fn, arg, `is not a backend (expected an object with kernels), got ${describe(value)}${hint}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object without kernels';
  return `a ${typeof value}`;
}
