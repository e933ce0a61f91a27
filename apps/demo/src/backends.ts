import { createCpuBackend } from '@rnn/backend-cpu';
import type { Backend, DType } from '@rnn/tensor';

/** A backend the demo can run on, and the dtype it computes in. */
export interface DemoBackend {
  readonly backend: Backend;
  readonly dtype: DType;
}

/** The backends `--backend` accepts. Each is created only when picked, so gpu.js loads only for `gpujs`. */
export const BACKENDS: Record<string, () => Promise<DemoBackend>> = {
  cpu: async () => ({ backend: createCpuBackend(), dtype: 'float64' }),
  gpujs: async () => {
    // headless-gl needs an X display: start Xvfb when none is set (it stops when we exit).
    await (await import('@rnn/backend-gpujs/node')).startVirtualDisplay();
    return { backend: await (await import('@rnn/backend-gpujs')).createGpuJsBackend(), dtype: 'float32' };
  },
};
