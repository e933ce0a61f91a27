import { describeBackendConformance } from '@rnn/tensor/testing';
import { expect, it } from 'vitest';
import { createGpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';
import { GPUJS_TOLERANCES } from './testing/tolerances.js';

describeBackendConformance(`gpujs (${requiredMode() ?? 'auto'})`, () => createGpuJsBackend({ mode: requiredMode() }), {
  tolerances: { float32: GPUJS_TOLERANCES },
});

// What a Node user without headless-gl gets: gpu.js's WebAssembly kernels. Forced here so CI,
// which demands headlessgl above, proves the fallback path too.
describeBackendConformance('gpujs (webasm, forced)', () => createGpuJsBackend({ mode: 'webasm' }), {
  tolerances: { float32: GPUJS_TOLERANCES },
});

it('runs in the mode RNN_GPUJS_MODE asks for, or reports the mode it found', async () => {
  const backend = await createGpuJsBackend({ mode: requiredMode() });
  console.info(`gpujs backend runs in mode '${backend.mode}'`);
  if (requiredMode() !== undefined) expect(backend.mode).toBe(requiredMode());
  await backend.disposeAsync();
});

it('reports webasm when webasm is forced', async () => {
  const backend = await createGpuJsBackend({ mode: 'webasm' });
  expect(backend.mode).toBe('webasm');
  await backend.disposeAsync();
});
