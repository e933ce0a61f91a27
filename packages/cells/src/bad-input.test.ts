import { createCpuBackend } from '@rnn/backend-cpu';
import {
  DTypeMismatchError, DisposedTensorError, InvalidArgumentError, NoBackendError, RandomState, ShapeMismatchError,
  setBackend, type Tensor,
} from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import {
  gruBackward, gruCellBackward, gruCellForward, gruForward,
  lstmBackward, lstmCellBackward, lstmCellForward, lstmForward,
  rnnBackward, rnnCellBackward, rnnCellForward, rnnForward,
  type GruParameters, type LstmParameters, type RnnParameters,
} from './index.js';

const backend = createCpuBackend();
const opts = { backend };
const rng = new RandomState(1);
const [nX, nA, nY, m, T] = [3, 5, 2, 10, 4];
const rnnP: RnnParameters = { Waa: rng.randn(nA, nA), Wax: rng.randn(nA, nX), Wya: rng.randn(nY, nA), ba: rng.randn(nA, 1), by: rng.randn(nY, 1) };
const w = (): Tensor => rng.randn(nA, nA + nX);
const b = (): Tensor => rng.randn(nA, 1);
const lstmP: LstmParameters = { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1) };
const gruP: GruParameters = {
  Wz: w(), bz: b(), Wr: w(), br: b(), Whx: rng.randn(nA, nX), bhx: b(), Whh: rng.randn(nA, nA), bhh: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1),
};
const xt = rng.randn(nX, m);
const x = rng.randn(nX, m, T);
const a = rng.randn(nA, m);
const c = rng.randn(nA, m);
const da = rng.randn(nA, m, T);
const rnnCache = rnnCellForward(xt, a, rnnP, opts).cache;
const lstmCache = lstmCellForward(xt, a, c, lstmP, opts).cache;
const rnnCaches = rnnForward(x, a, rnnP, opts).caches;
const lstmCaches = lstmForward(x, a, lstmP, opts).caches;
const gruCache = gruCellForward(xt, a, gruP, opts).cache;
const gruCaches = gruForward(x, a, gruP, opts).caches;

interface BadCall {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: new (...args: never[]) => Error;
  readonly fields?: Record<string, unknown>;
  readonly message: RegExp;
}

