import { createCpuBackend } from '@rnn/backend-cpu';
import { RandomState, tensor, type Tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it, vi } from 'vitest';
import { lstmBackward, lstmCellForward, lstmForward, rnnBackward, rnnForward, type LstmParameters } from './index.js';

const [nX, nA, nY, m, T] = [3, 5, 2, 6, 4];

function lstmSetup(seed: number): { x: Tensor; a0: Tensor; p: LstmParameters; da: Tensor } {
  const rng = new RandomState(seed);
  const w = (): Tensor => rng.randn(nA, nA + nX);
  const b = (): Tensor => rng.randn(nA, 1);
  const p = { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1) };
  return { x: rng.randn(nX, m, T), a0: rng.randn(nA, m), p, da: rng.randn(nA, m, T) };
}

/** The same caches rebuilt by hand: new arrays and step objects holding the same tensors, as a user would assemble them. */
function byHand<C extends object>(caches: readonly [readonly C[], Tensor]): readonly [C[], Tensor] {
  return [caches[0].map((s) => ({ ...s })), caches[1]];
}

describe('sequence functions take the backend\'s sequence kernels', () => {
  it('lstmBackward over caches from lstmForward runs lstmSequenceBackward once; hand-made caches step through the cell, with the same gradients', () => {
    const backend = createCpuBackend();
    const fast = vi.spyOn(backend.kernels, 'lstmSequenceBackward');
    const cell = vi.spyOn(backend.kernels, 'lstmCellBackward');
    const { x, a0, p, da } = lstmSetup(11);
    const out = lstmForward(x, a0, p, { backend });
    const g = lstmBackward(da, out.caches, { backend });
    expect([fast.mock.calls.length, cell.mock.calls.length]).toEqual([1, 0]);
    const slow = lstmBackward(da, byHand(out.caches), { backend });
    expect([fast.mock.calls.length, cell.mock.calls.length]).toEqual([1, T]);
    for (const key of ['dx', 'da0', 'dWf', 'dbf', 'dWi', 'dbi', 'dWc', 'dbc', 'dWo', 'dbo'] as const) {
      const report = compareClose(slow[key].dataSync(), g[key].dataSync(), { rtol: 1e-12, atol: 1e-13 });
      expect(report.ok, `${key}: ${report.message}`).toBe(true);
    }
  });

  it('rnnBackward over caches from rnnForward runs rnnSequenceBackward; hand-made caches step through the cell', () => {
    const backend = createCpuBackend();
    const fast = vi.spyOn(backend.kernels, 'rnnSequenceBackward');
    const cell = vi.spyOn(backend.kernels, 'rnnCellBackward');
    const rng = new RandomState(12);
    const p = { Waa: rng.randn(nA, nA), Wax: rng.randn(nA, nX), Wya: rng.randn(nY, nA), ba: rng.randn(nA, 1), by: rng.randn(nY, 1) };
    const out = rnnForward(rng.randn(nX, m, T), rng.randn(nA, m), p, { backend });
    const da = rng.randn(nA, m, T);
    const g = rnnBackward(da, out.caches, { backend });
    const slow = rnnBackward(da, byHand(out.caches), { backend });
    expect([fast.mock.calls.length, cell.mock.calls.length]).toEqual([1, T]);
    for (const key of ['dx', 'da0', 'dWaa', 'dWax', 'dba'] as const) {
      expect(compareClose(slow[key].dataSync(), g[key].dataSync(), { rtol: 1e-12, atol: 1e-13 }).ok, key).toBe(true);
    }
  });

  it('caches from a forward pass on another backend fall back to the cell loop there', () => {
    const [first, second] = [createCpuBackend(), createCpuBackend({ engine: 'js' })];
    const fast = vi.spyOn(second.kernels, 'lstmSequenceBackward');
    const { x, a0, p, da } = lstmSetup(13);
    const out = lstmForward(x, a0, p, { backend: first });
    const g = lstmBackward(da, out.caches, { backend: second });
    expect(fast).not.toHaveBeenCalled();
    expect(g.dWf.shape).toEqual([nA, nA + nX]);
  });

  it('the step caches are NumPy\'s, frozen: each step\'s gates equal lstmCellForward run step by step', () => {
    const backend = createCpuBackend();
    const { x, a0, p } = lstmSetup(14);
    const { caches } = lstmForward(x, a0, p, { backend });
    expect(Object.isFrozen(caches) && Object.isFrozen(caches[0]) && Object.isFrozen(caches[0][0])).toBe(true);
    expect(() => Reflect.apply(Array.prototype.push, caches[0], [{}])).toThrow(TypeError);
    let aPrev = a0;
    let cPrev = caches[0][0]?.cPrev as Tensor;
    for (let t = 0; t < T; t++) {
      const step = caches[0][t];
      if (step === undefined) throw new Error('missing step');
      const xt = sliceStep(x, t);
      const ref = lstmCellForward(xt, aPrev, cPrev, p, { backend });
      for (const key of ['ft', 'it', 'cct', 'ot', 'aNext', 'cNext', 'xt'] as const) {
        const report = compareClose(step[key].dataSync(), ref.cache[key].dataSync(), { rtol: 1e-12, atol: 1e-14 });
        expect(report.ok, `step ${t} ${key}: ${report.message}`).toBe(true);
      }
      expect(step.aPrev).toBe(aPrev);
      aPrev = step.aNext;
      cPrev = step.cNext;
    }
  });
});

/** `x[:, :, t]` of a host tensor `(n, m, T)`, for the step-by-step reference. */
function sliceStep(x: Tensor, t: number): Tensor {
  const [n = 0, mm = 0, steps = 0] = x.shape;
  const src = x.dataSync();
  return tensor(Float64Array.from({ length: n * mm }, (_, i) => src[i * steps + t] as number), [n, mm]);
}
