import { lstmForward, rnnCellForward } from '@rnn/cells';
import { BackendError, RandomState, type Tensor } from '@rnn/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, type GpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';

describe('gpujs memory', () => {
  let backend: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode: requiredMode() });
  });
  afterAll(() => backend.disposeAsync());

  it('holds steady over 1,000 LSTM steps forward and backward, disposing as a user would', () => {
    const [nX, nA, nY, m] = [3, 5, 2, 4];
    const rng = new RandomState(3);
    const draw = (...shape: number[]): Tensor => rng.randnAs(shape, 'float32');
    const params = {
      Wf: draw(nA, nA + nX), bf: draw(nA, 1), Wi: draw(nA, nA + nX), bi: draw(nA, 1),
      Wc: draw(nA, nA + nX), bc: draw(nA, 1), Wo: draw(nA, nA + nX), bo: draw(nA, 1), Wy: draw(nY, nA), by: draw(nY, 1),
    };
    const xt = draw(nX, m);
    const da = draw(nA, m);
    let aPrev = draw(nA, m);
    let cPrev = draw(nA, m);
    let grads: ReturnType<GpuJsBackend['kernels']['lstmCellBackward']> | undefined;
    const step = (): void => {
      const out = backend.kernels.lstmCellForward({ xt, aPrev, cPrev, ...params });
      const back = backend.kernels.lstmCellBackward(
        { daNext: da, dcNext: out.cNext, cNext: out.cNext, aPrev, cPrev, ft: out.ft, it: out.it, cct: out.cct, ot: out.ot, xt, ...params },
        grads,
      );
      for (const t of [out.ft, out.it, out.cct, out.ot, out.ytPred, aPrev, cPrev, back.dxt, back.daPrev, back.dcPrev]) t.dispose();
      if (grads !== undefined) for (const t of Object.values(grads)) t.dispose();
      grads = back;
      aPrev = out.aNext;
      cPrev = out.cNext;
    };
    for (let t = 0; t < 10; t++) step();
    const warm = backend.memory();
    const warmDevice = backend.deviceMemory();
    const warmCompiles = backend.stats().compiles;
    for (let t = 10; t < 1000; t++) step();
    expect(backend.memory()).toEqual(warm);
    expect(backend.deviceMemory()).toEqual(warmDevice);
    expect(backend.stats().compiles, 'kernels are compiled once per shape, not per step').toBe(warmCompiles);
    expect(Number.isFinite((aPrev.dataSync()[0] ?? Number.NaN))).toBe(true);
  });
});

describe('gpujs dispose and errors', () => {
  it('dispose() frees every tensor and buffer, and later use throws a BackendError', async () => {
    const backend = await createGpuJsBackend({ mode: requiredMode() });
    const rng = new RandomState(1);
    const a = rng.randnAs([3, 4], 'float32');
    const sum = backend.kernels.add(a, a);
    const stacked = backend.kernels.stackTime([sum, a, sum]);
    expect(backend.memory().tensors).toBeGreaterThan(0);
    expect(backend.deviceMemory().bytes).toBeGreaterThan(0);
    await backend.disposeAsync();
    expect(backend.memory()).toEqual({ tensors: 0, bytes: 0 });
    expect(backend.deviceMemory()).toEqual({ tensors: 0, bytes: 0 });
    expect(() => stacked.dataSync()).toThrow(BackendError);
    expect(() => backend.kernels.add(a, a)).toThrow(BackendError);
  });

  it('computes float64 tensors in float32 by default: outputs keep dtype float64, values are float32 results', async () => {
    const backend = await createGpuJsBackend({ mode: requiredMode() });
    const x = new RandomState(1).randn(2, 2);
    const sum = backend.kernels.add(x, x);
    expect(sum.dtype).toBe('float64');
    const expected = Array.from(x.dataSync(), (v) => 2 * Math.fround(v));
    expect(Array.from(await sum.data())).toEqual(expected);
    await backend.disposeAsync();
  });

  it("with { float64: 'reject' } refuses float64 before any work, naming the public function, the kernel and the argument", async () => {
    const backend = await createGpuJsBackend({ mode: requiredMode(), float64: 'reject' });
    const rng = new RandomState(1);
    const [nX, nA, m, T] = [3, 5, 4, 2];
    const w = (): Tensor => rng.randn(nA, nA + nX);
    const b = (): Tensor => rng.randn(nA, 1);
    const p = { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(2, nA), by: rng.randn(2, 1) };
    const call = (): unknown => lstmForward(rng.randn(nX, m, T), rng.randn(nA, m), p, { backend });
    expect(call).toThrow(BackendError);
    expect(call).toThrow(/^lstmForward\/layersForward: \[gpujs\] x is float64 \(in its kernel lstmSequenceForward\) but this backend was created with \{ float64: 'reject' \}/);
    expect(call).toThrow(expect.objectContaining({ fn: 'lstmForward/layersForward', backend: 'gpujs' }));
    expect(() => rnnCellForward(rng.randn(nX, m), rng.randn(nA, m), { Waa: rng.randn(nA, nA), Wax: rng.randn(nA, nX), Wya: rng.randn(2, nA), ba: b(), by: rng.randn(2, 1) }, { backend }))
      .toThrow(/^rnnCellForward: \[gpujs\] xt is float64 but/);
    expect(backend.memory()).toEqual({ tensors: 0, bytes: 0 });
    const f32 = rng.randnAs([2, 2], 'float32');
    expect(Array.from(await backend.kernels.add(f32, f32).data())).toEqual(Array.from(f32.dataSync(), (v) => 2 * v));
    await backend.disposeAsync();
  });

  it("with { float64: 'reject' } refuses float64 peepholes as it refuses the other arguments", async () => {
    const backend = await createGpuJsBackend({ mode: requiredMode(), float64: 'reject' });
    const rng = new RandomState(2);
    const [nX, nA, m, T] = [3, 5, 4, 2];
    const f32 = (...shape: number[]): Tensor => rng.randnAs(shape, 'float32');
    const w = (): Tensor => f32(nA, nA + nX);
    const b = (): Tensor => f32(nA, 1);
    const args = { x: f32(nX, m, T), a0: f32(nA, m), c0: f32(nA, m), Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b() };
    const peepholes = { Pi: b(), Pf: rng.randn(nA, 1), Po: b() };
    expect(() => backend.kernels.lstmSequenceForward({ ...args, peepholes })).toThrow(/^lstmForward\/layersForward: \[gpujs\] peepholes\.Pf is float64 \(in its kernel lstmSequenceForward\)/);
    expect(backend.memory()).toEqual({ tensors: 0, bytes: 0 });
    await backend.disposeAsync();
  });

  it('throws a BackendError when a forced mode cannot run here', async () => {
    const unavailable = typeof navigator === 'undefined' || !('gpu' in navigator) ? 'webgpu' : 'headlessgl';
    await expect(createGpuJsBackend({ mode: unavailable })).rejects.toThrow(BackendError);
  });
});
