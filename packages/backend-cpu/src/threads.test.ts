import { RandomState, type Backend, type DType, type Tensor } from '@rnn/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from './index.js';

/** Runs an LSTM and an RNN sequence forward and backward, big enough that every step is split. */
function run(backend: Backend, dtype: DType): Float64Array[] {
  const [nX, nA, m, T] = [24, 64, 36, 5];
  const rng = new RandomState(8);
  const d = (...shape: number[]): Tensor => rng.randnAs(shape, dtype);
  const k = backend.kernels;
  const x = d(nX, m, T);
  const a0 = d(nA, m);
  const W = (): Tensor => d(nA, nA + nX);
  const b = (): Tensor => d(nA, 1);
  const lstm = { x, a0, c0: d(nA, m), Wf: W(), bf: b(), Wi: W(), bi: b(), Wc: W(), bc: b(), Wo: W(), bo: b() };
  const da = d(nA, m, T);
  const out = k.lstmSequenceForward(lstm);
  const y = k.softmaxOutput({ a: out.a, W: d(nX, nA), b: d(nX, 1) });
  const g = k.lstmSequenceBackward({ da, tape: out.tape, Wf: lstm.Wf, Wi: lstm.Wi, Wc: lstm.Wc, Wo: lstm.Wo });
  const rnn = { x, a0, Waa: d(nA, nA), Wax: d(nA, nX), ba: b() };
  const r = k.rnnSequenceForward(rnn);
  const rg = k.rnnSequenceBackward({ da, tape: r.tape, Waa: rnn.Waa, Wax: rnn.Wax });
  return [out.a, out.c, y, ...Object.values(g), r.a, ...Object.values(rg)].map((t) => Float64Array.from(t.dataSync()));
}

describe('the WebAssembly engine on two threads', () => {
  const threaded = createCpuBackend({ threads: 2 });
  afterAll(() => threaded.dispose());

  it('starts its worker here and splits large calls, with results identical to one thread', async () => {
    expect(threaded.threads, threaded.threadsUnavailable).toBe(2);
    await threaded.ready();
    for (const dtype of ['float64', 'float32'] as const) {
      const single = run(createCpuBackend(), dtype);
      // A part the worker has not started when the caller is done with its own is taken back by the
      // caller, so how many calls the worker joins depends on scheduling: repeat until it joined some.
      const before = threaded.splitCalls;
      for (let attempt = 0; attempt < 50 && threaded.splitCalls - before < 5; attempt++) {
        const split = run(threaded, dtype);
        split.forEach((values, i) => expect(Array.from(values), `output ${i} (${dtype})`).toEqual(Array.from(single[i] ?? [])));
      }
      expect(threaded.splitCalls - before).toBeGreaterThanOrEqual(5);
    }
  });

  it('gives results identical to one thread while every core is busy (parts the worker cannot start are run by the caller)', async () => {
    const { Worker } = await import('node:worker_threads');
    const hogs = Array.from({ length: 2 }, () => new Worker('for (;;) {}', { eval: true }));
    try {
      for (const dtype of ['float64', 'float32'] as const) {
        const single = run(createCpuBackend(), dtype);
        for (let attempt = 0; attempt < 10; attempt++) {
          run(threaded, dtype).forEach((values, i) => expect(Array.from(values), `output ${i} (${dtype})`).toEqual(Array.from(single[i] ?? [])));
        }
      }
    } finally {
      await Promise.all(hogs.map((h) => h.terminate()));
    }
  });

  it('refuses a thread count that is not an integer from 1 to 64', () => {
    expect(() => createCpuBackend({ threads: 0 })).toThrow(/options.threads must be an integer from 1 to 64/);
    expect(() => createCpuBackend({ threads: 2.5 })).toThrow(/options.threads/);
  });
});
