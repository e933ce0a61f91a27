import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { getBackend, resolveBackend, setBackend } from './backend-registry.js';
import { InvalidArgumentError, NoBackendError } from './errors.js';

/** Enough of a backend for the registry, which looks only for a kernel table. */
const fake = { name: 'fake', kernels: {} } as Pick<Backend, 'name' | 'kernels'> as Backend;

function refusal(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('resolveBackend', () => {
  it('returns the backend given, else the default', () => {
    const previous = setBackend(fake);
    try {
      expect(resolveBackend('lstmForward', { backend: fake })).toBe(fake);
      expect(resolveBackend('lstmForward', {})).toBe(fake);
      expect(resolveBackend('lstmForward')).toBe(getBackend());
    } finally {
      setBackend(previous);
    }
  });

  it('refuses a backend name with an InvalidArgumentError naming the public function and the option', () => {
    const error = refusal(() => resolveBackend('lstmForward', { backend: 'cpu' as never }));
    expect(error.fn).toBe('lstmForward');
    expect(error.arg).toBe('options.backend');
    expect(error.message).toMatch(/^lstmForward: options\.backend is not a backend .*the string "cpu"; pass the backend object itself/);
  });

  it.each([
    ['null', null],
    ['a number', 3],
    ['a plain object', { name: 'cpu' }],
    ['an object whose kernels are not a table', { kernels: 'all' }],
    ['an array', []],
  ])('refuses %s in options.backend', (_, backend) => {
    const error = refusal(() => resolveBackend('rnnCellForward', { backend: backend as never }));
    expect(error.fn).toBe('rnnCellForward');
    expect(error.arg).toBe('options.backend');
  });

  it('refuses options that are not an object', () => {
    expect(refusal(() => resolveBackend('rnnForward', 'cpu' as never)).arg).toBe('options');
  });

  it('still says how to set a backend when none is given or set', () => {
    const previous = setBackend(null);
    try {
      expect(() => resolveBackend('lstmForward', { backend: undefined })).toThrow(NoBackendError);
    } finally {
      setBackend(previous);
    }
  });

  it('lets setBackend refuse the same things', () => {
    expect(refusal(() => setBackend('cpu' as never)).message).toMatch(/^setBackend: backend is not a backend .*the string "cpu"/);
  });
});