const bad: BadCall[] = [
  {
    name: 'rnnCellForward with Wax (5,4) for xt (3,10)',
    call: () => rnnCellForward(xt, a, { ...rnnP, Wax: rng.randn(5, 4) }, opts),
    error: ShapeMismatchError,
    fields: { fn: 'rnnCellForward', arg: 'parameters.Wax', expected: [5, 3], actual: [5, 4] },
    message: /rnnCellForward: parameters.Wax has shape \[5, 4\] but \[5, 3\] was expected \(\(n_a, n_x\) with n_a = 5 from aPrev and n_x = 3 from the input\)/,
  },
  {
    name: 'rnnCellForward with aPrev of another batch size',
    call: () => rnnCellForward(xt, rng.randn(nA, 7), rnnP, opts),
    error: ShapeMismatchError, fields: { arg: 'aPrev', expected: [5, 10], actual: [5, 7] }, message: /m = 10 from xt/,
  },
  {
    name: 'rnnCellForward with float32 aPrev and float64 xt',
    call: () => rnnCellForward(xt, rng.randnAs([nA, m], 'float32'), rnnP, opts),
    error: DTypeMismatchError, fields: { fn: 'rnnCellForward', arg: 'aPrev', expected: 'float64 (the dtype of xt)', actual: 'float32' },
    message: /aPrev has dtype float32 but float64 \(the dtype of xt\) was expected/,
  },
  {
    name: 'rnnCellForward with a missing parameter',
    call: () => rnnCellForward(xt, a, { Waa: rnnP.Waa, Wax: rnnP.Wax } as unknown as RnnParameters, opts),
    error: InvalidArgumentError, message: /rnnCellForward: parameters is missing Wya, ba, by/,
  },
  {
    name: 'rnnCellForward with a nested array instead of a tensor',
    call: () => rnnCellForward([[1, 2, 3]] as unknown as Tensor, a, rnnP, opts),
    error: InvalidArgumentError, message: /rnnCellForward: xt must be a Tensor, got an array/,
  },
  {
    name: 'rnnForward with a 2-D x',
    call: () => rnnForward(xt, a, rnnP, opts),
    error: ShapeMismatchError, fields: { arg: 'x', actual: [3, 10] }, message: /x must be \(n_x, m, T_x\)/,
  },
  {
    name: 'rnnForward with ba of shape (1,5)',
    call: () => rnnForward(x, a, { ...rnnP, ba: rng.randn(1, 5) }, opts),
    error: ShapeMismatchError, fields: { arg: 'parameters.ba', expected: [5, 1], actual: [1, 5] }, message: /rnnForward: parameters.ba/,
  },
  {
    name: 'rnnCellBackward with daNext of the wrong shape',
    call: () => rnnCellBackward(rng.randn(nA, 3), rnnCache, opts),
    error: ShapeMismatchError, fields: { fn: 'rnnCellBackward', arg: 'daNext', expected: [5, 10], actual: [5, 3] }, message: /the shape of cache.aNext/,
  },
  {
    name: 'rnnCellBackward with a cache that is not one',
    call: () => rnnCellBackward(a, { aNext: a } as never, opts),
    error: InvalidArgumentError, message: /rnnCellBackward: cache is missing aPrev, xt, parameters/,
  },
  {
    name: 'rnnBackward with da of fewer steps than the caches',
    call: () => rnnBackward(rng.randn(nA, m, 2), rnnCaches, opts),
    error: ShapeMismatchError, fields: { fn: 'rnnBackward', arg: 'da', expected: [5, 10, 4], actual: [5, 10, 2] }, message: /from caches \(4 steps\)/,
  },
  {
    name: 'rnnBackward with caches that are not a [steps, x] pair',
    call: () => rnnBackward(da, [rnnCaches[0]] as never, opts),
    error: InvalidArgumentError, message: /rnnBackward: caches must be the \[steps, x\] pair/,
  },
  {
    name: 'lstmCellForward with Wf of (5,5) instead of (5,8)',
    call: () => lstmCellForward(xt, a, c, { ...lstmP, Wf: rng.randn(5, 5) }, opts),
    error: ShapeMismatchError, fields: { fn: 'lstmCellForward', arg: 'parameters.Wf', expected: [5, 8], actual: [5, 5] }, message: /\(n_a, n_a \+ n_x\)/,
  },
  {
    name: 'lstmCellForward with cPrev of another shape',
    call: () => lstmCellForward(xt, a, rng.randn(4, m), lstmP, opts),
    error: ShapeMismatchError, fields: { arg: 'cPrev', expected: [5, 10], actual: [4, 10] }, message: /the shape of aPrev/,
  },
  {
    name: 'lstmCellForward with by of (3,1) for Wy (2,5)',
    call: () => lstmCellForward(xt, a, c, { ...lstmP, by: rng.randn(3, 1) }, opts),
    error: ShapeMismatchError, fields: { arg: 'parameters.by', expected: [2, 1], actual: [3, 1] }, message: /n_y = 2 from parameters.Wy/,
  },
  {
    name: 'lstmForward with a0 of another batch size',
    call: () => lstmForward(x, rng.randn(nA, 1), lstmP, opts),
    error: ShapeMismatchError, fields: { fn: 'lstmForward', arg: 'a0', expected: [5, 10], actual: [5, 1] }, message: /m = 10 from x/,
  },
  {
    name: 'lstmCellBackward with dcNext of the wrong shape',
    call: () => lstmCellBackward(a, rng.randn(nA, 1), lstmCache, opts),
    error: ShapeMismatchError, fields: { fn: 'lstmCellBackward', arg: 'dcNext', expected: [5, 10], actual: [5, 1] }, message: /cache.cNext/,
  },
  {
    name: 'lstmCellBackward with float32 daNext',
    call: () => lstmCellBackward(rng.randnAs([nA, m], 'float32'), c, lstmCache, opts),
    error: DTypeMismatchError, fields: { fn: 'lstmCellBackward', arg: 'dcNext' }, message: /dcNext has dtype float64 but float32 \(the dtype of daNext\)/,
  },
  {
    name: 'lstmBackward with da of n_a = 4',
    call: () => lstmBackward(rng.randn(4, m, T), lstmCaches, opts),
    error: ShapeMismatchError, fields: { fn: 'lstmBackward', arg: 'da', expected: [5, 10, 4], actual: [4, 10, 4] }, message: /lstmBackward: da has shape \[4, 10, 4\]/,
  },
  {
    name: 'lstmBackward with an empty step list',
    call: () => lstmBackward(da, [[], x], opts),
    error: InvalidArgumentError, message: /lstmBackward: caches\[0\] must hold at least one step/,
  },
  {
    name: 'gruCellForward with Whx of (5,5) instead of (5,3)',
    call: () => gruCellForward(xt, a, { ...gruP, Whx: rng.randn(5, 5) }, opts),
    error: ShapeMismatchError, fields: { fn: 'gruCellForward', arg: 'parameters.Whx', expected: [5, 3], actual: [5, 5] },
    message: /gruCellForward: parameters.Whx has shape \[5, 5\] but \[5, 3\] was expected \(\(n_a, n_x\) with n_a = 5 from aPrev and n_x = 3 from the input\)/,
  },
  {
    name: 'gruCellForward with LSTM parameters',
    call: () => gruCellForward(xt, a, lstmP as unknown as GruParameters, opts),
    error: InvalidArgumentError, message: /gruCellForward: parameters is missing Wz, bz, Wr, br, Whx, bhx, Whh, bhh/,
  },
  {
    name: 'gruForward with Whh of (5,3)',
    call: () => gruForward(x, a, { ...gruP, Whh: rng.randn(5, 3) }, opts),
    error: ShapeMismatchError, fields: { fn: 'gruForward', arg: 'parameters.Whh', expected: [5, 5], actual: [5, 3] }, message: /\(n_a, n_a\) with n_a = 5 from a0/,
  },
  {
    name: 'gruCellBackward with a cache missing its gates',
    call: () => gruCellBackward(a, { ...gruCache, rt: undefined } as never, opts),
    error: InvalidArgumentError, message: /gruCellBackward: cache.rt must be a Tensor/,
  },
  {
    name: 'gruBackward with da of another batch size',
    call: () => gruBackward(rng.randn(nA, 3, T), gruCaches, opts),
    error: ShapeMismatchError, fields: { fn: 'gruBackward', arg: 'da', expected: [5, 10, 4], actual: [5, 3, 4] }, message: /from caches \(4 steps\)/,
  },
];

