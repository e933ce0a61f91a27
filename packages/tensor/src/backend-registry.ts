import type { Backend } from './backend.js';
import { InvalidArgumentError, NoBackendError } from './errors.js';

let current: Backend | null = null;

/** Makes `backend` the default for calls that pass no `{ backend }` option. Returns the previous default. */
export function setBackend(backend: Backend | null): Backend | null {
  if (backend !== null && (typeof backend !== 'object' || typeof backend.kernels !== 'object')) {
    throw new InvalidArgumentError('setBackend', 'backend', 'is not a backend (expected an object with kernels)');
  }
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

/** The backend a call should use: `opts.backend`, else the default. */
export function resolveBackend(fn: string, opts?: BackendOptions): Backend {
  return opts?.backend ?? getBackend(fn);
}
