import { lstmBackward, lstmForward, type LstmParameters } from '@rnn/cells';
import { RandomState, tidy, type Tensor } from '@rnn/tensor';
import { collectGarbage } from '@rnn/tensor/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, type GpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';

const [nX, nA, nY, m, T] = [4, 6, 3, 5, 10];

function setup(seed: number): { x: Tensor; a0: Tensor; p: LstmParameters; da: Tensor } {
  const rng = new RandomState(seed);
  const w = (): Tensor => rng.randn(nA, nA + nX);
  const b = (): Tensor => rng.randn(nA, 1);
  return {
    x: rng.randn(nX, m, T), a0: rng.randn(nA, m), da: rng.randn(nA, m, T),
    p: { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1) },
  };
}

// Issue 9, "no leaks by default": float64 tensors from `rng.randn`, as a user writes them.
describe('gpujs memory without disposeCaches', () => {
  let backend: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode: requiredMode(), float64: 'compute-in-float32' });
  });
  afterAll(() => backend.disposeAsync());

  it('1,000 LSTM steps forward and backward through @rnn/cells, caches only dropped: device memory flat after garbage collection', async () => {
    const { x, a0, p, da } = setup(1);
    const iteration = (): void => {
      const out = lstmForward(x, a0, p, { backend });
      const g = lstmBackward(da, out.caches, { backend });
      for (const t of [out.a, out.c, out.yPred, ...Object.values(g)]) t.dispose();
    };
    for (let i = 0; i < 10; i++) iteration();
    await collectGarbage();
    const early = { memory: backend.memory(), device: backend.deviceMemory() };
    for (let i = 10; i < 1000 / T; i++) iteration();
    await collectGarbage();
    expect({ memory: backend.memory(), device: backend.deviceMemory() }).toEqual(early);
    // What stays is the uploads of the caller's tensors (parameters, x, a0, da), nothing per step.
    expect(early.memory.tensors).toBe(Object.keys(p).length + 3);
  });

  it('tidy frees a forward and backward pass at once, tape included, except what it returns', () => {
    const { x, a0, p, da } = setup(2);
    tidy(() => lstmBackward(da, lstmForward(x, a0, p, { backend }).caches, { backend })); // uploads the inputs once, frees the rest
    const before = backend.deviceMemory();
    const dWf = tidy(() => lstmBackward(da, lstmForward(x, a0, p, { backend }).caches, { backend }).dWf);
    expect(dWf.isDisposed).toBe(false);
    dWf.dispose();
    expect(backend.deviceMemory()).toEqual(before);
  });
});