describe('bad input gets a typed error naming the function, the argument and the shapes', () => {
  for (const { name, call, error, fields, message } of bad) {
    it(name, () => {
      const memoryBefore = backend.memory();
      const inputs = [xt, x, a, c, da, ...Object.values(rnnP), ...Object.values(lstmP), ...Object.values(gruP)];
      const valuesBefore = inputs.map((t) => t.dataSync());
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(error);
      expect((thrown as Error).message).toMatch(message);
      if (fields) expect(thrown).toMatchObject(fields);
      expect(backend.memory(), 'nothing was computed').toEqual(memoryBefore);
      inputs.forEach((t, i) => expect(t.dataSync(), 'no input changed').toEqual(valuesBefore[i]));
    });
  }

  it('a disposed tensor is refused', () => {
    const gone = rng.randn(nX, m);
    gone.dispose();
    expect(() => rnnCellForward(gone, a, rnnP, opts)).toThrow(DisposedTensorError);
    expect(() => rnnCellForward(gone, a, rnnP, opts)).toThrow(/rnnCellForward: xt was disposed/);
  });

  it('without a backend, the error says how to set one', () => {
    const previous = setBackend(null);
    try {
      expect(() => lstmForward(x, a, lstmP)).toThrow(NoBackendError);
    } finally {
      setBackend(previous);
    }
  });

  it('with setBackend, calls need no options', () => {
    const previous = setBackend(createCpuBackend());
    try {
      const withDefault = rnnCellForward(xt, a, rnnP).aNext.dataSync();
      expect(withDefault).toEqual(rnnCellForward(xt, a, rnnP, opts).aNext.dataSync());
    } finally {
      setBackend(previous);
    }
  });
});
