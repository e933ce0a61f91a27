import { createCpuBackend } from '@rnn/backend-cpu';
import { BackendError, RandomState, tidy, type Backend, type Tensor } from '@rnn/tensor';
import { collectGarbage } from '@rnn/tensor/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, type GpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';

const [nX, nA, m, T] = [2, 3, 2, 4];

describe('gpujs sequence tapes', () => {
  let gpu: GpuJsBackend;
  let other: GpuJsBackend;
  beforeAll(async () => {
    gpu = await createGpuJsBackend({ mode: requiredMode() });
    other = await createGpuJsBackend({ mode: requiredMode() });
  });
  afterAll(async () => {
    await gpu.disposeAsync();
    await other.disposeAsync();
  });

  const rng = new RandomState(11);
  const draw = (...shape: number[]): Tensor => rng.randnAs(shape, 'float32');
  const lstm = {
    x: draw(nX, m, T), a0: draw(nA, m), c0: draw(nA, m),
    Wf: draw(nA, nA + nX), bf: draw(nA, 1), Wi: draw(nA, nA + nX), bi: draw(nA, 1),
    Wc: draw(nA, nA + nX), bc: draw(nA, 1), Wo: draw(nA, nA + nX), bo: draw(nA, 1),
  };
  const rnn = { x: lstm.x, a0: lstm.a0, Waa: draw(nA, nA), Wax: draw(nA, nX), ba: draw(nA, 1) };
  const gru = {
    x: lstm.x, a0: lstm.a0, Wz: draw(nA, nA + nX), bz: draw(nA, 1), Wr: draw(nA, nA + nX), br: draw(nA, 1),
    Whx: draw(nA, nX), bhx: draw(nA, 1), Whh: draw(nA, nA), bhh: draw(nA, 1),
  };
  const da = draw(nA, m, T);
  const lstmBackward = (b: Backend, tape: Parameters<Backend['kernels']['lstmSequenceBackward']>[0]['tape']) => () =>
    b.kernels.lstmSequenceBackward({ da, tape, Wf: lstm.Wf, Wi: lstm.Wi, Wc: lstm.Wc, Wo: lstm.Wo });

  it('refuses, naming the kernel, a tape from another gpujs backend, from the CPU backend or from the other cell', () => {
    const fromOther = other.kernels.lstmSequenceForward(lstm).tape;
    expect(lstmBackward(gpu, fromOther)).toThrow(BackendError);
    expect(lstmBackward(gpu, fromOther)).toThrow(/lstmSequenceBackward: \[gpujs\] the tape was not made by this backend's lstmSequenceForward/);
    const cpu = createCpuBackend();
    expect(lstmBackward(gpu, cpu.kernels.lstmSequenceForward(lstm).tape)).toThrow(/lstmSequenceBackward: \[gpujs\]/);
    const rnnTape = gpu.kernels.rnnSequenceForward(rnn).tape;
    expect(lstmBackward(gpu, rnnTape)).toThrow(/lstmSequenceBackward: \[gpujs\] the tape was not made by this backend's lstmSequenceForward/);
    expect(() => gpu.kernels.rnnSequenceBackward({ da, tape: fromOther, Waa: rnn.Waa, Wax: rnn.Wax })).toThrow(/rnnSequenceBackward: \[gpujs\]/);
    expect(() => gpu.kernels.gruSequenceBackward({ da, tape: rnnTape, Wz: gru.Wz, Wr: gru.Wr, Whx: gru.Whx, Whh: gru.Whh }))
      .toThrow(/gruSequenceBackward: \[gpujs\] the tape was not made by this backend's gruSequenceForward/);
    const gruTape = gpu.kernels.gruSequenceForward(gru).tape;
    expect(lstmBackward(gpu, gruTape)).toThrow(/lstmSequenceBackward: \[gpujs\] the tape was not made/);
    cpu.dispose();
  });

  it('refuses the backward of a forward-only variant, naming the public functions and the options, before any work', () => {
    const peepholes = { Pi: draw(nA, 1), Pf: draw(nA, 1), Po: draw(nA, 1) };
    const lstmTape = gpu.kernels.lstmSequenceForward({ ...lstm, clip: 3, peepholes, inputForget: true }).tape;
    const gruTape = gpu.kernels.gruSequenceForward({ ...gru, linearBeforeReset: false }).tape;
    const rnnTape = gpu.kernels.rnnSequenceForward({ ...rnn, clip: 3 }).tape;
    const before = gpu.memory();
    expect(lstmBackward(gpu, lstmTape)).toThrow(/^lstmBackward\/layersBackward: \[gpujs\] the forward ran with clip, peepholes, inputForget, which has no backward/);
    expect(() => gpu.kernels.gruSequenceBackward({ da, tape: gruTape, Wz: gru.Wz, Wr: gru.Wr, Whx: gru.Whx, Whh: gru.Whh }))
      .toThrow(/^gruBackward\/layersBackward: \[gpujs\] the forward ran with linearBeforeReset: false, which has no backward/);
    expect(() => gpu.kernels.rnnSequenceBackward({ da, tape: rnnTape, Waa: rnn.Waa, Wax: rnn.Wax })).toThrow(/^rnnBackward\/layersBackward: \[gpujs\] the forward ran with clip,/);
    expect(gpu.memory()).toEqual(before);
    const plain = gpu.kernels.gruSequenceForward({ ...gru, linearBeforeReset: true });
    const g = gpu.kernels.gruSequenceBackward({ da, tape: plain.tape, Wz: gru.Wz, Wr: gru.Wr, Whx: gru.Whx, Whh: gru.Whh });
    expect(g.dWz.shape, 'linearBeforeReset: true is the plain cell, which has a backward').toEqual([nA, nA + nX]);
    for (const t of [...Object.values(g), ...Object.values(peepholes)]) t.dispose();
    for (const tape of [lstmTape, gruTape, rnnTape, plain.tape]) tape.dispose();
  });

  it('refuses a disposed tape, naming the kernel; disposing twice does nothing', () => {
    const { tape } = gpu.kernels.lstmSequenceForward(lstm);
    tape.dispose();
    tape.dispose();
    expect(tape.isDisposed).toBe(true);
    expect(lstmBackward(gpu, tape)).toThrow(/lstmSequenceBackward: \[gpujs\] the tape was disposed/);
  });

  it('keeps what the backward reads alive after the user disposed the forward outputs and inputs', async () => {
    const rngOwn = new RandomState(12);
    const own = (...shape: number[]): Tensor => rngOwn.randnAs(shape, 'float32');
    const inputs = { ...lstm, x: own(nX, m, T), a0: own(nA, m), c0: own(nA, m) };
    for (const shared of [lstm.Wf, lstm.bf, lstm.Wi, lstm.bi, lstm.Wc, lstm.bc, lstm.Wo, lstm.bo, da]) shared.dataIdOn(gpu);
    const before = gpu.memory();
    const out = gpu.kernels.lstmSequenceForward(inputs);
    const expected = gpu.kernels.lstmSequenceBackward({ da, tape: out.tape, Wf: lstm.Wf, Wi: lstm.Wi, Wc: lstm.Wc, Wo: lstm.Wo });
    const expectedDx = Array.from(await expected.dx.data());
    for (const t of [out.a, out.c, inputs.x, inputs.a0, inputs.c0, ...out.steps.flatMap((s) => Object.values(s))]) t.dispose();
    const g = gpu.kernels.lstmSequenceBackward({ da, tape: out.tape, Wf: lstm.Wf, Wi: lstm.Wi, Wc: lstm.Wc, Wo: lstm.Wo });
    expect(Array.from(await g.dx.data())).toEqual(expectedDx);
    for (const t of [...Object.values(g), ...Object.values(expected)]) t.dispose();
    out.tape.dispose();
    expect(gpu.memory()).toEqual(before);
  });

  it('a tape dropped without dispose() gives its device memory back once it is garbage collected', async () => {
    for (const shared of [...Object.values(gru), da]) shared.dataIdOn(gpu);
    await collectGarbage(); // what earlier tests dropped
    const before = gpu.deviceMemory();
    const drop = (): void => {
      const out = gpu.kernels.gruSequenceForward({ ...gru, reverse: true, lengths: [T, 1] });
      for (const t of [out.a, ...out.steps.flatMap((s) => Object.values(s))]) t.dispose();
      expect(gpu.deviceMemory().bytes, 'the tape holds the states and gates').toBeGreaterThan(before.bytes);
    };
    drop();
    await collectGarbage();
    expect(gpu.deviceMemory()).toEqual(before);
  });

  it('a tape made inside tidy() is disposed when tidy returns, unless returned', () => {
    const kept = tidy(() => {
      const thrown = gpu.kernels.lstmSequenceForward(lstm).tape;
      return { thrown, kept: gpu.kernels.rnnSequenceForward(rnn).tape };
    });
    expect(kept.thrown.isDisposed).toBe(false);
    const inner = tidy(() => {
      gpu.kernels.gruSequenceForward(gru);
      return gpu.kernels.lstmSequenceForward(lstm).a;
    });
    expect(inner.isDisposed).toBe(false);
    let made: { isDisposed: boolean } | undefined;
    tidy(() => {
      made = gpu.kernels.lstmSequenceForward(lstm).tape;
    });
    expect(made?.isDisposed).toBe(true);
    kept.thrown.dispose();
    kept.kept.dispose();
    inner.dispose();
  });
});
