import { createCpuBackend } from '@rnn/backend-cpu';
import type { Backend, DType } from '@rnn/tensor';

/** Something the bench can measure: one of our backends, created on demand. */
export interface BenchTarget {
  readonly label: string;
  readonly dtypes: readonly DType[];
  create(): Promise<Backend>;
}

/** Our backends. The gpu.js backend is added by its own loader so the CPU rows never load gpu.js. */
export const TARGETS: readonly BenchTarget[] = [
  { label: 'cpu', dtypes: ['float64', 'float32'], create: async () => createCpuBackend() },
];
