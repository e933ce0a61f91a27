import { describe, expect, it } from 'vitest';
import { JsEngine } from './js-engine.js';
import { ResidentArrays, ResidentPool } from './resident.js';
import { Workspace } from './workspace.js';

function residentSet(engine: JsEngine, pool: ResidentPool, values: number[]): ResidentArrays<'v'> {
  return Workspace.run(engine, 'float64', (ws) => new ResidentArrays(ws, pool, { v: { ptr: ws.write(values), length: values.length } }));
}

describe('ResidentArrays', () => {
  it('stays in the heap after its call, and a later call reads it in place', () => {
    const engine = new JsEngine();
    const pool = new ResidentPool(1 << 20);
    const set = residentSet(engine, pool, [1, 2, 3, 4]);
    expect(set.isResident).toBe(true);
    expect(pool.bytes).toBe(32);
    Workspace.run(engine, 'float64', (ws) => {
      const p = set.place(ws, 'v');
      expect(Array.from(ws.read(p, 4))).toEqual([1, 2, 3, 4]);
    });
    set.release();
    expect(pool.bytes).toBe(0);
    expect(engine.allocator.liveBytes).toBe(0);
  });

  it('moves the oldest sets to host memory once the pool passes its budget, values intact', () => {
    const engine = new JsEngine();
    const pool = new ResidentPool(64);
    const first = residentSet(engine, pool, [1, 2, 3, 4]);
    const second = residentSet(engine, pool, [5, 6, 7, 8]);
    const third = residentSet(engine, pool, [9, 10, 11, 12]);
    expect([first.isResident, second.isResident, third.isResident]).toEqual([false, true, true]);
    expect(pool.bytes).toBe(64);
    expect(Array.from(first.slice('v', 1, 2))).toEqual([2, 3]);
    Workspace.run(engine, 'float64', (ws) => expect(Array.from(ws.read(first.place(ws, 'v'), 4))).toEqual([1, 2, 3, 4]));
  });

  it('keeps its arrays after release while lazy views are pending, and frees them when the last one settles', () => {
    const engine = new JsEngine();
    const pool = new ResidentPool(1 << 20);
    const set = residentSet(engine, pool, [1, 2, 3, 4]);
    const [first, second] = [set.addPending(), set.addPending()];
    set.release();
    expect(Array.from(set.slice('v', 0, 4))).toEqual([1, 2, 3, 4]);
    first();
    first();
    expect(set.isAvailable).toBe(true);
    second();
    expect(set.isAvailable).toBe(false);
    expect(engine.allocator.liveBytes).toBe(0);
    expect(pool.bytes).toBe(0);
  });
});

describe('sequence outputs read from their tape', () => {
  it('a forward\'s states stay readable, and usable by the output layer, after the tape is disposed', async () => {
    const { createCpuBackend } = await import('../index.js');
    const { RandomState } = await import('@rnn/tensor');
    const backend = createCpuBackend();
    const rng = new RandomState(3);
    const [nX, nA, m, T] = [2, 3, 5, 4];
    const out = backend.kernels.rnnSequenceForward({ x: rng.randn(nX, m, T), a0: rng.randn(nA, m), Waa: rng.randn(nA, nA), Wax: rng.randn(nA, nX), ba: rng.randn(nA, 1) });
    const W = rng.randn(2, nA);
    const b = rng.randn(2, 1);
    const before = backend.kernels.softmaxOutput({ a: out.a, W, b }).dataSync();
    const a = out.a.dataSync();
    out.tape.dispose();
    for (const s of out.steps) for (const t of Object.values(s)) t.dispose();
    expect(Array.from(out.a.dataSync())).toEqual(Array.from(a));
    expect(Array.from(backend.kernels.softmaxOutput({ a: out.a, W, b }).dataSync())).toEqual(Array.from(before));
  });
});
