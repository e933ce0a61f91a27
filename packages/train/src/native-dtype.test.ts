import { createCpuBackend } from '@rnn/backend-cpu';
import { BackendError, type Backend, type DataArray, type DType } from '@rnn/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeDType } from './native-dtype.js';

describe('nativeDType', () => {
  const cpu = createCpuBackend();
  afterAll(() => cpu.dispose());

  /** The CPU backend with some of its members replaced, as another backend would have them. */
  const like = (changes: Partial<Backend>): Backend => Object.assign(Object.create(cpu) as Backend, changes);

  it('is float64 on the CPU backend, which computes in the dtype it is given', () => {
    expect(cpu.computeDType).toBeUndefined();
    expect(nativeDType(cpu)).toBe('float64');
  });

  it('takes a backend\'s computeDType over the probe: a backend that stores float64 but computes in float32 gets float32', () => {
    expect(nativeDType(like({ computeDType: 'float32' }))).toBe('float32');
  });

  it('is float32 on a backend without computeDType that refuses float64 uploads', () => {
    const refusing = like({
      upload(values: DataArray, dtype: DType) {
        if (dtype === 'float64') throw new BackendError('upload', 'test', 'float64 is not stored here');
        return cpu.upload(values, dtype);
      },
    });
    expect(nativeDType(refusing)).toBe('float32');
  });

  it('passes on an error other than a refusal', () => {
    const broken = like({ upload: () => { throw new RangeError('out of memory'); } });
    expect(() => nativeDType(broken)).toThrow(RangeError);
  });
});
