import { describeBackendConformance, FLOAT64_TOLERANCES } from '@rnn/tensor/testing';
import { createCpuBackend } from './index.js';

describeBackendConformance('cpu', () => createCpuBackend(), {
  tolerances: {
    float64: FLOAT64_TOLERANCES,
    // Float32 storage rounds every stored value (relative 6e-8); sums over K ≤ 50 terms stay within these.
    float32: { values: { rtol: 1e-5, atol: 1e-6 }, gradients: { rtol: 1e-4, atol: 1e-5 } },
  },
});
