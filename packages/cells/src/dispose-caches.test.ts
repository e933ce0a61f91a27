import { createCpuBackend } from '@rnn/backend-cpu';
import { RandomState, type Tensor } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { disposeCaches, lstmBackward, lstmForward, rnnForward } from './index.js';

describe('disposeCaches', () => {
  it('frees everything an LSTM forward made and nothing the caller owns', () => {
    const backend = createCpuBackend();
    const rng = new RandomState(2);
    const [nX, nA, m, T] = [3, 4, 2, 5];
    const w = (): Tensor => rng.randn(nA, nA + nX);
    const b = (): Tensor => rng.randn(nA, 1);
    const p = { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(2, nA), by: rng.randn(2, 1) };
    const x = rng.randn(nX, m, T);
    const a0 = rng.randn(nA, m);
    const before = backend.memory().tensors;
    const out = lstmForward(x, a0, p, { backend });
    const da = rng.randn(nA, m, T);
    const grads = lstmBackward(da, out.caches, { backend });
    const results = [out.a, out.c, out.yPred, ...Object.values(grads)];
    const userOwned = [x, a0, da, ...Object.values(p)];
    const uploads = userOwned.length;

    disposeCaches(out.caches);
    for (const s of out.caches[0]) {
      for (const t of [s.xt, s.aNext, s.cNext, s.cPrev, s.ft, s.it, s.cct, s.ot]) expect(t.isDisposed).toBe(true);
    }
    for (const t of [...userOwned, ...results]) expect(t.isDisposed).toBe(false);
    // Left on the backend: the uploads of what the caller passed, and the results.
    expect(backend.memory().tensors - before).toBe(uploads + results.length);
    for (const t of results) t.dispose();
    expect(backend.memory().tensors - before).toBe(uploads);
  });

  it('frees the step states of an RNN forward', () => {
    const backend = createCpuBackend();
    const rng = new RandomState(3);
    const p = { Waa: rng.randn(3, 3), Wax: rng.randn(3, 2), Wya: rng.randn(2, 3), ba: rng.randn(3, 1), by: rng.randn(2, 1) };
    const out = rnnForward(rng.randn(2, 4, 6), rng.randn(3, 4), p, { backend });
    disposeCaches(out.caches);
    expect(out.caches[0].every((s) => s.aNext.isDisposed && s.xt.isDisposed)).toBe(true);
    expect(out.caches[0][0]!.aPrev.isDisposed).toBe(false);
    expect(out.caches[1].isDisposed).toBe(false);
    expect(out.a.toArray()).toHaveLength(3);
  });
});
