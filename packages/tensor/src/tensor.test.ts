import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, DisposedTensorError, NoBackendError } from './errors.js';
import { getBackend, setBackend } from './backend-registry.js';
import { tensor, zeros } from './tensor.js';

describe('tensor', () => {
  it('infers the shape of nested arrays and reads back in NumPy tolist() order', () => {
    const t = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
    expect(t.shape).toEqual([2, 3, 2]);
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
    expect((t.toArray() as number[][][])[1]![2]![0]).toBe(11);
  });

  it('takes flat values with a shape and a dtype', () => {
    const t = tensor([1.1, 2, 3, 4], [2, 2], 'float32');
    expect(t.dtype).toBe('float32');
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(t.toArray()).toEqual([[Math.fround(1.1), 2], [3, 4]]);
    expect(tensor(Float64Array.of(1, 2, 3)).shape).toEqual([3]);
  });

  it('makes zeros and reads scalars as numbers', () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros([], 'float32').toArray()).toBe(0);
  });

  it('hands out copies, so reading never exposes its storage', () => {
    const t = tensor([1, 2, 3]);
    t.dataSync()[0] = 99;
    expect(t.toArray()).toEqual([1, 2, 3]);
  });

  it('rejects ragged arrays, wrong sizes and unknown dtypes with typed errors', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(InvalidArgumentError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: shape \[2, 2\] holds 4 elements but 3 values were given/);
    expect(() => tensor([1], [1], 'int32' as 'float32')).toThrow(/dtype/);
    expect(() => zeros([2, -1])).toThrow(InvalidArgumentError);
  });

  it('refuses reads after dispose', () => {
    const t = tensor([1, 2]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.toArray()).toThrow(DisposedTensorError);
  });
});

describe('setBackend / getBackend', () => {
  it('says how to set a backend when none is set', () => {
    const previous = setBackend(null);
    try {
      expect(() => getBackend('lstmForward')).toThrow(NoBackendError);
      expect(() => getBackend('lstmForward')).toThrow(/lstmForward: no backend is set: call setBackend\(createCpuBackend\(\)\)/);
    } finally {
      setBackend(previous);
    }
  });

  it('rejects things that are not backends', () => {
    expect(() => setBackend({} as never)).toThrow(InvalidArgumentError);
  });
});
