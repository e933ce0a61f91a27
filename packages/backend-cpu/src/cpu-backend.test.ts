import { describeBackendConformance, FLOAT64_TOLERANCES } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './index.js';

// Float32 storage rounds every stored value (relative 6e-8) and the WebAssembly engine computes
// in float32 (f32x4); sums over K ≤ 50 terms stay within these.
const FLOAT32_TOLERANCES = { values: { rtol: 1e-5, atol: 1e-6 }, gradients: { rtol: 1e-4, atol: 1e-5 } };

describeBackendConformance('cpu (wasm-simd)', () => createCpuBackend({ engine: 'wasm-simd' }), {
  tolerances: { float64: FLOAT64_TOLERANCES, float32: FLOAT32_TOLERANCES },
});

describeBackendConformance('cpu (js)', () => createCpuBackend({ engine: 'js' }), {
  tolerances: { float64: FLOAT64_TOLERANCES, float32: FLOAT32_TOLERANCES },
});

describe('createCpuBackend', () => {
  it('runs the WebAssembly SIMD engine by default here, and TypeScript loops when asked', () => {
    expect(createCpuBackend().mode).toBe('wasm-simd');
    expect(createCpuBackend({ engine: 'js' }).mode).toBe('js');
  });

  it('refuses an unknown engine with a typed error', () => {
    expect(() => createCpuBackend({ engine: 'gpu' as never })).toThrow(/createCpuBackend: options.engine must be/);
  });
});

describeBackendConformance('cpu (wasm-simd, 2 threads)', () => createCpuBackend({ threads: 2 }), {
  tolerances: { float64: FLOAT64_TOLERANCES, float32: FLOAT32_TOLERANCES },
});
