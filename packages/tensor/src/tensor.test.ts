import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidArgumentError, DisposedTensorError, NoBackendError } from './errors.js';
import { getBackend, setBackend } from './backend-registry.js';
import { Tensor, tensor, zeros, type NestedArray, type NestedArrayOfRank } from './tensor.js';

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

describe('Tensor.fromHost', () => {
  it('refuses values whose length is not the size of the shape', () => {
    expect(() => Tensor.fromHost(new Float64Array(4), [3, 3], 'float64')).toThrow(InvalidArgumentError);
    expect(() => Tensor.fromHost(new Float64Array(4), [3, 3], 'float64')).toThrow(/Tensor\.fromHost: values holds 4 values but shape \[3, 3\] holds 9/);
    expect(() => Tensor.fromHost(new Float64Array(0), [], 'float64')).toThrow(/holds 0 values but shape \[\] holds 1/);
  });

  it('refuses values whose array type is not the dtype', () => {
    expect(() => Tensor.fromHost(new Float64Array(4), [2, 2], 'float32')).toThrow(/values is a Float64Array but dtype is 'float32'/);
    expect(() => Tensor.fromHost(new Float32Array(4), [2, 2], 'float64')).toThrow(/values is a Float32Array but dtype is 'float64'/);
    expect(() => Tensor.fromHost([1, 2] as never, [2], 'float64')).toThrow(InvalidArgumentError);
    expect(() => Tensor.fromHost(new Float64Array(2), [2, -1], 'float64')).toThrow(/shape must be an array of non-negative integers/);
  });

  it('keeps the values it is handed', () => {
    const values = Float32Array.of(1, 2, 3, 4, 5, 6);
    const t = Tensor.fromHost(values, [2, 3], 'float32');
    expect(t.toArray(2)).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
});

describe('typed reads', () => {
  const t = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);

  it('types toArray and array by the rank given', async () => {
    expectTypeOf(t.toArray(3)).toEqualTypeOf<number[][][]>();
    expectTypeOf(zeros([]).toArray(0)).toEqualTypeOf<number>();
    expectTypeOf(t.toArray()).toEqualTypeOf<NestedArray>();
    expectTypeOf(await t.array(3)).toEqualTypeOf<number[][][]>();
    expectTypeOf<NestedArrayOfRank<1 | 2>>().toEqualTypeOf<number[] | number[][]>();
    let sum = 0;
    for (const plane of t.toArray(3)) for (const row of plane) for (const v of row) sum += v;
    expect(sum).toBe(78);
    expect(await t.array(3)).toEqual(t.toArray());
    expect(zeros([]).toArray(0)).toBe(0);
  });

  it('refuses a rank that is not the tensor\'s', async () => {
    expect(() => t.toArray(2)).toThrow(/Tensor\.toArray: rank is 2 but the tensor has shape \[2, 3, 2\] \(rank 3\)/);
    await expect(t.array(1)).rejects.toThrow(InvalidArgumentError);
  });

  it('reads one element with at(), NumPy\'s t[i, j, k], negative indices from the end', () => {
    expect(t.at(1, 2, 0)).toBe(11);
    expect(t.at(-1, -1, -1)).toBe(12);
    expect(zeros([]).at()).toBe(0);
    expect(() => t.at(1, 2)).toThrow(/Tensor\.at: index has 2 indices but the tensor has shape \[2, 3, 2\] \(rank 3\)/);
    expect(() => t.at(2, 0, 0)).toThrow(/index\[0\] is 2, outside \[-2, 2\)/);
    expect(() => t.at(0, 0.5, 0)).toThrow(InvalidArgumentError);
  });
});
