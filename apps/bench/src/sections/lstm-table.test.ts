import { createCpuBackend } from '@rnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { backendRunner } from '../targets.js';
import { forwardBackwardFlops, forwardFlops, gateProducts, WORKLOADS, type Workload } from '../workloads.js';
import { lstmTable, type LstmRow } from './lstm-table.js';

const seed = WORKLOADS.find((w) => w.name === 'seed') as Workload;

const row = (runner: string, cell: 'lstm' | 'gru', medianMs: number): LstmRow => ({
  runner, label: runner, cell, workload: 'seed', dtype: 'float32', pass: 'forward', firstMs: 1, compileMs: undefined, medianMs, gflops: 1, runs: 3,
});

describe('the recurrent-layer table', () => {
  it('has a cell column, lists the LSTM before the GRU, and compares each row with its base of the same cell', () => {
    const table = lstmTable([row('cpu', 'gru', 4), row('cpu', 'lstm', 2), row('tfjs-wasm', 'lstm', 6)]).split('\n');
    expect(table[0]).toMatch(/^\| workload \| cell \| dtype \| pass \| backend \|/);
    const cells = table.slice(2).map((line) => line.split(' | ').slice(1, 5));
    expect(cells).toEqual([['LSTM', 'float32', 'forward', 'cpu'], ['LSTM', 'float32', 'forward', 'tfjs-wasm'], ['GRU', 'float32', 'forward', 'cpu']]);
    // the tfjs-wasm LSTM row is 3× slower than cpu's LSTM; the GRU row has no tfjs-wasm base.
    expect(table[3]).toContain('| 0.33× | 1.00× |');
    expect(table[4]).toContain('| 1.00× | – | – |');
  });

  it('counts the gate products from the cell descriptions', () => {
    const w = { ...seed, nX: 3, nA: 5 };
    expect(gateProducts(w, 'lstm')).toBe(4 * 5 * (5 + 3));
    expect(gateProducts(w, 'gru')).toBe(3 * 5 * (5 + 3));
    expect(forwardFlops(w, 'lstm')).toBe((2 * 4 * 5 * 8 * w.m + 2 * 3 * 5 * w.m) * w.T);
    expect(forwardBackwardFlops(w, 'gru') - forwardFlops(w, 'gru')).toBe(4 * 3 * 5 * 8 * w.m * w.T);
  });

  it.each(['lstm', 'gru'] as const)('our cpu runner prepares a %s from its description and runs forward and backward, freeing what it made', async (cell) => {
    const backend = createCpuBackend();
    const runner = backendRunner(backend, ['float64'], undefined, ['lstm', 'gru']);
    const prepared = await runner.prepare(seed, 'float64', cell);
    await prepared.forwardBackward?.();
    const inputs = backend.memory().tensors; // the inputs and parameters, uploaded by the first call
    await prepared.forward();
    await prepared.forwardBackward?.();
    expect(backend.memory().tensors).toBe(inputs);
    prepared.dispose();
    expect(backend.memory().tensors).toBe(0);
    runner.close();
  });
});
