import { BackendError, Tensor, type Backend } from '@rnn/tensor';

/**
 * A backend that, like gpu.js by default, computes in float32 only: it refuses float64 uploads
 * and float64 tensors in any kernel with a `BackendError`, and otherwise hands the work to
 * `inner`. Lets the tests check which dtype the training code sends without a GPU.
 */
export function float32OnlyBackend(inner: Backend): Backend {
  const refuse = (fn: string, what: string): never => {
    throw new BackendError(fn, 'float32-only', `${what} is float64 but this backend computes in float32`);
  };
  const check = (fn: string, value: unknown, path: string): void => {
    if (value instanceof Tensor) {
      if (value.dtype !== 'float32') refuse(fn, path);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => check(fn, v, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      // Plain argument records only: tapes and other objects hold cycles, and no tensor the caller sent.
      for (const [key, v] of Object.entries(value)) check(fn, v, `${path}.${key}`);
    }
  };
  const kernels = new Proxy(inner.kernels, {
    get(target, name, receiver): unknown {
      const kernel: unknown = Reflect.get(target, name, receiver);
      if (typeof kernel !== 'function') return kernel;
      return (...args: unknown[]): unknown => {
        check(String(name), args, 'args');
        return Reflect.apply(kernel, target, args);
      };
    },
  });
  return {
    name: 'float32-only',
    mode: inner.mode,
    kernels,
    upload: (values, dtype) => (dtype === 'float64' ? refuse('upload', 'values') : inner.upload(values, dtype)),
    read: (id) => inner.read(id),
    readAsync: (id) => inner.readAsync(id),
    release: (id) => inner.release(id),
    memory: () => inner.memory(),
    dispose: () => inner.dispose(),
  };
}
