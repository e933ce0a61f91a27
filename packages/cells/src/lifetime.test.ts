import { createCpuBackend } from '@rnn/backend-cpu';
import { BackendError, RandomState, tidy, type Tensor } from '@rnn/tensor';
import { collectGarbage } from '@rnn/tensor/testing/node';
import { describe, expect, it, vi } from 'vitest';
import { lstmBackward, lstmForward, type LstmParameters } from './index.js';

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

describe('memory without dispose calls', () => {
  it('1,000 LSTM steps forward and backward, caches never disposed: memory stays flat', async () => {
    const backend = createCpuBackend();
    const { x, a0, p, da } = setup(1);
    const iteration = (): void => {
      const out = lstmForward(x, a0, p, { backend });
      const g = lstmBackward(da, out.caches, { backend });
      for (const t of [out.a, out.c, out.yPred, ...Object.values(g)]) t.dispose();
    };
    for (let i = 0; i < 10; i++) iteration();
    await collectGarbage();
    const early = backend.memory();
    for (let i = 10; i < 100; i++) iteration();
    await collectGarbage();
    expect(backend.memory()).toEqual(early);
    // What stays is the uploads of the caller's tensors, nothing per step.
    expect(early.tensors).toBe(Object.keys(p).length + 3);
  });

  it('tidy frees a forward and backward pass at once, except what it returns', () => {
    const backend = createCpuBackend();
    const { x, a0, p, da } = setup(2);
    const before = backend.memory();
    const dWf = tidy(() => lstmBackward(da, lstmForward(x, a0, p, { backend }).caches, { backend }).dWf);
    expect(dWf.isDisposed).toBe(false);
    expect(backend.memory().tensors - before.tensors).toBe(Object.keys(p).length + 3 + 1);
  });

  it('a forward pass that fails midway frees what it made before the error reaches the caller', () => {
    const backend = createCpuBackend();
    const { x, a0, p } = setup(3);
    lstmForward(x, a0, p, { backend }); // uploads the inputs once
    const before = backend.memory();
    vi.spyOn(backend.kernels, 'softmaxOutput').mockImplementation(() => {
      throw new BackendError('softmaxOutput', 'cpu', 'out of memory (simulated)');
    });
    expect(() => lstmForward(x, a0, p, { backend })).toThrow(/out of memory/);
    expect(backend.memory()).toEqual(before);
  });
});
