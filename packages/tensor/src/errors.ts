import { formatShape } from './dtype.js';

/** Base class of every error `@rnn` throws on purpose; `fn` names the function that refused. */
export class RnnError extends Error {
  /** The class name, `'RnnError'`, as stack traces print it. */
  override readonly name: string = 'RnnError';
  constructor(
    /** The public function that detected the problem, e.g. `lstmCellForward`. */
    readonly fn: string,
    message: string,
  ) {
    super(`${fn}: ${message}`);
  }
}

/** An argument's shape does not fit the others. */
export class ShapeMismatchError extends RnnError {
  /** The class name, `'ShapeMismatchError'`, as stack traces print it. */
  override readonly name = 'ShapeMismatchError';
  constructor(
    fn: string,
    /** The argument whose shape is wrong, e.g. `parameters.Wax`. */
    readonly arg: string,
    /** The shape that was required, with `null` for a dimension that may be anything. */
    readonly expected: readonly (number | null)[],
    /** The shape that was given. */
    readonly actual: readonly number[],
    /** Why that shape was expected, naming the arguments it was derived from. */
    readonly reason: string,
  ) {
    const want = `[${expected.map((d) => (d === null ? '*' : String(d))).join(', ')}]`;
    super(fn, `${arg} has shape ${formatShape(actual)} but ${want} was expected (${reason})`);
  }
}

/** Tensors of different dtypes were mixed in one call. */
export class DTypeMismatchError extends RnnError {
  /** The class name, `'DTypeMismatchError'`, as stack traces print it. */
  override readonly name = 'DTypeMismatchError';
  constructor(
    fn: string,
    /** The argument at fault, e.g. `xt`. */
    readonly arg: string,
    /** The dtype that was required. */
    readonly expected: string,
    /** The dtype that was given. */
    readonly actual: string,
  ) {
    super(fn, `${arg} has dtype ${actual} but ${expected} was expected (all tensors of one call share a dtype)`);
  }
}

/** An argument is missing, of the wrong kind, or out of range. */
export class InvalidArgumentError extends RnnError {
  /** The class name, `'InvalidArgumentError'`, as stack traces print it. */
  override readonly name = 'InvalidArgumentError';
  constructor(
    fn: string,
    /** The argument at fault, e.g. `xt`. */
    readonly arg: string,
    /** Why the argument was refused, e.g. `is not a backend (expected an object with kernels)`. */
    readonly reason: string,
  ) {
    super(fn, `${arg} ${reason}`);
  }
}

/** A tensor was used after `dispose()`. */
export class DisposedTensorError extends RnnError {
  /** The class name, `'DisposedTensorError'`, as stack traces print it. */
  override readonly name = 'DisposedTensorError';
  constructor(
    fn: string,
    /** The argument that held the disposed tensor, e.g. `xt`. */
    readonly arg: string,
  ) {
    super(fn, `${arg} was disposed and can no longer be used`);
  }
}

/** No backend was given and none was set with `setBackend`. */
export class NoBackendError extends RnnError {
  /** The class name, `'NoBackendError'`, as stack traces print it. */
  override readonly name = 'NoBackendError';
  constructor(fn: string) {
    super(
      fn,
      'no backend is set: call setBackend(createCpuBackend()) from @rnn/backend-cpu once, or pass { backend } in the options',
    );
  }
}

/** A backend was used after its `dispose()`, or was asked for something it cannot do synchronously. */
export class BackendError extends RnnError {
  /** The class name, `'BackendError'`, as stack traces print it. */
  override readonly name = 'BackendError';
  constructor(
    fn: string,
    /** The backend's name, e.g. `gpujs`. */
    readonly backend: string,
    message: string,
  ) {
    super(fn, `[${backend}] ${message}`);
  }
}
